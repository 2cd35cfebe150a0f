import { LOOKBACK_DAYS_MAX, LOOKBACK_DAYS_MIN } from "../params.ts";
import { DEFAULT_MAX_REPORT_AGE } from "./duration.ts";

/** The commands. */
export type Verb = "evaluate" | "explain" | "help";

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
