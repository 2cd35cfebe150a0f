import { InvalidParameterError, UsageError } from "../errors.ts";
import {
  LOOKBACK_DAYS_MAX,
  LOOKBACK_DAYS_MIN,
  parseRuleParameters,
  REGION_LIST_ALLOWED,
  type RuleParameters,
} from "../params.ts";
import { parseTimestamp } from "../timestamp.ts";
import { DEFAULT_MAX_REPORT_AGE, parseDuration } from "./duration.ts";

/** The commands. */
export type Verb = "evaluate" | "explain" | "help";

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

/** `--concurrency` bounds and default. */
export const CONCURRENCY = { min: 1, max: 64, default: 8 } as const;

/** One option of the command line. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** Placeholder of the value in the usage text, e.g. `<file|->`. */
  readonly value?: string;
  readonly short?: string;
  /** The commands that take it. */
  readonly commands: readonly Verb[];
  /** Only together with this (boolean) option or this string option: `--role-arn` goes with `--live`. */
  readonly with?: string;
  readonly help: string;
}

/**
 * Every option, in usage order: the one place to add an option. Values are checked in {@link parseCommand}.
 *
 * @example
 * ```ts
 * OPTIONS["lookback-days"].value; // "<N>"
 * ```
 */
export const OPTIONS = {
  report: {
    type: "string",
    value: "<file|->",
    commands: ["evaluate"],
    help: "the report: raw CSV, or what `aws iam get-credential-report` prints (json, text, yaml, yaml-stream); - or /dev/stdin reads standard input",
  },
  live: {
    type: "boolean",
    commands: ["evaluate"],
    help: "fetch the report with the AWS credentials of the environment (profile, SSO, env vars)",
  },
  "role-arn": {
    type: "string",
    value: "<arn>",
    commands: ["evaluate"],
    with: "live",
    help: "assume this role first (check a member account)",
  },
  organization: {
    type: "boolean",
    commands: ["evaluate"],
    with: "live",
    help: "every account of the organization (Organizations ListAccounts with your credentials: the management account or a delegated administrator)",
  },
  "role-name": {
    type: "string",
    value: "<name>",
    commands: ["evaluate"],
    with: "organization",
    help: "the role to assume in every other account, e.g. OrganizationAccountAccessRole or an audit role (required)",
  },
  concurrency: {
    type: "string",
    value: "<n>",
    commands: ["evaluate"],
    with: "organization",
    help: `accounts evaluated at once (${CONCURRENCY.min}-${CONCURRENCY.max}, default ${CONCURRENCY.default})`,
  },
  accounts: {
    type: "string",
    value: "<id,...>",
    commands: ["evaluate"],
    with: "organization",
    help: "only these accounts (12-digit ids, comma-separated)",
  },
  exclude: {
    type: "string",
    value: "<id,...>",
    commands: ["evaluate"],
    with: "organization",
    help: "leave these accounts out (12-digit ids, comma-separated)",
  },
  csv: {
    type: "boolean",
    commands: ["evaluate"],
    with: "organization",
    help: "print one CSV row per account (with a header) instead of the table",
  },
  timeout: {
    type: "string",
    value: "<seconds>",
    commands: ["evaluate"],
    with: "live",
    help: "how long to wait for AWS, report generation included (1-900, default 120; with --organization, per account)",
  },
  now: {
    type: "string",
    value: "<ISO-8601>",
    commands: ["evaluate"],
    help: "evaluation time, with an offset, e.g. 2026-11-29T12:00:00Z (default: now)",
  },
  "lookback-days": {
    type: "string",
    value: "<N>",
    commands: ["evaluate"],
    help: `root use within N days is NON_COMPLIANT (${LOOKBACK_DAYS_MIN}-${LOOKBACK_DAYS_MAX}, default 30)`,
  },
  "max-report-age": {
    type: "string",
    value: "<duration>",
    commands: ["evaluate"],
    help: `an older report cannot vouch for the present: Cannot verify (e.g. 90m, 24h, 7d; default ${DEFAULT_MAX_REPORT_AGE})`,
  },
  cloudtrail: {
    type: "boolean",
    commands: ["evaluate"],
    with: "live",
    help: "also read CloudTrail event history for root events in every enabled region (the default with --live)",
  },
  "no-cloudtrail": {
    type: "boolean",
    commands: ["evaluate"],
    with: "live",
    help: "read the credential report only",
  },
  "cloudtrail-regions": {
    type: "string",
    value: "<region,...>",
    commands: ["evaluate"],
    with: "live",
    help: "read the event history of these regions instead of every region enabled in the account",
  },
  "count-centralized-root-sessions": {
    type: "boolean",
    commands: ["evaluate"],
    with: "live",
    help: "root sessions opened with sts:AssumeRoot count as root use (by default they are listed, not counted)",
  },
  "fail-on-active-access-keys": {
    type: "boolean",
    commands: ["evaluate"],
    help: "an active root access key is NON_COMPLIANT even if unused",
  },
  json: {
    type: "boolean",
    commands: ["evaluate", "explain"],
    help: "print one JSON object instead of text",
  },
  help: { type: "boolean", short: "h", commands: ["evaluate", "explain", "help"], help: "this text" },
  version: { type: "boolean", commands: [], help: "the version" },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * The `--help` text, written from {@link OPTIONS}.
 *
 * @example
 * ```ts
 * console.log(USAGE);
 * ```
 */
export const USAGE = usage();

function usage(): string {
  const rows = (Object.entries(OPTIONS) as Array<[string, OptionSpec]>).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.value ? ` ${spec.value}` : ""}${spec.with ? ` (with --${spec.with})` : ""}`,
    spec.help,
  ]);
  const width = Math.max(...rows.map(([left]) => (left as string).length)) + 2;
  return [
    "Usage:",
    "  root-activity evaluate --report <file|-> [options]   evaluate a downloaded credential report",
    "  root-activity evaluate --live [--role-arn <arn>] [options]",
    "                                                       fetch and evaluate the current account's report",
    "  root-activity evaluate --live --organization --role-name <name> [--json | --csv] [options]",
    "                                                       every account of the organization",
    "  root-activity explain [--json]                       how to remediate a NON_COMPLIANT account",
    "  root-activity help | --help | -h | --version",
    "",
    "Options:",
    ...rows.flatMap(([left, help]) =>
      wrap(help as string, 100 - 2 - width).map(
        (line, i) => `  ${(i === 0 ? (left as string) : "").padEnd(width)}${line}`,
      ),
    ),
    "",
    "Examples:",
    "  aws iam get-credential-report | root-activity evaluate --report -",
    "  root-activity evaluate --live --role-arn arn:aws:iam::444455556666:role/audit --json",
    "  root-activity evaluate --live --cloudtrail-regions us-east-1,eu-west-1",
    "  root-activity evaluate --live --organization --role-name OrganizationAccountAccessRole --csv",
    "",
    'Exit status: 0 COMPLIANT, 1 NON_COMPLIANT (including "Cannot verify"), 2 usage, input or AWS error.',
  ].join("\n");
}

/** Splits `text` into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** What the tokenizer found: the positionals, and each option's value (`true` for a boolean). */
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

/**
 * Splits the arguments into options and positionals by {@link OPTIONS}: `--name value` and `--name=value` for
 * string options (a value may start with a dash, as `-1` or `-` do), `--name` for booleans, `-h`, and `--` to end
 * the options. Every problem is a {@link UsageError} naming the option.
 */
function tokenize(argv: readonly string[]): Tokens {
  const positionals: string[] = [];
  const values = new Map<OptionName, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else {
      const short = (Object.entries(OPTIONS) as Array<[OptionName, OptionSpec]>).find(
        ([, spec]) => spec.short === arg.slice(1),
      );
      if (!short) throw new UsageError(`unknown option ${JSON.stringify(arg)} (see --help)`);
      name = short[0];
    }
    if (!isOption(name)) throw new UsageError(`unknown option ${JSON.stringify(`--${name}`)} (see --help)`);
    if (values.has(name)) throw new UsageError(`--${name} is given twice`);
    const spec = specOf(name);
    if (spec.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value (got "${inline}")`);
      values.set(name, true);
      continue;
    }
    if (inline !== undefined) {
      values.set(name, inline);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith("--") && isOption(next.slice(2).split("=")[0] as string))) {
      throw new UsageError(`--${name} needs a value: ${spec.value}`);
    }
    values.set(name, next);
    i++;
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
    now: parseNow(string("now"), currentTime),
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

function parseNow(value: string | undefined, currentTime: Date): Date {
  if (value === undefined) return currentTime;
  const now = parseTimestamp(value);
  if (!now) {
    throw new UsageError(
      `--now ${JSON.stringify(value)} is not an ISO 8601 date-time with offset, e.g. 2026-11-29T12:00:00Z`,
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
