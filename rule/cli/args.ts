import { type ParseArgsConfig, parseArgs } from "node:util";
import { InvalidParameterError, UsageError } from "../errors.ts";
import {
  LOOKBACK_DAYS_MAX,
  LOOKBACK_DAYS_MIN,
  parseRuleParameters,
  REGION_LIST_ALLOWED,
  type RuleParameters,
} from "../params.ts";
import { formatUtc, parseTimestamp } from "../timestamp.ts";
import { DEFAULT_MAX_REPORT_AGE, parseDuration } from "./duration.ts";
import { CONCURRENCY, OPTIONS, type OptionName, type OptionSpec } from "./options.ts";

/** Where `evaluate` reads the report. */
export type ReportSource =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "live"; readonly roleArn?: string };

/** A parsed command line. */
export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "explain"; readonly json: boolean }
  | {
      readonly kind: "evaluate";
      readonly source: ReportSource;
      readonly now: Date;
      readonly params: RuleParameters;
      /** A report generated longer ago than this before `now` cannot vouch for the present. */
      readonly maxReportAgeMs: number;
      /** As the user wrote it (`4h` by default), for messages. */
      readonly maxReportAge: string;
      readonly json: boolean;
      readonly timeoutSeconds: number;
      /** `--organization`: every account of the organization (with `--live`). */
      readonly organization?: OrganizationScan;
    };

/** What `--organization` scans, and how. */
export interface OrganizationScan {
  /** `--role-name`: assumed in every account but the caller's own. */
  readonly roleName: string;
  /** Accounts in flight at once (1-64, default 8). */
  readonly concurrency: number;
  /** `--accounts`: only these; undefined = every account. */
  readonly accounts: readonly string[] | undefined;
  /** `--exclude`: never these. */
  readonly exclude: readonly string[];
  /** `--csv`: one row per account instead of the table. */
  readonly csv: boolean;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** What the command line holds: the positionals, and each option's value (`true` for a boolean). */
interface Tokens {
  readonly positionals: string[];
  readonly values: Map<OptionName, string | true>;
}

function isOption(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

function specOf(name: OptionName): OptionSpec {
  return OPTIONS[name];
}

/** {@link OPTIONS} as `node:util` `parseArgs` takes them. */
const PARSE_ARGS_OPTIONS = Object.fromEntries(
  (Object.entries(OPTIONS) as Array<[OptionName, OptionSpec]>).map(([name, spec]) => [
    name,
    { type: spec.type, ...(spec.short ? { short: spec.short } : {}) },
  ]),
) as NonNullable<ParseArgsConfig["options"]>;

/**
 * Splits the arguments with `node:util` `parseArgs` (`--name value`, `--name=value`, `-h`, `--` ending the
 * options), leniently so that every problem gets this CLI's own message naming the option: an unknown option, one
 * given twice, a value for a boolean, and a string option without its value (at the end, or followed by another of
 * this CLI's options: `--report --live`). A value may start with a dash, as `-` (standard input) does.
 */
function tokenize(argv: readonly string[]): Tokens {
  const { tokens } = parseArgs({
    args: [...argv],
    options: PARSE_ARGS_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const values = new Map<OptionName, string | true>();
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const { name, rawName } = token;
    if (!isOption(name)) throw new UsageError(`unknown option ${JSON.stringify(rawName)} (see --help)`);
    if (values.has(name)) throw new UsageError(`--${name} is given twice`);
    const spec = specOf(name);
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`--${name} takes no value (got "${token.value}")`);
      values.set(name, true);
      continue;
    }
    const value = token.value;
    const anotherOption =
      !token.inlineValue && value?.startsWith("--") && isOption(value.slice(2).split("=")[0] as string);
    if (value === undefined || anotherOption) throw new UsageError(`--${name} needs a value: ${spec.value}`);
    values.set(name, value);
  }
  return { positionals, values };
}

/**
 * Parses the CLI's arguments; throws {@link UsageError} with one line naming the bad option or value.
 *
 * @example
 * ```ts
 * parseCommand(["evaluate", "--report", "r.csv", "--lookback-days", "90"], new Date());
 * ```
 */
export function parseCommand(argv: readonly string[], currentTime: Date): Command {
  const { positionals, values } = tokenize(argv);
  const [verb, ...extra] = positionals;
  if (values.has("help") || verb === "help") {
    if (verb === "help" && extra.length > 0 && !["evaluate", "explain"].includes(extra[0] as string)) {
      throw new UsageError(`unknown command ${JSON.stringify(extra[0])} (see --help)`);
    }
    return { kind: "help" };
  }
  if (values.has("version")) {
    if (verb !== undefined || values.size > 1) throw new UsageError("--version takes no command or option");
    return { kind: "version" };
  }
  if (verb === undefined) throw new UsageError("missing command: evaluate or explain (see --help)");
  if (verb !== "evaluate" && verb !== "explain") {
    throw new UsageError(`unknown command ${JSON.stringify(verb)} (see --help)`);
  }
  if (extra.length > 0) {
    throw new UsageError(`${verb} takes no argument ${JSON.stringify(extra[0])} (see --help)`);
  }
  for (const name of values.keys()) {
    const spec = specOf(name);
    if (!spec.commands.includes(verb)) {
      throw new UsageError(`--${name} does not go with ${verb} (see --help)`);
    }
    if (spec.with !== undefined && !values.has(spec.with as OptionName)) {
      throw new UsageError(`--${name} goes with --${spec.with}`);
    }
  }
  const string = (name: OptionName) => {
    const value = values.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const json = values.has("json");
  if (verb === "explain") return { kind: "explain", json };

  const report = string("report");
  const live = values.has("live");
  if (report !== undefined && live) throw new UsageError("--report and --live exclude each other");
  if (report === undefined && !live) throw new UsageError("evaluate needs --report <file|-> or --live");
  if (report === "") throw new UsageError("--report needs a file name, or - for standard input");
  const roleArn = string("role-arn");
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    throw new UsageError(
      `--role-arn ${JSON.stringify(roleArn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }
  return {
    kind: "evaluate",
    source: live
      ? { kind: "live", ...(roleArn ? { roleArn } : {}) }
      : { kind: "file", path: report as string },
    now: parseNow(string("now"), currentTime, live),
    params: parseParams(
      string("lookback-days"),
      values.has("fail-on-active-access-keys"),
      live ? parseCloudTrail(values, string("cloudtrail-regions")) : undefined,
    ),
    ...parseMaxReportAge(string("max-report-age")),
    json,
    timeoutSeconds: parseTimeout(string("timeout")),
    ...(values.has("organization") ? { organization: parseOrganization(values, string, roleArn, json) } : {}),
  };
}

/** The `--organization` options, checked; every problem names the option and the value. */
function parseOrganization(
  values: Tokens["values"],
  string: (name: OptionName) => string | undefined,
  roleArn: string | undefined,
  json: boolean,
): OrganizationScan {
  if (roleArn !== undefined) {
    throw new UsageError("--role-arn names one account: with --organization, give --role-name instead");
  }
  const csv = values.has("csv");
  if (csv && json) throw new UsageError("--json and --csv exclude each other");
  const roleName = string("role-name");
  if (roleName === undefined) {
    throw new UsageError(
      "--organization needs --role-name <name>: the role to assume in every member account (e.g. OrganizationAccountAccessRole)",
    );
  }
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    throw new UsageError(
      `--role-name ${JSON.stringify(roleName)} is not an IAM role name: 1-64 characters from A-Z a-z 0-9 + = , . @ _ - (no path)`,
    );
  }
  const concurrencyText = string("concurrency");
  const concurrency = concurrencyText === undefined ? CONCURRENCY.default : Number(concurrencyText);
  if (
    concurrencyText !== undefined &&
    (!/^\d+$/.test(concurrencyText) || concurrency < CONCURRENCY.min || concurrency > CONCURRENCY.max)
  ) {
    throw new UsageError(
      `--concurrency ${JSON.stringify(concurrencyText)} is invalid: expected a whole number from ${CONCURRENCY.min} to ${CONCURRENCY.max} (default ${CONCURRENCY.default})`,
    );
  }
  const accounts = string("accounts");
  return {
    roleName,
    concurrency,
    accounts: accounts === undefined ? undefined : parseAccountIds("accounts", accounts),
    exclude: parseAccountIds("exclude", string("exclude") ?? ""),
    csv,
  };
}

/** A comma-separated list of 12-digit account ids, each once (repeats are dropped); `--accounts ""` is an error. */
function parseAccountIds(option: "accounts" | "exclude", text: string): string[] {
  if (text === "" && option === "exclude") return [];
  const ids = text.split(",").map((id) => id.trim());
  const bad = ids.find((id) => !/^\d{12}$/.test(id));
  if (bad !== undefined) {
    throw new UsageError(
      `--${option} ${JSON.stringify(text)} is invalid: ${bad === "" ? "an empty entry" : JSON.stringify(bad)} is not a 12-digit account id (expected ids separated by commas)`,
    );
  }
  return [...new Set(ids)];
}

/**
 * `--now`: any instant for a report file; with `--live` none after the current time, since the evidence read now
 * cannot say what will have happened by then (and CloudTrail refuses a time range that starts in the future).
 */
function parseNow(value: string | undefined, currentTime: Date, live: boolean): Date {
  if (value === undefined) return currentTime;
  const now = parseTimestamp(value);
  if (!now) {
    throw new UsageError(
      `--now ${JSON.stringify(value)} is not an ISO 8601 date-time with offset, e.g. 2026-11-29T12:00:00Z`,
    );
  }
  if (live && now.getTime() > currentTime.getTime()) {
    throw new UsageError(
      `--now ${JSON.stringify(value)} is in the future (it is ${formatUtc(currentTime)}): with --live the evidence ` +
        "is read now, so evaluate at the current time (leave --now out) or at a time in the past",
    );
  }
  return now;
}

/** The CloudTrail part of the rule's parameters, from `--cloudtrail`, `--no-cloudtrail` and their companions. */
type CloudTrailParameters = Pick<
  RuleParameters,
  "cloudTrailLookup" | "cloudTrailRegions" | "countCentralizedRootSessions"
>;

function parseCloudTrail(values: Tokens["values"], regions: string | undefined): CloudTrailParameters {
  const off = values.has("no-cloudtrail");
  if (values.has("cloudtrail") && off) {
    throw new UsageError("--cloudtrail and --no-cloudtrail exclude each other");
  }
  const count = values.has("count-centralized-root-sessions");
  if (off && regions !== undefined) {
    throw new UsageError("--cloudtrail-regions reads CloudTrail: it does not go with --no-cloudtrail");
  }
  if (off && count) {
    throw new UsageError(
      "--count-centralized-root-sessions reads CloudTrail: it does not go with --no-cloudtrail",
    );
  }
  let cloudTrailRegions: readonly string[] | undefined;
  if (regions !== undefined) {
    try {
      cloudTrailRegions = parseRuleParameters({ cloudTrailRegions: regions }).cloudTrailRegions;
    } catch (error) {
      if (!(error instanceof InvalidParameterError)) throw error;
      throw new UsageError(
        `--cloudtrail-regions ${JSON.stringify(regions)} is invalid: expected ${REGION_LIST_ALLOWED}`,
        { cause: error },
      );
    }
    // The rule reads an empty value as "every enabled region"; on a command line, leave the option out for that.
    if (cloudTrailRegions === undefined || cloudTrailRegions.length === 0) {
      throw new UsageError('--cloudtrail-regions "" is empty: leave it out to read every enabled region');
    }
  }
  return { cloudTrailLookup: !off, cloudTrailRegions, countCentralizedRootSessions: count };
}

/** A report file holds no CloudTrail: the rule's parameters say so, and the output does not claim a lookup. */
const NO_CLOUDTRAIL: CloudTrailParameters = {
  cloudTrailLookup: false,
  cloudTrailRegions: undefined,
  countCentralizedRootSessions: false,
};

function parseParams(
  lookbackDays: string | undefined,
  failOnActiveAccessKeys: boolean,
  cloudTrail: CloudTrailParameters = NO_CLOUDTRAIL,
): RuleParameters {
  const allowed = `expected a whole number of days from ${LOOKBACK_DAYS_MIN} to ${LOOKBACK_DAYS_MAX} (default 30)`;
  // The rule's parameters read an empty value as "the default"; on a command line it is a mistake.
  if (lookbackDays !== undefined && !/^\d+$/.test(lookbackDays)) {
    throw new UsageError(`--lookback-days ${JSON.stringify(lookbackDays)} is invalid: ${allowed}`);
  }
  try {
    return {
      ...parseRuleParameters({
        ...(lookbackDays === undefined ? {} : { lookbackDays }),
        failOnActiveAccessKeys,
      }),
      ...cloudTrail,
    };
  } catch (error) {
    if (error instanceof InvalidParameterError) {
      throw new UsageError(`--lookback-days ${JSON.stringify(lookbackDays)} is invalid: ${allowed}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function parseMaxReportAge(value: string | undefined): { maxReportAgeMs: number; maxReportAge: string } {
  const text = value ?? DEFAULT_MAX_REPORT_AGE;
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new UsageError(
      `--max-report-age ${JSON.stringify(text)} is invalid: expected a positive whole number with a unit s, m, h or d, e.g. 90m, 24h, 7d (default ${DEFAULT_MAX_REPORT_AGE})`,
    );
  }
  return { maxReportAgeMs: ms, maxReportAge: text };
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 120;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 900) {
    throw new UsageError(
      `--timeout ${JSON.stringify(value)} is invalid: expected a whole number of seconds from 1 to 900 (default 120)`,
    );
  }
  return seconds;
}
