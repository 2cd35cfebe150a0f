/**
 * A model of EventBridge event pattern matching on an event bus, for the patterns the Terraform
 * modules write, so tests can check them against sample events without AWS.
 *
 * What it follows, from the EventBridge User Guide ("Creating Amazon EventBridge event patterns",
 * "Comparison operators for use in event patterns") and AWS's matching library, Event Ruler
 * (github.com/aws/event-ruler, README: "Ruler by Example", "Exists matching", "$or"):
 *
 * - Fields at one level are AND; the values listed for a field are OR. A pattern field matches
 *   an event whose value at that path is one of them; when the event's value is an array, when
 *   any element is. Values compare as JSON values (`"true"` is not `true`).
 * - Nested objects in the pattern match nested objects in the event; a missing object is
 *   treated as an empty one, so that `exists: false` below it matches.
 * - `{ "prefix": "…" }`, `{ "suffix": "…" }`: string values only.
 * - `{ "exists": true }` matches a leaf value that is present, `{ "exists": false }` one that is
 *   absent. Exists works on leaf nodes only: an object at that path counts as absent.
 * - `{ "anything-but": x }` with a string, a number or a list of them (or `{ "prefix": … }`):
 *   a present leaf value that is none of them. An absent field does not match it (a pattern
 *   field only matches values the event has); use `exists: false` for that.
 * - `"$or": [ {…}, {…}, … ]` (two or more patterns) at any level: any of them, each applied at
 *   that level.
 *
 * Anything else (numeric, cidr, wildcard, equals-ignore-case, malformed patterns) throws rather
 * than being guessed.
 */

export type EventPattern = { readonly [key: string]: readonly unknown[] | EventPattern };

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isLeaf = (value: unknown): boolean => value !== undefined && !isObject(value);

/** The leaf values of an event field: its elements when it is an array, else the value itself. */
function leafValues(value: unknown): unknown[] {
  if (value === undefined || isObject(value)) return [];
  return Array.isArray(value) ? value.filter((item) => !isObject(item)) : [value];
}

function isScalar(value: unknown): value is string | number {
  return typeof value === "string" || typeof value === "number";
}

function anythingBut(option: unknown, candidate: unknown): boolean {
  if (isObject(option)) {
    const keys = Object.keys(option);
    if (keys.length === 1 && typeof option.prefix === "string") {
      return typeof candidate === "string" && !candidate.startsWith(option.prefix);
    }
    throw new Error(`unsupported anything-but ${JSON.stringify(option)}`);
  }
  const excluded = Array.isArray(option) ? option : [option];
  if (excluded.length === 0 || !excluded.every(isScalar)) {
    throw new Error(`anything-but takes strings or numbers: ${JSON.stringify(option)}`);
  }
  return isScalar(candidate) && !excluded.includes(candidate);
}

/** Whether one value of a pattern field's list matches the event's value at that path. */
function matchesOption(option: unknown, value: unknown): boolean {
  if (!isObject(option)) {
    if (Array.isArray(option))
      throw new Error(`a list inside a pattern's value list: ${JSON.stringify(option)}`);
    return leafValues(value).some((candidate) => candidate === option);
  }
  const keys = Object.keys(option);
  if (keys.length !== 1) throw new Error(`one operator per value: ${JSON.stringify(option)}`);
  const [operator = ""] = keys;
  const argument = option[operator];
  switch (operator) {
    case "exists":
      if (typeof argument !== "boolean") throw new Error(`exists takes true or false`);
      return argument === isLeaf(value);
    case "prefix":
      if (typeof argument !== "string") throw new Error(`prefix takes a string`);
      return leafValues(value).some(
        (candidate) => typeof candidate === "string" && candidate.startsWith(argument),
      );
    case "suffix":
      if (typeof argument !== "string") throw new Error(`suffix takes a string`);
      return leafValues(value).some(
        (candidate) => typeof candidate === "string" && candidate.endsWith(argument),
      );
    case "anything-but":
      return leafValues(value).some((candidate) => anythingBut(argument, candidate));
    default:
      throw new Error(`operator ${operator} is not modelled`);
  }
}

/**
 * Whether `pattern` matches `event`, as an EventBridge rule would.
 *
 * @example
 * ```ts
 * matches({ source: ["aws.signin"], detail: { userIdentity: { type: ["Root"] } } }, event);
 * matches({ detail: { invokedBy: [{ exists: false }] } }, { detail: {} }); // true
 * ```
 */
export function matches(pattern: EventPattern, event: unknown): boolean {
  const object: Record<string, unknown> = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === "$or") {
      if (!Array.isArray(expected) || expected.length < 2 || !expected.every(isObject)) {
        throw new Error(`$or takes two or more patterns: ${JSON.stringify(expected)}`);
      }
      return expected.some((alternative) => matches(alternative as EventPattern, object));
    }
    const value = object[key];
    if (Array.isArray(expected)) {
      if (expected.length === 0) throw new Error(`empty value list at ${key}`);
      return expected.some((option) => matchesOption(option, value));
    }
    if (!isObject(expected)) throw new Error(`bad pattern at ${key}: ${JSON.stringify(expected)}`);
    return matches(expected as EventPattern, isObject(value) ? value : {});
  });
}

/** Parses a pattern written as JSON (an `event_pattern`), refusing anything but an object. */
export function parsePattern(json: string): EventPattern {
  const parsed = JSON.parse(json) as Json;
  if (!isObject(parsed)) throw new Error("an event pattern is a JSON object");
  return parsed as EventPattern;
}
