import { InvalidParameterError } from "./errors.ts";

/** The rule's parameters, validated. */
export interface RuleParameters {
  /** Root use within this many days (of 86 400 s) is NON_COMPLIANT. */
  readonly lookbackDays: number;
  /** When true, an active root access key is NON_COMPLIANT even if never used. */
  readonly failOnActiveAccessKeys: boolean;
  /** Organization deployments: the role to assume in the evaluated account; undefined = use own credentials. */
  readonly executionRoleName: string | undefined;
  /** Read CloudTrail event history too, not only the credential report. */
  readonly cloudTrailLookup: boolean;
  /** The regions whose event history is read; undefined = every region enabled in the account (account:ListRegions). */
  readonly cloudTrailRegions: readonly string[] | undefined;
  /** Events of sessions opened with `sts:AssumeRoot` (centralized root access) count as root use. */
  readonly countCentralizedRootSessions: boolean;
}

/** Defaults: 30 days is the window of the nOps rule this product replaces. */
export const DEFAULT_PARAMETERS: RuleParameters = Object.freeze({
  lookbackDays: 30,
  failOnActiveAccessKeys: false,
  executionRoleName: undefined,
  cloudTrailLookup: true,
  cloudTrailRegions: undefined,
  countCentralizedRootSessions: false,
});

/** Bounds of `lookbackDays`: a day to ten years. */
export const LOOKBACK_DAYS_MIN = 1;
export const LOOKBACK_DAYS_MAX = 3650;

/** More regions than any partition has. */
const MAX_REGIONS = 50;

const LOOKBACK_ALLOWED = `a whole number from ${LOOKBACK_DAYS_MIN} to ${LOOKBACK_DAYS_MAX} (default 30)`;
const ROLE_NAME_ALLOWED = "an IAM role name: 1-64 characters from A-Z a-z 0-9 + = , . @ _ - (no path)";
/**
 * What a list of regions may be, wherever one is given (`cloudTrailRegions`, the CLI's `--cloudtrail-regions`).
 *
 * @example
 * ```ts
 * `expected ${REGION_LIST_ALLOWED}`;
 * ```
 */
export const REGION_LIST_ALLOWED =
  'comma-separated region names such as "us-east-1,eu-west-1", each once, at most 50';
const REGIONS_ALLOWED = `${REGION_LIST_ALLOWED} (empty: every enabled region)`;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/**
 * us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, us-isob-east-1, eusc-de-east-1…: the region names of
 * every partition in the AWS SDK's endpoint data (test/params.test.ts checks them all).
 */
const REGION_NAME = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

const PARAMETER_NAMES = [
  "lookbackDays",
  "failOnActiveAccessKeys",
  "executionRoleName",
  "cloudTrailLookup",
  "cloudTrailRegions",
  "countCentralizedRootSessions",
] as const;

type ParameterName = (typeof PARAMETER_NAMES)[number];

function isParameterName(name: string): name is ParameterName {
  return (PARAMETER_NAMES as readonly string[]).includes(name);
}

/**
 * Validates rule parameters as Config passes them: a JSON string (values usually strings), an object, or
 * nothing. Throws {@link InvalidParameterError} naming the parameter and the allowed values.
 *
 * @example
 * ```ts
 * parseRuleParameters('{"lookbackDays":"90","cloudTrailRegions":"us-east-1,eu-west-1"}');
 * // { lookbackDays: 90, failOnActiveAccessKeys: false, …, cloudTrailRegions: ["us-east-1", "eu-west-1"] }
 * parseRuleParameters(undefined); // DEFAULT_PARAMETERS
 * ```
 */
export function parseRuleParameters(raw: unknown): RuleParameters {
  const object = toObject(raw);
  const result: { -readonly [K in keyof RuleParameters]: RuleParameters[K] } = { ...DEFAULT_PARAMETERS };
  for (const [name, value] of Object.entries(object)) {
    if (!isParameterName(name)) {
      throw new InvalidParameterError(
        name,
        value,
        `one of the known parameters (${PARAMETER_NAMES.join(", ")}); "${name}" is not one`,
      );
    }
    // An empty value is how the Config console leaves an optional parameter unset.
    if (value === null || (typeof value === "string" && value.trim() === "")) continue;
    switch (name) {
      case "lookbackDays":
        result.lookbackDays = parseLookbackDays(value);
        break;
      case "failOnActiveAccessKeys":
      case "cloudTrailLookup":
      case "countCentralizedRootSessions":
        result[name] = parseBoolean(name, value);
        break;
      case "executionRoleName":
        result.executionRoleName = parseRoleName(value);
        break;
      case "cloudTrailRegions":
        result.cloudTrailRegions = parseRegions(value);
        break;
    }
  }
  return Object.freeze(result);
}

function toObject(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  let value = raw;
  if (typeof raw === "string") {
    if (raw.trim() === "") return {};
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      throw new InvalidParameterError("ruleParameters", raw, 'a JSON object such as {"lookbackDays":"30"}', {
        cause,
      });
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidParameterError("ruleParameters", raw, 'a JSON object such as {"lookbackDays":"30"}');
  }
  return value as Record<string, unknown>;
}

function parseLookbackDays(value: unknown): number {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) n = Number(value);
  else throw new InvalidParameterError("lookbackDays", value, LOOKBACK_ALLOWED);
  if (!Number.isInteger(n) || n < LOOKBACK_DAYS_MIN || n > LOOKBACK_DAYS_MAX) {
    throw new InvalidParameterError("lookbackDays", value, LOOKBACK_ALLOWED);
  }
  return n;
}

function parseBoolean(name: ParameterName, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "true") return true;
    if (text === "false") return false;
  }
  const fallback = DEFAULT_PARAMETERS[name];
  throw new InvalidParameterError(name, value, `"true" or "false" (default "${String(fallback)}")`);
}

function parseRoleName(value: unknown): string {
  if (typeof value === "string" && ROLE_NAME.test(value.trim())) return value.trim();
  throw new InvalidParameterError("executionRoleName", value, ROLE_NAME_ALLOWED);
}

function parseRegions(value: unknown): readonly string[] {
  if (typeof value !== "string") throw new InvalidParameterError("cloudTrailRegions", value, REGIONS_ALLOWED);
  const regions = value.split(",").map((region) => region.trim());
  const valid =
    regions.length <= MAX_REGIONS &&
    regions.every((region) => REGION_NAME.test(region)) &&
    new Set(regions).size === regions.length;
  if (!valid) throw new InvalidParameterError("cloudTrailRegions", value, REGIONS_ALLOWED);
  return Object.freeze(regions);
}
