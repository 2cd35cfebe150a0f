/**
 * Reads CloudFormation YAML (what AWS Config takes as a conformance pack template) with the `yaml`
 * library and a schema of CloudFormation's short-form tags (`!Ref`, `!If`, `!Sub`, ...), each
 * turned into its long form (`{ Ref: ... }`, `{ "Fn::If": [...] }`). A tag outside that list is
 * an error, as it is for CloudFormation. `resolve()` evaluates the intrinsics a conformance pack's
 * rule properties use, for given parameter values, so tests can see the rule AWS Config creates.
 */
import { type CollectionTag, parseDocument, type ScalarTag, type Tags } from "yaml";

/** Short-form tags of CloudFormation and the long form each stands for. */
const INTRINSICS = {
  Ref: "Ref",
  Condition: "Condition",
  Sub: "Fn::Sub",
  If: "Fn::If",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  And: "Fn::And",
  Or: "Fn::Or",
  GetAtt: "Fn::GetAtt",
  Join: "Fn::Join",
  Select: "Fn::Select",
  Split: "Fn::Split",
  FindInMap: "Fn::FindInMap",
  Base64: "Fn::Base64",
  Cidr: "Fn::Cidr",
  GetAZs: "Fn::GetAZs",
  ImportValue: "Fn::ImportValue",
  Transform: "Fn::Transform",
} as const;

/** The CloudFormation tags, each in the scalar, sequence and mapping form CloudFormation allows. */
export const CLOUDFORMATION_TAGS: Tags = Object.entries(INTRINSICS).flatMap(([short, long]) => {
  const scalar: ScalarTag = {
    tag: `!${short}`,
    // `!GetAtt Resource.Attribute` is the scalar form of ["Resource", "Attribute"].
    resolve: (value) => (short === "GetAtt" ? { [long]: value.split(".", 2) } : { [long]: value }),
  };
  const collection = (kind: "seq" | "map"): CollectionTag => ({
    tag: `!${short}`,
    collection: kind,
    resolve: (node) => ({ [long]: node.toJSON() }),
  });
  return [scalar, collection("seq"), collection("map")];
});

/** Parses CloudFormation YAML; any error or warning (an unknown tag among them) throws. */
export function parseCloudFormation(source: string): Record<string, unknown> {
  const document = parseDocument(source, { customTags: CLOUDFORMATION_TAGS, prettyErrors: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join("\n"));
  const value: unknown = document.toJS();
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("a template is a mapping");
  }
  return value as Record<string, unknown>;
}

/** The `{ Ref: name }` references anywhere in `value`. */
export function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "Ref" && typeof inner === "string" ? [inner] : refs(inner),
  );
}

/** The condition names `{ "Fn::If": [name, ...] }` and `{ Condition: name }` use anywhere in `value`. */
export function conditionUses(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(conditionUses);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    if (key === "Fn::If" && Array.isArray(inner) && typeof inner[0] === "string") {
      return [inner[0], ...conditionUses(inner.slice(1))];
    }
    if (key === "Condition" && typeof inner === "string") return [inner];
    return conditionUses(inner);
  });
}

/** Marks a value that `AWS::NoValue` removed. */
const NO_VALUE = Symbol("AWS::NoValue");

/**
 * Evaluates `value` the way CloudFormation does for the intrinsics `Ref` (parameters and
 * `AWS::NoValue`), `Fn::If`, `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` and `Condition`, given
 * the parameter values and the template's Conditions. A property or list item whose value is
 * `AWS::NoValue` is removed. Any other intrinsic, or a reference to something undeclared, throws.
 */
export function resolve(
  value: unknown,
  parameters: Readonly<Record<string, string>>,
  conditions: Readonly<Record<string, unknown>> = {},
): unknown {
  const condition = (name: unknown): boolean => {
    if (typeof name !== "string" || !(name in conditions))
      throw new Error(`unknown condition ${String(name)}`);
    const result = evaluate(conditions[name]);
    if (typeof result !== "boolean") throw new Error(`condition ${name} is not a boolean`);
    return result;
  };
  const evaluate = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(evaluate).filter((item) => item !== NO_VALUE);
    if (typeof node !== "object" || node === null) return node;
    const entries = Object.entries(node);
    const [first] = entries;
    if (
      entries.length === 1 &&
      first !== undefined &&
      (first[0] === "Ref" || first[0] === "Condition" || first[0].startsWith("Fn::"))
    ) {
      const [name, argument] = first;
      const list = (count: number): unknown[] => {
        if (!Array.isArray(argument) || argument.length !== count)
          throw new Error(`${name} takes ${count} arguments`);
        return argument;
      };
      switch (name) {
        case "Ref":
          if (argument === "AWS::NoValue") return NO_VALUE;
          if (typeof argument !== "string" || !(argument in parameters))
            throw new Error(`Ref to undeclared ${String(argument)}`);
          return parameters[argument];
        case "Condition":
          return condition(argument);
        case "Fn::If": {
          const [test, yes, no] = list(3);
          return evaluate(condition(test) ? yes : no);
        }
        case "Fn::Equals": {
          const [left, right] = list(2).map(evaluate);
          return String(left) === String(right);
        }
        case "Fn::Not":
          return !(evaluate(list(1)[0]) as boolean);
        case "Fn::And":
        case "Fn::Or": {
          if (!Array.isArray(argument)) throw new Error(`${name} takes a list`);
          const results = argument.map(evaluate);
          return name === "Fn::And" ? results.every((r) => r === true) : results.some((r) => r === true);
        }
        default:
          throw new Error(`${name} is not evaluated here`);
      }
    }
    return Object.fromEntries(
      entries
        .map(([key, inner]) => [key, evaluate(inner)] as const)
        .filter(([, inner]) => inner !== NO_VALUE),
    );
  };
  const result = evaluate(value);
  return result === NO_VALUE ? undefined : result;
}
