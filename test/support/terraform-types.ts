/**
 * Terraform's type constraints of variables (`list(string)`, `map(object({ a = optional(string, "x") }))`) and the
 * conversion Terraform applies to a value given for one: a number or a bool given for a string becomes its text, a
 * list for a set loses its duplicates and is ordered, an object for an object type keeps only the declared
 * attributes and gets each missing optional one's default. What does not convert is Terraform's error.
 */
import { evaluateExpression, TerraformError, type Value } from "./hcl-expression.ts";

/** A type constraint. */
export type TerraformType =
  | { readonly kind: "string" | "number" | "bool" | "any" }
  | { readonly kind: "list" | "set" | "map"; readonly element: TerraformType }
  | {
      readonly kind: "object";
      readonly attributes: Readonly<
        Record<string, { type: TerraformType; optional: boolean; default: Value }>
      >;
    };

/**
 * The type constraint a variable's `type` gives, as hcl2json writes it (`"${list(string)}"`); none is `any`.
 *
 * @example
 * ```ts
 * parseType("${set(string)}"); // { kind: "set", element: { kind: "string" } }
 * ```
 */
export function parseType(type: unknown): TerraformType {
  if (type === undefined) return { kind: "any" };
  if (typeof type !== "string") throw new Error(`a type constraint must be an expression: ${String(type)}`);
  const source = /^\$\{([\s\S]*)\}$/.exec(type)?.[1] ?? type;
  let at = 0;
  const space = (): void => {
    while (at < source.length && /[\s,]/.test(source[at] ?? "")) at += 1;
  };
  const word = (): string => {
    space();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at));
    if (!match) throw new Error(`unexpected ${JSON.stringify(source.slice(at, at + 20))} in type ${type}`);
    at += match[0].length;
    return match[0];
  };
  const take = (char: string): void => {
    space();
    if (source[at] !== char) throw new Error(`expected ${char} at ${at} of type ${type}`);
    at += 1;
  };
  /** The text of an expression up to the `)` that closes the optional() it is in. */
  const expressionText = (): string => {
    const start = at;
    let depth = 0;
    while (at < source.length) {
      const char = source[at];
      if (char === '"') {
        at += 1;
        while (at < source.length && source[at] !== '"') at += source[at] === "\\" ? 2 : 1;
      } else if (char === "(" || char === "[" || char === "{") depth += 1;
      else if (char === ")" || char === "]" || char === "}") {
        if (depth === 0) break;
        depth -= 1;
      }
      at += 1;
    }
    return source.slice(start, at).trim();
  };
  const parseOne = (): TerraformType => {
    const name = word();
    if (name === "string" || name === "number" || name === "bool" || name === "any") return { kind: name };
    if (name === "list" || name === "set" || name === "map") {
      take("(");
      const element = parseOne();
      take(")");
      return { kind: name, element };
    }
    if (name !== "object") throw new Error(`the type ${name} is not supported here (${type})`);
    take("(");
    take("{");
    const attributes: Record<string, { type: TerraformType; optional: boolean; default: Value }> = {};
    for (;;) {
      space();
      if (source[at] === "}") break;
      const attribute = word();
      take("=");
      space();
      if (source.startsWith("optional(", at)) {
        at += "optional(".length;
        const inner = parseOne();
        space();
        const text = expressionText();
        take(")");
        attributes[attribute] = {
          type: inner,
          optional: true,
          default: text === "" ? null : evaluateExpression(`\${${text}}`, {}),
        };
      } else {
        attributes[attribute] = { type: parseOne(), optional: false, default: null };
      }
    }
    take("}");
    take(")");
    return { kind: "object", attributes };
  };
  const parsed = parseOne();
  space();
  if (at !== source.length) throw new Error(`text after the type in ${type}`);
  return parsed;
}

const isRecord = (value: Value): value is { readonly [key: string]: Value } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `value` converted to `type` as Terraform converts a variable's value (`where` names it in errors); null stays
 * null.
 *
 * @example
 * ```ts
 * convert(["b", "a", "b"], parseType("${set(string)}"), "var.regions"); // ["a", "b"]
 * ```
 */
export function convert(value: Value, type: TerraformType, where: string): Value {
  if (value === null || type.kind === "any") return value;
  const fail = (): never => {
    throw new TerraformError(`${where}: ${JSON.stringify(value)} is not a ${type.kind}`);
  };
  switch (type.kind) {
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return fail();
    case "number":
      if (typeof value === "number") return value;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
        return Number(value);
      return fail();
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      return fail();
    case "list":
    case "set": {
      if (!Array.isArray(value)) return fail();
      const items = (value as readonly Value[]).map((item, index) =>
        convert(item, type.element, `${where}[${index}]`),
      );
      if (type.kind === "list") return items;
      const unique = items.filter(
        (item, index) => items.findIndex((other) => JSON.stringify(other) === JSON.stringify(item)) === index,
      );
      return unique.every((item) => typeof item === "string") ? [...unique].sort() : unique;
    }
    case "map":
      if (!isRecord(value)) return fail();
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, convert(item, type.element, `${where}["${key}"]`)]),
      );
    case "object": {
      if (!isRecord(value)) return fail();
      const result: Record<string, Value> = {};
      for (const [name, attribute] of Object.entries(type.attributes)) {
        const given = value[name];
        if (given === undefined && !attribute.optional)
          throw new TerraformError(`${where}: attribute ${name} is required`);
        result[name] =
          given === undefined || given === null
            ? attribute.optional
              ? convert(attribute.default, attribute.type, `${where}.${name}`)
              : null
            : convert(given, attribute.type, `${where}.${name}`);
      }
      return result;
    }
  }
}
