/**
 * Evaluates the Terraform expressions of the modules' validation conditions, so that a test can say which values a
 * validation accepts and which it rejects instead of comparing the condition's text.
 *
 * It knows only the subset those conditions use, and throws UnsupportedExpression on anything else (another
 * function, an operator, a template, a string that would need a type conversion): a construct it does not know is
 * never taken as true. Where Terraform itself fails (a null compared, regex() without a match, a missing
 * attribute) it throws TerraformError, which is what can() turns into false; UnsupportedExpression goes through
 * can(), so `can(unknown(x))` cannot pass as false either.
 *
 * Semantics follow Terraform 1.5 (the modules' required_version): `&&` and `||` evaluate both operands (HCL only
 * short-circuits from Terraform 1.12 on), a conditional reports only the errors of the branch it takes, `==` is
 * false between values of different types, length() counts a string's characters (grapheme clusters), regex()
 * takes RE2 syntax (the part of it that means the same in JavaScript is translated, anything else throws).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Block, nestedAll } from "./hcl.ts";
import { convert, parseType } from "./terraform-types.ts";

/** A value of a Terraform expression: lists, tuples and sets are arrays, maps and objects are records. */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };

/** A construct the evaluator does not know: a test must never read it as an answer. */
export class UnsupportedExpression extends Error {
  override name = "UnsupportedExpression";
}

/** An error Terraform would report when evaluating the expression; can() turns it into false. */
export class TerraformError extends Error {
  override name = "TerraformError";
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

type Token =
  | { kind: "number"; value: number; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "ident"; value: string; at: number }
  | { kind: "template"; parts: TemplatePart[]; at: number }
  | { kind: "op"; value: string; at: number }
  | { kind: "end"; at: number };

/** A template's literal text, or an interpolated expression. */
type TemplatePart = string | Node;

/** The index after the closing quote of the quoted string whose text starts at `at`, its interpolations skipped. */
function stringEnd(source: string, at: number): number {
  let index = at;
  while (index < source.length) {
    const char = source[index];
    if (char === "\\") index += 2;
    else if (char === '"') return index + 1;
    else if ((char === "$" || char === "%") && source[index + 1] === char && source[index + 2] === "{")
      index += 3;
    else if ((char === "$" || char === "%") && source[index + 1] === "{")
      index = interpolationEnd(source, index + 2);
    else index += 1;
  }
  throw new UnsupportedExpression(`an unterminated string in: ${source}`);
}

/**
 * The index after the `}` that closes the interpolation (or directive) whose expression starts at `at`, quoted
 * strings in it skipped: where `${` ... `}` ends without reading the expression.
 */
export function interpolationEnd(source: string, at: number): number {
  let depth = 0;
  let index = at;
  while (index < source.length) {
    const char = source[index];
    if (char === '"') index = stringEnd(source, index + 1);
    else if (char === "{") {
      depth += 1;
      index += 1;
    } else if (char === "}") {
      if (depth === 0) return index + 1;
      depth -= 1;
      index += 1;
    } else index += 1;
  }
  throw new UnsupportedExpression(`an unterminated interpolation in: ${source}`);
}

/**
 * The parts of the template starting at `at`: a quoted HCL string (`quoted`, with its escapes, up to the closing
 * quote) or a whole hcl2json string, which is a template without escapes (Terraform's JSON syntax).
 */
function readTemplate(source: string, at: number, quoted: boolean): { parts: TemplatePart[]; end: number } {
  const parts: TemplatePart[] = [];
  let text = "";
  let index = at;
  const unsupported = (what: string): never => {
    throw new UnsupportedExpression(`${what} at ${index} of: ${source}`);
  };
  for (;;) {
    const char = source[index];
    if (char === undefined) {
      if (quoted) unsupported("an unterminated string");
      break;
    }
    if (quoted && char === '"') {
      index += 1;
      break;
    }
    const next = source[index + 1] ?? "";
    if (quoted && char === "\\") {
      const unicode = /^(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/.exec(source.slice(index + 1));
      if (unicode) {
        text += String.fromCodePoint(Number.parseInt(unicode[1] ?? unicode[2] ?? "", 16));
        index += 1 + unicode[0].length;
      } else if (next in ESCAPES) {
        text += ESCAPES[next];
        index += 2;
      } else {
        unsupported(`the escape \\${next}`);
      }
      continue;
    }
    if ((char === "$" || char === "%") && next === char && source[index + 2] === "{") {
      // $${ and %%{ are a literal ${ and %{.
      text += `${char}{`;
      index += 3;
      continue;
    }
    if (char === "%" && next === "{") unsupported("a template directive");
    if (char === "$" && next === "{") {
      const close = interpolationEnd(source, index + 2);
      if (text !== "") parts.push(text);
      text = "";
      parts.push(parse(source.slice(index + 2, close - 1)));
      index = close;
      continue;
    }
    text += char;
    index += 1;
  }
  if (text !== "" || parts.length === 0) parts.push(text);
  return { parts, end: index };
}

const OPERATORS = [
  "...",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "=>",
  "<",
  ">",
  "!",
  "?",
  ":",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
];
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const unsupported = (what: string): never => {
    throw new UnsupportedExpression(`${what} at ${at} of: ${source}`);
  };
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const number = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: "number", value: Number(number[0]), at });
      at += number[0].length;
      continue;
    }
    // HCL identifiers may contain dashes.
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: "ident", value: ident[0], at });
      at += ident[0].length;
      continue;
    }
    if (rest.startsWith('"')) {
      const { parts, end } = readTemplate(source, at + 1, true);
      tokens.push(
        parts.every((part) => typeof part === "string")
          ? { kind: "string", value: parts.join(""), at }
          : { kind: "template", parts, at },
      );
      at = end;
      continue;
    }
    const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
    // A dot after a number was taken by the number; any other dot is an attribute access.
    if (operator === undefined && rest.startsWith(".")) {
      tokens.push({ kind: "op", value: ".", at });
      at += 1;
      continue;
    }
    if (operator === undefined) unsupported(`the character ${JSON.stringify(rest[0])}`);
    tokens.push({ kind: "op", value: operator as string, at });
    at += (operator as string).length;
  }
  tokens.push({ kind: "end", at });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Syntax
// ---------------------------------------------------------------------------------------------

type Node =
  | { kind: "literal"; value: Value }
  | { kind: "tuple"; items: Node[] }
  | { kind: "name"; name: string }
  | { kind: "attribute"; object: Node; name: string }
  | { kind: "index"; object: Node; key: Node }
  /** `object[*]<each>`: `each` is the traversal after the splat, applied to every element (the name SPLAT). */
  | { kind: "splat"; object: Node; each: Node }
  | { kind: "object"; items: { key: Node; value: Node }[] }
  | { kind: "negate"; operand: Node }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "not"; operand: Node }
  | { kind: "binary"; operator: string; left: Node; right: Node }
  | { kind: "conditional"; test: Node; yes: Node; no: Node }
  | {
      kind: "for";
      /** The key (or index) variable of `for k, v in ...`. */
      key: string | undefined;
      variable: string;
      collection: Node;
      /** The key of each element of a `{for ...}`; undefined in a `[for ...]`. */
      keyBody: Node | undefined;
      body: Node;
      condition: Node | undefined;
    }
  | { kind: "template"; parts: TemplatePart[] };

/** HCL's binary operators, loosest first. */
const PRECEDENCE: string[][] = [
  ["||"],
  ["&&"],
  ["==", "!="],
  ["<", "<=", ">", ">="],
  ["+", "-"],
  ["*", "/", "%"],
];

/** The name a splat's `each` traversal starts from: not an identifier HCL can spell. */
const SPLAT = "[*]";

function parse(source: string): Node {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token => tokens[position] as Token;
  const unsupported = (what: string): never => {
    throw new UnsupportedExpression(`${what} at ${peek().at} of: ${source}`);
  };
  const isOp = (value: string): boolean => {
    const token = peek();
    return token.kind === "op" && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) unsupported(`expected ${value}`);
    position += 1;
  };
  const identifier = (): string => {
    const token = peek();
    if (token.kind !== "ident") return unsupported("expected a name");
    position += 1;
    return token.value;
  };

  const expression = (): Node => {
    const test = binary(0);
    if (!isOp("?")) return test;
    position += 1;
    const yes = expression();
    expect(":");
    return { kind: "conditional", test, yes, no: expression() };
  };
  const binary = (level: number): Node => {
    const operators = PRECEDENCE[level];
    if (operators === undefined) return unary();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token.kind !== "op" || !operators.includes(token.value)) return left;
      position += 1;
      left = { kind: "binary", operator: token.value, left, right: binary(level + 1) };
    }
  };
  const unary = (): Node => {
    if (isOp("!")) {
      position += 1;
      return { kind: "not", operand: unary() };
    }
    if (isOp("-")) {
      position += 1;
      return { kind: "negate", operand: unary() };
    }
    return postfix(primary());
  };
  /** `.name`, `.0`, `[key]`, and a splat `[*]` or `.*` with the traversal after it. */
  const postfix = (node: Node, inSplat = false): Node => {
    let result = node;
    for (;;) {
      const next = tokens[position + 1];
      if (isOp(".") && next?.kind === "number") {
        position += 2;
        result = { kind: "index", object: result, key: { kind: "literal", value: next.value } };
      } else if (isOp(".") && next?.kind === "op" && next.value === "*") {
        position += 2;
        if (inSplat) unsupported("a splat in a splat");
        result = { kind: "splat", object: result, each: postfix({ kind: "name", name: SPLAT }, true) };
      } else if (isOp(".")) {
        position += 1;
        result = { kind: "attribute", object: result, name: identifier() };
      } else if (isOp("[") && next?.kind === "op" && next.value === "*") {
        position += 2;
        expect("]");
        if (inSplat) unsupported("a splat in a splat");
        result = { kind: "splat", object: result, each: postfix({ kind: "name", name: SPLAT }, true) };
      } else if (isOp("[")) {
        position += 1;
        const key = expression();
        expect("]");
        result = { kind: "index", object: result, key };
      } else return result;
    }
  };
  /** After `for`: `k, v in collection :`, the key variable optional. */
  const forHead = (): { key: string | undefined; variable: string; collection: Node } => {
    const first = identifier();
    let key: string | undefined;
    let variable = first;
    if (isOp(",")) {
      position += 1;
      key = first;
      variable = identifier();
    }
    const word = peek();
    if (word.kind !== "ident" || word.value !== "in") unsupported("expected in");
    position += 1;
    const collection = expression();
    expect(":");
    return { key, variable, collection };
  };
  const forCondition = (): Node | undefined => {
    const word = peek();
    if (word.kind !== "ident" || word.value !== "if") return undefined;
    position += 1;
    return expression();
  };
  const isKeyword = (value: string): boolean => {
    const token = peek();
    return token.kind === "ident" && token.value === value;
  };
  const primary = (): Node => {
    const token = peek();
    if (token.kind === "number" || token.kind === "string") {
      position += 1;
      return { kind: "literal", value: token.value };
    }
    if (token.kind === "template") {
      position += 1;
      return { kind: "template", parts: token.parts };
    }
    if (token.kind === "ident") {
      position += 1;
      const keywords: Record<string, Value> = { true: true, false: false, null: null };
      if (token.value in keywords) return { kind: "literal", value: keywords[token.value] ?? null };
      if (!isOp("(")) return { kind: "name", name: token.value };
      position += 1;
      const args: Node[] = [];
      while (!isOp(")")) {
        args.push(expression());
        if (!isOp(")")) expect(",");
      }
      position += 1;
      return { kind: "call", name: token.value, args };
    }
    if (isOp("(")) {
      position += 1;
      const inner = expression();
      expect(")");
      return inner;
    }
    if (isOp("{")) {
      position += 1;
      if (isKeyword("for")) {
        position += 1;
        const head = forHead();
        const keyBody = expression();
        expect("=>");
        const body = expression();
        if (isOp("...")) unsupported("a for expression that groups (...)");
        const condition = forCondition();
        expect("}");
        return { kind: "for", ...head, keyBody, body, condition };
      }
      const items: { key: Node; value: Node }[] = [];
      while (!isOp("}")) {
        const name = peek();
        // A bare name is the key itself, not a reference; `(expression)` is a computed key.
        const next = tokens[position + 1];
        const bare =
          name.kind === "ident" && next?.kind === "op" && (next.value === "=" || next.value === ":");
        if (bare) position += 1;
        const key: Node = bare ? { kind: "literal", value: name.value } : expression();
        if (isOp("=") || isOp(":")) position += 1;
        else unsupported("expected = or :");
        items.push({ key, value: expression() });
        if (isOp(",")) position += 1;
      }
      position += 1;
      return { kind: "object", items };
    }
    if (isOp("[")) {
      position += 1;
      if (isKeyword("for")) {
        position += 1;
        const head = forHead();
        const body = expression();
        const condition = forCondition();
        expect("]");
        return { kind: "for", ...head, keyBody: undefined, body, condition };
      }
      const items: Node[] = [];
      while (!isOp("]")) {
        items.push(expression());
        if (!isOp("]")) expect(",");
      }
      position += 1;
      return { kind: "tuple", items };
    }
    return unsupported(token.kind === "end" ? "an unexpected end" : `the token ${JSON.stringify(token)}`);
  };

  const node = expression();
  if (peek().kind !== "end") unsupported("text after the expression");
  return node;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

type Kind = "null" | "bool" | "number" | "string" | "list" | "object";

function kindOf(value: Value): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "number":
      return "number";
    case "string":
      return "string";
    case "object":
      return "object";
    default:
      throw new UnsupportedExpression(`not a Terraform value: ${String(value)}`);
  }
}

function isList(value: Value): value is readonly Value[] {
  return Array.isArray(value);
}

function isObject(value: Value): value is { readonly [key: string]: Value } {
  return kindOf(value) === "object";
}

/**
 * The placeholders moduleScope() makes (`<aws_iam_role.this.arn>`): values only Terraform knows. An attribute, an
 * index or a splat of one is the placeholder of that address (`<module.notifications[0].alert_rule_arns["api"]>`);
 * what would need its value (its length, a for expression over it, a key it would pick) is not known here.
 */
const PLACEHOLDERS = new Set<string>();

/** The placeholder `<address>`. */
function placeholder(address: string): string {
  const text = `<${address}>`;
  PLACEHOLDERS.add(text);
  return text;
}

/** Whether `value` is one of moduleScope()'s placeholders, a value only Terraform knows. */
export function isPlaceholder(value: Value | undefined): value is string {
  return typeof value === "string" && PLACEHOLDERS.has(value);
}

/** The address a placeholder stands for: `<a.b>` -> `a.b`. */
const addressOf = (value: string): string => value.slice(1, -1);

/** Fails where an argument is a placeholder whose value the function would need. */
function known(value: Value | undefined, call: string): Value | undefined {
  if (isPlaceholder(value)) throw new UnsupportedExpression(`${call}: ${value} is not known here`);
  return value;
}

/**
 * Terraform's jsonencode(): Go's encoding/json, so object keys sorted, and <, >, & and the line and paragraph
 * separators escaped.
 */
function jsonEncode(value: Value): string {
  const sorted = (item: Value): Value => {
    if (isList(item)) return item.map(sorted);
    if (isObject(item))
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((key) => [key, sorted(item[key] ?? null)]),
      );
    return item;
  };
  return JSON.stringify(sorted(value)).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Terraform's `==`: values of different types are not equal, collections compare element by element. */
function equal(left: Value, right: Value): boolean {
  const kind = kindOf(left);
  if (kind !== kindOf(right)) return false;
  if (isList(left) && isList(right))
    return left.length === right.length && left.every((item, index) => equal(item, right[index] ?? null));
  if (isObject(left) && isObject(right)) {
    const keys = Object.keys(left).sort();
    const other = Object.keys(right).sort();
    return equal(keys, other) && keys.every((key) => equal(left[key] ?? null, right[key] ?? null));
  }
  return left === right;
}

function describe(value: Value): string {
  return JSON.stringify(value);
}

/** The value as `kind`; null is Terraform's error, another type a conversion this evaluator does not make. */
function as<T extends Value>(value: Value, kind: Kind, where: string): T {
  if (value === null) throw new TerraformError(`${where}: the argument must not be null`);
  if (kindOf(value) !== kind)
    throw new UnsupportedExpression(`${where}: ${describe(value)} is not a ${kind} (no conversion here)`);
  return value as T;
}

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

// ---------------------------------------------------------------------------------------------
// regex(): RE2 syntax, translated where it means the same in JavaScript
// ---------------------------------------------------------------------------------------------

/** RE2's Perl classes, spelled out (RE2's \s is ASCII white space, JavaScript's is Unicode's). */
const CLASSES: Record<string, string> = { d: "0-9", s: "\\t\\n\\f\\r ", w: "0-9A-Za-z_" };
const ESCAPED_LITERALS = new Set([..."\\.-+*?()[]{}|^$/"]);

/** A JavaScript RegExp that matches what RE2 `pattern` matches; throws on syntax it does not translate. */
export function re2(pattern: string): RegExp {
  let out = "";
  let at = 0;
  const unsupported = (what: string): never => {
    throw new UnsupportedExpression(`regex ${JSON.stringify(pattern)}: ${what} at ${at}`);
  };
  const escaped = (inClass: boolean): string => {
    const next = pattern[at + 1] ?? "";
    at += 2;
    const spelled = CLASSES[next];
    if (spelled !== undefined) return inClass ? spelled : `[${spelled}]`;
    if (ESCAPED_LITERALS.has(next)) return `\\${next}`;
    // \xHH is the same character in both; RE2's \x{...} is not JavaScript's.
    const hex = /^[0-9A-Fa-f]{2}/.exec(pattern.slice(at));
    if (next === "x" && hex !== null) {
      at += 2;
      return `\\x${hex[0]}`;
    }
    return unsupported(`the escape \\${next}`);
  };
  while (at < pattern.length) {
    const char = pattern[at] as string;
    if (char === "\\") {
      out += escaped(false);
    } else if (char === "[") {
      out += "[";
      at += 1;
      if (pattern[at] === "^") {
        out += "^";
        at += 1;
      }
      // A "]" first in a class is literal in RE2.
      if (pattern[at] === "]") {
        out += "\\]";
        at += 1;
      }
      while (pattern[at] !== "]") {
        const inner = pattern[at];
        if (inner === undefined) unsupported("an unterminated class");
        if (inner === "\\") out += escaped(true);
        else if (inner === "[") unsupported("a [ in a class");
        else {
          out += inner;
          at += 1;
        }
      }
      out += "]";
      at += 1;
    } else if (char === "(") {
      if (pattern[at + 1] === "?" && pattern[at + 2] !== ":") unsupported("a group with flags or a name");
      out += char;
      at += 1;
    } else if (char === ".") {
      // RE2's dot leaves out only \n; JavaScript's leaves out \r and the line separators too.
      out += "[^\\n]";
      at += 1;
    } else if (char === "{") {
      const repeat = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(at));
      if (repeat === null) unsupported("a { that is not a repetition");
      out += repeat?.[0];
      at += repeat?.[0].length ?? 0;
    } else {
      out += char;
      at += 1;
    }
  }
  try {
    // u: repetitions count code points, as RE2 counts UTF-8 characters.
    return new RegExp(out, "u");
  } catch (error) {
    throw new TerraformError(`regex ${JSON.stringify(pattern)} is invalid: ${String(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/** A set of strings as Terraform iterates it: each once, in lexical order. */
function stringSet(list: Value, call: string): string[] {
  const items = as<readonly Value[]>(list, "list", call).map((item) => as<string>(item, "string", call));
  return [...new Set(items)].sort();
}

const FUNCTIONS: Record<string, (args: Value[], call: string) => Value> = {
  regex([pattern, subject], call) {
    const text = as<string>(subject ?? null, "string", call);
    const match = re2(as<string>(pattern ?? null, "string", call)).exec(text);
    if (match === null) throw new TerraformError(`${call}: no match for ${describe(text)}`);
    if (match.groups !== undefined) throw new UnsupportedExpression(`${call}: named groups`);
    return match.length === 1 ? match[0] : match.slice(1).map((group) => group ?? null);
  },
  length([value], call) {
    known(value, call);
    if (typeof value === "string") return [...segmenter.segment(value)].length;
    if (value === null || value === undefined) throw new TerraformError(`${call}: null has no length`);
    if (isList(value)) return value.length;
    if (isObject(value)) return Object.keys(value).length;
    throw new TerraformError(`${call}: ${describe(value)} has no length`);
  },
  contains([list, value], call) {
    const items = as<readonly Value[]>(list ?? null, "list", call);
    const wanted = value ?? null;
    for (const item of items) {
      if (item !== null && wanted !== null && kindOf(item) !== kindOf(wanted))
        throw new UnsupportedExpression(
          `${call}: ${describe(wanted)} against ${describe(item)} needs a conversion`,
        );
    }
    return items.some((item) => equal(item, wanted));
  },
  alltrue([list], call) {
    return as<readonly Value[]>(list ?? null, "list", call).every((item) => as<boolean>(item, "bool", call));
  },
  distinct([list], call) {
    const items = as<readonly Value[]>(list ?? null, "list", call);
    return items.filter((item, index) => items.findIndex((other) => equal(other, item)) === index);
  },
  floor([value], call) {
    return Math.floor(as<number>(value ?? null, "number", call));
  },
  strcontains([text, part], call) {
    return as<string>(text ?? null, "string", call).includes(as<string>(part ?? null, "string", call));
  },
  jsondecode([text], call) {
    // The document a data source renders: known to Terraform only.
    if (isPlaceholder(text)) return placeholder(`jsondecode(${addressOf(text)})`);
    try {
      return JSON.parse(as<string>(text ?? null, "string", call)) as Value;
    } catch (error) {
      if (error instanceof UnsupportedExpression || error instanceof TerraformError) throw error;
      throw new TerraformError(`${call}: ${String(error)}`);
    }
  },
  jsonencode([value], call) {
    if (value === undefined) throw new UnsupportedExpression(`${call} without an argument`);
    return jsonEncode(value);
  },
  lookup([map, key, fallback], call) {
    const record = as<Record<string, Value>>(map ?? null, "object", call);
    const name = as<string>(known(key, call) ?? null, "string", call);
    return name in record ? (record[name] ?? null) : (fallback ?? null);
  },
  upper([text], call) {
    return as<string>(text ?? null, "string", call).toUpperCase();
  },
  tostring([value], call) {
    // Terraform writes a number or a bool as its literal; a string stays.
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return as<string>(value ?? null, "string", call);
  },
  lower([text], call) {
    return as<string>(text ?? null, "string", call).toLowerCase();
  },
  replace([text, search, replacement], call) {
    const part = as<string>(search ?? null, "string", call);
    // A search string in slashes is a regular expression in Terraform.
    if (/^\/.*\/$/s.test(part)) throw new UnsupportedExpression(`${call}: a regular expression`);
    return as<string>(text ?? null, "string", call).replaceAll(
      part,
      as<string>(replacement ?? null, "string", call),
    );
  },
  substr([text, offset, length], call) {
    // Terraform counts characters (grapheme clusters), as length() does.
    const characters = [...segmenter.segment(as<string>(text ?? null, "string", call))].map(
      ({ segment }) => segment,
    );
    const from = as<number>(offset ?? null, "number", call);
    const count = as<number>(length ?? null, "number", call);
    if (from < 0 || count < -1) throw new UnsupportedExpression(`${call}: a negative offset or length`);
    if (from > characters.length) throw new TerraformError(`${call}: offset ${from} is out of range`);
    return characters.slice(from, count === -1 ? undefined : from + count).join("");
  },
  coalesce(args, call) {
    const found = args.find((value) => value !== null && value !== "");
    if (found === undefined) throw new TerraformError(`${call}: no non-null, non-empty argument`);
    return found;
  },
  one([list], call) {
    const items = as<readonly Value[]>(list ?? null, "list", call);
    if (items.length > 1) throw new TerraformError(`${call}: ${items.length} elements`);
    return items[0] ?? null;
  },
  concat(args, call) {
    return args.flatMap((list) => as<readonly Value[]>(list, "list", call));
  },
  tolist([list], call) {
    return as<readonly Value[]>(list ?? null, "list", call);
  },
  sort([list], call) {
    return as<readonly Value[]>(list ?? null, "list", call)
      .map((item) => as<string>(item, "string", call))
      .sort();
  },
  join([separator, list], call) {
    return as<readonly Value[]>(list ?? null, "list", call)
      .map((item) => as<string>(item, "string", call))
      .join(as<string>(separator ?? null, "string", call));
  },
  merge(args, call) {
    return Object.assign({}, ...args.map((map) => as<Record<string, Value>>(map, "object", call)));
  },
  flatten([list], call) {
    const flat = (items: readonly Value[]): Value[] =>
      items.flatMap((item) => (isList(item) ? flat(item) : [item]));
    return flat(as<readonly Value[]>(list ?? null, "list", call));
  },
  toset([list], call) {
    return stringSet(list ?? null, call);
  },
  setsubtract([list, remove], call) {
    const removed = stringSet(remove ?? null, call);
    return stringSet(list ?? null, call).filter((item) => !removed.includes(item));
  },
  keys([map], call) {
    return Object.keys(as<Record<string, Value>>(map ?? null, "object", call)).sort();
  },
  values([map], call) {
    const record = as<Record<string, Value>>(map ?? null, "object", call);
    return Object.keys(record)
      .sort()
      .map((key) => record[key] ?? null);
  },
  split([separator, text], call) {
    return as<string>(text ?? null, "string", call).split(as<string>(separator ?? null, "string", call));
  },
  format([spec, ...args], call) {
    // The verbs the modules use: %d (a whole number), %s (a string, number or bool), %% (a percent sign).
    let next = 0;
    return as<string>(spec ?? null, "string", call).replace(/%([ds%])/g, (_, verb: string) => {
      if (verb === "%") return "%";
      const value = args[next++];
      if (value === undefined) throw new TerraformError(`${call}: too few arguments`);
      if (verb === "d") {
        const number = as<number>(value, "number", call);
        if (!Number.isInteger(number)) throw new TerraformError(`${call}: %d of ${number}`);
        return String(number);
      }
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return as<string>(value, "string", call);
    });
  },
  file([path], call) {
    return readFileText(as<string>(path ?? null, "string", call), call);
  },
  filebase64sha256([path], call) {
    const file = as<string>(path ?? null, "string", call);
    const bytes = files.read(file);
    if (bytes === undefined) return files.missing(file, call);
    return createHash("sha256").update(bytes).digest("base64");
  },
};

/**
 * Where file() and filebase64sha256() read: the file system, relative to the working directory (Terraform's are
 * relative to the root module's folder; the tests pass paths from the repository root). `missing` answers for a
 * file that does not exist: Terraform's error by default.
 */
interface Files {
  read(path: string): Uint8Array | undefined;
  missing(path: string, call: string): string;
}

const FILE_SYSTEM: Files = {
  read(path) {
    try {
      return readFileSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  },
  missing(path, call) {
    throw new TerraformError(`${call}: no file exists at ${path}`);
  },
};

let files: Files = FILE_SYSTEM;

function readFileText(path: string, call: string): string {
  const bytes = files.read(path);
  if (bytes === undefined) return files.missing(path, call);
  return new TextDecoder().decode(bytes);
}

/**
 * Runs `evaluate` with file() and filebase64sha256() answering `missing(path)` for a file that does not exist,
 * instead of Terraform's error: for a plan of a module whose build artifact is not there (yet).
 *
 * @example
 * ```ts
 * withMissingFiles((path) => `<no ${path}>`, () => evaluateExpression('${filebase64sha256("x.zip")}', {}));
 * ```
 */
export function withMissingFiles<T>(missing: (path: string) => string, evaluate: () => T): T {
  const previous = files;
  files = { read: FILE_SYSTEM.read, missing: (path) => missing(path) };
  try {
    return evaluate();
  } finally {
    files = previous;
  }
}

const ARITY: Record<string, number> = {
  can: 1,
  regex: 2,
  length: 1,
  contains: 2,
  alltrue: 1,
  distinct: 1,
  floor: 1,
  strcontains: 2,
  jsondecode: 1,
  jsonencode: 1,
  lookup: 3,
  keys: 1,
  values: 1,
  lower: 1,
  replace: 3,
  substr: 3,
  one: 1,
  upper: 1,
  tostring: 1,
  tolist: 1,
  sort: 1,
  join: 2,
  flatten: 1,
  toset: 1,
  setsubtract: 2,
  split: 2,
  file: 1,
  filebase64sha256: 1,
};

/** Functions that take any number of arguments, at least one. */
const VARIADIC = new Set(["coalesce", "concat", "merge", "format"]);

const REFERENCE_ROOTS = new Set(["var", "local", "data", "module"]);

function evaluateNode(node: Node, scope: Readonly<Record<string, Value>>): Value {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "tuple":
      return node.items.map((item) => evaluateNode(item, scope));
    case "name": {
      if (!(node.name in scope)) throw new UnsupportedExpression(`no value given for ${node.name}`);
      return scope[node.name] ?? null;
    }
    case "attribute": {
      const object = evaluateNode(node.object, scope);
      if (isPlaceholder(object)) return placeholder(`${addressOf(object)}.${node.name}`);
      const where = node.object.kind === "name" ? `${node.object.name}.${node.name}` : node.name;
      // A reference the test gave no value for is the test's gap, not an error Terraform would make.
      if (
        node.object.kind === "name" &&
        REFERENCE_ROOTS.has(node.object.name) &&
        isObject(object) &&
        !(node.name in object)
      )
        throw new UnsupportedExpression(`no value given for ${where}`);
      if (object === null) throw new TerraformError(`${where}: attribute of null`);
      if (!isObject(object) || !(node.name in object))
        throw new TerraformError(`${where}: ${describe(object)} has no attribute ${node.name}`);
      return object[node.name] ?? null;
    }
    case "index": {
      const object = evaluateNode(node.object, scope);
      const key = known(evaluateNode(node.key, scope), "[]") ?? null;
      if (isPlaceholder(object)) {
        if (typeof key !== "string" && typeof key !== "number")
          throw new UnsupportedExpression(`${object}[${describe(key)}]`);
        return placeholder(`${addressOf(object)}[${JSON.stringify(key)}]`);
      }
      if (object === null) throw new TerraformError("an index into null");
      if (isList(object)) {
        const at = as<number>(key, "number", "[]");
        if (!Number.isInteger(at) || at < 0 || at >= object.length)
          throw new TerraformError(`index ${at} out of range of ${object.length}`);
        return object[at] ?? null;
      }
      if (isObject(object)) {
        const name = as<string>(key, "string", "[]");
        if (!(name in object)) throw new TerraformError(`no element ${describe(name)}`);
        return object[name] ?? null;
      }
      throw new TerraformError(`${describe(object)} cannot be indexed`);
    }
    case "splat": {
      const object = evaluateNode(node.object, scope);
      // A list only Terraform knows: the placeholder of what the splat takes from each of its elements.
      if (isPlaceholder(object))
        return evaluateNode(node.each, { ...scope, [SPLAT]: placeholder(`${addressOf(object)}[*]`) });
      // A splat of null is an empty tuple, of a value that is not a list a tuple of that value.
      const items = object === null ? [] : isList(object) ? object : [object];
      return items.map((item) => evaluateNode(node.each, { ...scope, [SPLAT]: item }));
    }
    case "object": {
      const result: Record<string, Value> = {};
      for (const { key, value } of node.items) {
        const name = evaluateNode(key, scope);
        if (typeof name !== "string") throw new UnsupportedExpression(`an object key ${describe(name)}`);
        result[name] = evaluateNode(value, scope);
      }
      return result;
    }
    case "negate":
      return -as<number>(evaluateNode(node.operand, scope), "number", "-");
    case "call": {
      const call = `${node.name}()`;
      if (!(node.name in ARITY) && !VARIADIC.has(node.name))
        throw new UnsupportedExpression(`the function ${call}`);
      if (VARIADIC.has(node.name) ? node.args.length === 0 : ARITY[node.name] !== node.args.length)
        throw new UnsupportedExpression(`${call} with ${node.args.length} arguments`);
      if (node.name === "can") {
        try {
          evaluateNode(node.args[0] as Node, scope);
          return true;
        } catch (error) {
          if (error instanceof TerraformError) return false;
          throw error;
        }
      }
      const implementation = FUNCTIONS[node.name];
      if (implementation === undefined) throw new UnsupportedExpression(`the function ${call}`);
      return implementation(
        node.args.map((arg) => evaluateNode(arg, scope)),
        call,
      );
    }
    case "not":
      return !as<boolean>(evaluateNode(node.operand, scope), "bool", "!");
    case "binary": {
      // Terraform 1.5 evaluates both operands of every operator, && and || included.
      const left = evaluateNode(node.left, scope);
      const right = evaluateNode(node.right, scope);
      const { operator } = node;
      if (operator === "==") return equal(left, right);
      if (operator === "!=") return !equal(left, right);
      if (operator === "&&" || operator === "||") {
        const a = as<boolean>(left, "bool", operator);
        const b = as<boolean>(right, "bool", operator);
        return operator === "&&" ? a && b : a || b;
      }
      const a = as<number>(left, "number", operator);
      const b = as<number>(right, "number", operator);
      if (operator === "/" || operator === "%") {
        if (b === 0) throw new TerraformError(`${operator} by zero`);
        return operator === "/" ? a / b : a % b;
      }
      const results: Record<string, Value> = {
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
        "+": a + b,
        "-": a - b,
        "*": a * b,
      };
      if (!(operator in results)) throw new UnsupportedExpression(`the operator ${operator}`);
      return results[operator] ?? null;
    }
    case "conditional": {
      const test = as<boolean>(evaluateNode(node.test, scope), "bool", "?");
      const [taken, other] = test ? [node.yes, node.no] : [node.no, node.yes];
      const result = evaluateNode(taken, scope);
      // Terraform evaluates both branches to unify their types, reporting only the taken branch's errors.
      let otherResult: Value = null;
      try {
        otherResult = evaluateNode(other, scope);
      } catch (error) {
        if (!(error instanceof TerraformError)) throw error;
      }
      const kinds = [kindOf(result), kindOf(otherResult)];
      // Terraform would convert one branch to the other's type (or fail): not modelled here.
      // A placeholder is of any type.
      const typed = !isPlaceholder(result) && !isPlaceholder(otherResult);
      if (typed && !kinds.includes("null") && kinds[0] !== kinds[1])
        throw new UnsupportedExpression(`conditional branches of types ${kinds.join(" and ")}`);
      return result;
    }
    case "template": {
      const [only] = node.parts;
      // A template that is one interpolation gives its value as it is, not converted to a string.
      if (node.parts.length === 1 && only !== undefined && typeof only !== "string")
        return evaluateNode(only, scope);
      return node.parts
        .map((part) => {
          if (typeof part === "string") return part;
          const value = evaluateNode(part, scope);
          if (value === null) throw new TerraformError("a template interpolates null");
          if (typeof value === "string") return value;
          if (typeof value === "number" || typeof value === "boolean") return String(value);
          throw new TerraformError(`a template interpolates ${describe(value)}`);
        })
        .join("");
    }
    case "for": {
      const collection = known(evaluateNode(node.collection, scope), "for") ?? null;
      if (collection === null) throw new TerraformError("for: iterating over null");
      // A map's or object's elements come in the order of their keys.
      const entries: [Value, Value][] = isList(collection)
        ? collection.map((item, index) => [index, item])
        : isObject(collection)
          ? Object.keys(collection)
              .sort()
              .map((key) => [key, collection[key] ?? null])
          : [];
      if (!isList(collection) && !isObject(collection))
        throw new TerraformError(`for: ${describe(collection)} is not a collection`);
      const list: Value[] = [];
      const object: Record<string, Value> = {};
      for (const [key, item] of entries) {
        const inner = {
          ...scope,
          [node.variable]: item,
          ...(node.key === undefined ? {} : { [node.key]: key }),
        };
        if (node.condition !== undefined && !as<boolean>(evaluateNode(node.condition, inner), "bool", "if"))
          continue;
        if (node.keyBody === undefined) {
          list.push(evaluateNode(node.body, inner));
          continue;
        }
        const name = evaluateNode(node.keyBody, inner);
        if (typeof name !== "string") throw new UnsupportedExpression(`a for key ${describe(name)}`);
        if (name in object) throw new TerraformError(`for: duplicate key ${describe(name)}`);
        object[name] = evaluateNode(node.body, inner);
      }
      return node.keyBody === undefined ? list : object;
    }
  }
}

/** Every expression string parsed so far: a plan evaluates the same expressions again and again. */
const TEMPLATES = new Map<string, Node>();

/**
 * The value of an expression as hcl2json gives it (a string is a template: `"${var.days >= 1}"`,
 * `"${var.name}-lambda"`; a number, bool or null is itself; a list or an object is that of its elements'
 * values) for `scope`, which gives the root names (`{ var: { days: 30 }, local: { region: "eu-west-1" } }`,
 * or moduleScope's).
 *
 * @example
 * ```ts
 * evaluateExpression("${var.days >= 1 && var.days <= 3650}", { var: { days: 0 } }); // false
 * ```
 */
export function evaluateExpression(expression: unknown, scope: Readonly<Record<string, Value>>): Value {
  if (expression === null || typeof expression === "number" || typeof expression === "boolean")
    return expression;
  // A list or an object hcl2json gives for a literal one: each element is an expression.
  if (Array.isArray(expression)) return expression.map((item) => evaluateExpression(item, scope));
  if (typeof expression === "object" && Object.getPrototypeOf(expression) === Object.prototype)
    return Object.fromEntries(
      Object.entries(expression).map(([key, value]) => [key, evaluateExpression(value, scope)]),
    );
  if (typeof expression !== "string")
    throw new UnsupportedExpression(`not an expression: ${String(expression)}`);
  let template = TEMPLATES.get(expression);
  if (template === undefined) {
    template = { kind: "template", parts: readTemplate(expression, 0, false).parts };
    TEMPLATES.set(expression, template);
  }
  return evaluateNode(template, scope);
}

/**
 * Whether every validation of variable `name` in `variables` (a module's `variables`) accepts `value`, converted to
 * the variable's type as Terraform converts it (a value of another type is refused). A condition
 * Terraform could not evaluate for the value, or one that does not give a bool, throws: that is an error, not a
 * rejection, and a test has to say which it expects.
 *
 * @example
 * ```ts
 * accepts(module.variables, "lookback_days", 3651); // false
 * ```
 */
export function accepts(variables: Readonly<Record<string, Block>>, name: string, value: Value): boolean {
  const variable = variables[name];
  if (variable === undefined) throw new Error(`variable ${name} is not declared`);
  const validations = nestedAll(variable, "validation");
  if (validations.length === 0) throw new Error(`variable ${name} has no validation`);
  // Terraform converts the value to the variable's type (optional attributes get their defaults, null the default
  // of a variable that is not nullable) before it validates; a value that does not convert is refused.
  let converted: Value;
  try {
    const given = value === null && variable.nullable === false ? evaluateExpression(variable.default, {}) : value;
    converted = convert(given, parseType(variable.type), `var.${name}`);
  } catch (error) {
    if (error instanceof TerraformError) return false;
    throw error;
  }
  return validations.every(({ condition }) => {
    const result = evaluateExpression(condition, { var: { [name]: converted } });
    if (typeof result !== "boolean")
      throw new TerraformError(`${name}: the condition gave ${describe(result)}`);
    return result;
  });
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/** A node's traversal as Terraform writes it (`aws_sns_topic.this[0].arn`), or undefined if it is not one. */
function traversal(node: Node, bound: ReadonlySet<string>): string | undefined {
  switch (node.kind) {
    case "name":
      return bound.has(node.name) ? undefined : node.name;
    case "attribute": {
      const object = traversal(node.object, bound);
      return object === undefined ? undefined : `${object}.${node.name}`;
    }
    case "index": {
      const object = traversal(node.object, bound);
      if (object === undefined) return undefined;
      const { key } = node;
      if (key.kind === "literal") return `${object}[${JSON.stringify(key.value)}]`;
      // A computed key: the address of every instance it may pick.
      return `${object}[*]`;
    }
    case "splat": {
      const object = traversal(node.object, bound);
      const each = traversal(node.each, new Set());
      return object === undefined || each === undefined
        ? undefined
        : `${object}[*]${each.slice(SPLAT.length)}`;
    }
    default:
      return undefined;
  }
}

/** Adds the traversals `node` makes to `found`, names in `bound` (for variables) left out. */
function collectReferences(node: Node, bound: ReadonlySet<string>, found: Set<string>): void {
  const walk = (child: Node, names: ReadonlySet<string> = bound): void =>
    collectReferences(child, names, found);
  const whole = traversal(node, bound);
  if (whole !== undefined) {
    found.add(whole);
    // A computed index's own references.
    for (let part: Node = node; ; ) {
      if (part.kind === "index") {
        if (part.key.kind !== "literal") walk(part.key);
        part = part.object;
      } else if (part.kind === "attribute" || part.kind === "splat") part = part.object;
      else break;
    }
    return;
  }
  switch (node.kind) {
    case "literal":
    case "name":
      return;
    case "tuple":
      for (const item of node.items) walk(item);
      return;
    case "attribute":
    case "negate":
      walk(node.kind === "attribute" ? node.object : node.operand);
      return;
    case "index":
      walk(node.object);
      walk(node.key);
      return;
    case "splat":
      walk(node.object);
      return;
    case "object":
      for (const { key, value } of node.items) {
        walk(key);
        walk(value);
      }
      return;
    case "call":
      for (const arg of node.args) walk(arg);
      return;
    case "not":
      walk(node.operand);
      return;
    case "binary":
      walk(node.left);
      walk(node.right);
      return;
    case "conditional":
      walk(node.test);
      walk(node.yes);
      walk(node.no);
      return;
    case "for": {
      walk(node.collection);
      const inner = new Set([...bound, node.variable, ...(node.key === undefined ? [] : [node.key])]);
      for (const part of [node.keyBody, node.body, node.condition]) if (part !== undefined) walk(part, inner);
      return;
    }
    case "template":
      for (const part of node.parts) if (typeof part !== "string") walk(part);
      return;
  }
}

/**
 * The addresses an expression as hcl2json gives it refers to, as Terraform writes them and once each, in order:
 * `"${module.evaluator.function_name}"` -> `["module.evaluator.function_name"]`,
 * `"${one(aws_sns_topic.this[*].arn)}"` -> `["aws_sns_topic.this[*].arn"]`. A list or an object gives those of
 * its elements (a `depends_on` list, a policy's resources); a computed index is `[*]`; the variables of a for
 * expression are not references. Throws on a construct the parser does not know.
 *
 * @example
 * ```ts
 * references(permission.source_arn); // ["aws_config_config_rule.this.arn"]
 * ```
 */
export function references(expression: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      for (const part of readTemplate(value, 0, false).parts)
        if (typeof part !== "string") collectReferences(part, new Set(), found);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(expression);
  return [...found];
}

/**
 * What the references of an expression name, once each: a resource `<type>.<name>`, `data.<type>.<name>`,
 * `module.<name>`, `var.<name>`, `local.<name>` (attributes and instance keys left out).
 *
 * @example
 * ```ts
 * referencedObjects(block.role); // ["aws_iam_role.publisher"]
 * ```
 */
export function referencedObjects(expression: unknown): string[] {
  return [
    ...new Set(
      references(expression).map((address) => {
        const parts = address.split(/(?=[.[])/);
        const length = parts[0] === "data" ? 3 : 2;
        return parts.slice(0, length).join("");
      }),
    ),
  ];
}

/** `"${var.x}"` -> `"var.x"`: the expression of a string that is one whole interpolation, else undefined. */
export function wholeInterpolation(text: string): string | undefined {
  if (!text.startsWith("${")) return undefined;
  try {
    return interpolationEnd(text, 2) === text.length ? text.slice(2, -1) : undefined;
  } catch (error) {
    if (error instanceof UnsupportedExpression) return undefined;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// A module's scope: its variables given, its locals evaluated, everything else named
// ---------------------------------------------------------------------------------------------

/** What a module declares, as loadModule gives it (only what a scope needs). */
interface ModuleDeclarations {
  readonly dir: string;
  readonly locals: Readonly<Record<string, unknown>>;
  readonly resources: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly modules?: Readonly<Record<string, Block>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly variables?: Readonly<Record<string, Block>>;
  readonly outputs?: Readonly<Record<string, Block>>;
}

/** A module a call's outputs are evaluated from: it needs its variables and outputs. */
type CalledModule = ModuleDeclarations & {
  readonly variables: Readonly<Record<string, Block>>;
  readonly outputs: Readonly<Record<string, Block>>;
};

/** What moduleScope() knows beyond the variables: the modules the calls run, the data sources' attributes. */
export interface ScopeOptions {
  /**
   * The module each call named here runs (call name -> module as loadModule gives it): `module.<call>` is then its
   * outputs, evaluated for the arguments the call passes (its variables' defaults for the rest), not placeholders.
   */
  readonly modules?: Readonly<Record<string, CalledModule>>;
  /** The attributes of data sources (`{ "aws_caller_identity.current": { account_id: "123456789012" } }`). */
  readonly data?: Readonly<Record<string, Value>>;
}

/** An object whose every attribute is the placeholder `<prefix.attribute>`: a value only Terraform knows. */
function named(prefix: string): Value {
  return new Proxy(
    {},
    {
      has: (_, key) => typeof key === "string",
      get: (_, key) => (typeof key === "string" ? placeholder(`${prefix}.${key}`) : undefined),
      ownKeys: () => {
        throw new UnsupportedExpression(`the attributes of ${prefix} are not known here`);
      },
    },
  ) as Value;
}

/** A proxy over `names` that computes each one on first use. */
function lazy(names: readonly string[], compute: (name: string) => Value): Value {
  const cache = new Map<string, Value>();
  return new Proxy(
    {},
    {
      has: (_, key) => typeof key === "string" && names.includes(key),
      get: (_, key) => {
        if (typeof key !== "string" || !names.includes(key)) return undefined;
        if (!cache.has(key)) cache.set(key, compute(key));
        return cache.get(key);
      },
      ownKeys: () => [...names],
      getOwnPropertyDescriptor: (_, key) =>
        typeof key === "string" && names.includes(key) ? { enumerable: true, configurable: true } : undefined,
    },
  ) as Value;
}

/** The arguments of a module block that are not the called module's variables. */
const META_ARGUMENTS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

/**
 * The variables of `child` as the module call `block` sets them, evaluated in the caller's `scope` on first use: a
 * variable the call does not pass is its default, one without a default is Terraform's error.
 */
function callVariables(scope: Readonly<Record<string, Value>>, block: Block, child: CalledModule): Value {
  for (const argument of Object.keys(block))
    if (!META_ARGUMENTS.has(argument) && !(argument in child.variables))
      throw new TerraformError(`the module call passes ${argument}, which ${child.dir} does not declare`);
  return lazy(Object.keys(child.variables), (name) => {
    if (name in block) return evaluateExpression(block[name], scope);
    const variable = child.variables[name] ?? {};
    if (!("default" in variable)) throw new TerraformError(`the module call does not pass ${name}`);
    return evaluateExpression(variable.default, {});
  });
}

/**
 * The scope in which Terraform evaluates `module`'s expressions for the variables `vars`: `local.<name>` is the
 * module's local evaluated in that scope; a resource, data source or module call is named, not known, each
 * attribute the placeholder `<address.attribute>` (`<aws_iam_role.this.arn>`, `<module.evaluator.function_name>`);
 * a resource, data source or module call with count is the list of as many instances as its count gives
 * (`<aws_sns_topic.this[0].arn>`), one with for_each the object of an instance per key
 * (`<aws_cloudwatch_event_rule.forward["eu-west-1"].name>`). So a test can say what an expression is for given
 * variables (the log group's ARN, the variable passed unchanged) and not how it is spelled. `options` gives what
 * Terraform would otherwise know alone: the modules the calls run (their outputs evaluated) and data sources'
 * attributes. A local that refers to itself and a variable not given throw.
 *
 * @example
 * ```ts
 * evaluateExpression(policy.resources[0], moduleScope(evaluator, {})); // "<aws_cloudwatch_log_group.this.arn>:*"
 * ```
 */
export function moduleScope(
  module: ModuleDeclarations,
  vars: Readonly<Record<string, Value>>,
  options: ScopeOptions = {},
): Readonly<Record<string, Value>> {
  const evaluating = new Set<string>();
  const scope: Record<string, Value> = {
    var: vars,
    path: { module: "<path.module>", root: "<path.root>", cwd: "<path.cwd>" },
  };
  scope.local = lazy(Object.keys(module.locals), (name) => {
    if (evaluating.has(name)) throw new UnsupportedExpression(`local.${name} refers to itself`);
    evaluating.add(name);
    try {
      return evaluateExpression(module.locals[name], scope);
    } finally {
      evaluating.delete(name);
    }
  });
  /** The instances of `block` at `address`: one, a list by count, an object by for_each; each `single(address)`. */
  const instances = (address: string, block: Block, single: (at: string) => Value = named): Value => {
    if ("for_each" in block) {
      // A set of strings or a map: one instance per key.
      const forEach = evaluateExpression(block.for_each, scope);
      const keys = isList(forEach)
        ? forEach.map((key) => as<string>(key, "string", "for_each"))
        : Object.keys(as<Record<string, Value>>(forEach, "object", "for_each"));
      return Object.fromEntries(keys.map((key) => [key, single(`${address}[${JSON.stringify(key)}]`)]));
    }
    if (!("count" in block)) return single(address);
    const count = evaluateExpression(block.count, scope);
    if (typeof count !== "number") throw new TerraformError(`${address}: count ${describe(count)}`);
    return Array.from({ length: count }, (_, index) => single(`${address}[${index}]`));
  };
  // data.<type>.<name>: the declared ones counted; any name known only to Terraform unless options give it.
  const data = (type: string, name: string): Value => {
    const given = options.data?.[`${type}.${name}`];
    const single = given === undefined ? named : () => given;
    const block = module.data?.[type]?.[name];
    return block === undefined
      ? single(`data.${type}.${name}`)
      : instances(`data.${type}.${name}`, block, single);
  };
  scope.data = new Proxy(
    {},
    {
      has: (_, key) => typeof key === "string",
      get: (_, type) =>
        typeof type === "string"
          ? new Proxy(
              {},
              {
                has: (__, name) => typeof name === "string",
                get: (__, name) => (typeof name === "string" ? data(type, name) : undefined),
              },
            )
          : undefined,
    },
  ) as Value;
  const calls = module.modules;
  /** A call of a module `options` gives: its outputs, evaluated as the call sets its variables. */
  const outputs = (block: Block, child: CalledModule): Value => {
    if ("for_each" in block) throw new UnsupportedExpression("each in a module call's arguments");
    const inner = moduleScope(child, callVariables(scope, block, child) as Record<string, Value>);
    return lazy(Object.keys(child.outputs), (name) => evaluateExpression(child.outputs[name]?.value, inner));
  };
  scope.module =
    calls === undefined
      ? (new Proxy(
          {},
          {
            has: (_, key) => typeof key === "string",
            get: (_, name) => (typeof name === "string" ? named(`module.${name}`) : undefined),
          },
        ) as Value)
      : lazy(Object.keys(calls), (name) => {
          const block = calls[name] ?? {};
          const child = options.modules?.[name];
          if (child === undefined) return instances(`module.${name}`, block);
          const value = outputs(block, child);
          return instances(`module.${name}`, block, () => value);
        });
  for (const [type, byName] of Object.entries(module.resources)) {
    scope[type] = lazy(Object.keys(byName), (name) => instances(`${type}.${name}`, byName[name] ?? {}));
  }
  return scope;
}

/**
 * The scope in which Terraform evaluates the expressions of `child` as `module` (for `vars` and `options`, as
 * moduleScope() takes them) calls it in its module block `call`: the child's variables the call's arguments
 * evaluated in the caller (their defaults where it passes none). So a test can say what a called module does with
 * what the caller passes.
 *
 * @example
 * ```ts
 * evaluateExpression(rule.event_bus_name, callScope(organization, vars, "notifications", notifications));
 * ```
 */
export function callScope(
  module: ModuleDeclarations,
  vars: Readonly<Record<string, Value>>,
  call: string,
  child: CalledModule,
  options: ScopeOptions = {},
): Readonly<Record<string, Value>> {
  const block = module.modules?.[call];
  if (block === undefined) throw new Error(`module ${call} is not called in ${module.dir}`);
  const scope = moduleScope(module, vars, options);
  return moduleScope(child, callVariables(scope, block, child) as Record<string, Value>);
}
