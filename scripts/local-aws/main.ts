/**
 * `npm run local-aws -- [options]`: the local AWS endpoint as a tool, to try root-activity and the real AWS CLI
 * without an AWS account. Serves a credential report of your choice (or none, an expired one, one being generated),
 * prints the environment to paste into another shell, logs each request on stderr, and stops cleanly on Ctrl-C
 * (SIGINT) or SIGTERM.
 *
 * @example
 * ```sh
 * npm run local-aws -- --report report.csv --report-age 6h
 * # in another shell, paste the printed lines, then:
 * aws --endpoint-url http://127.0.0.1:4566 iam get-credential-report | node dist/cli/root-activity.mjs evaluate --report -
 * ```
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseDuration } from "../../rule/cli/duration.ts";
import { decodeReport } from "../../rule/cli/read-report.ts";
import { minimalRootReport } from "./report-csv.ts";
import { DEMO_ORGANIZATION_ROLE, demoHistory, demoOrganization } from "./scenarios.ts";
import { DEFAULT_HOME_ACCOUNT_ID, startLocalAws } from "./server.ts";
import type { LocalAws, RecordedCall } from "./types.ts";

/**
 * The port a person gets without `--port`: fixed, so pasted variables stay right across restarts.
 *
 * @example
 * ```ts
 * parseLocalAwsArgs([]).port; // 4566
 * ```
 */
export const DEFAULT_PORT = 4566;

/** What `GetCredentialReport` answers at start. */
export type ReportState = "ready" | "absent" | "expired" | "in-progress";

const STATES: readonly ReportState[] = ["ready", "absent", "expired", "in-progress"];

/** What `LookupEvents` holds at start. */
export type CloudTrailHistory = "empty" | "demo";

const HISTORIES: readonly CloudTrailHistory[] = ["empty", "demo"];

/** The tool's options, checked. */
export interface LocalAwsOptions {
  readonly help: boolean;
  readonly port: number;
  /** The home account: `--account-id`, else the report's root account, else the default. */
  readonly accountId: string;
  /** The CSV to serve; a never-used root user when no `--report` is given. */
  readonly report: { readonly content: Buffer; readonly from: string; readonly generatedTime: Date | null };
  readonly state: ReportState;
  /** `GetCredentialReport` calls that answer `ReportInProgress` once a generation runs. */
  readonly readyAfterPolls: number;
  /** `--report-age`, in ms; null: the report's own `GeneratedTime`, or now. */
  readonly reportAgeMs: number | null;
  /** `--organization`: the demo organization. */
  readonly organization: boolean;
  /** `--cloudtrail`: the event history every region serves. */
  readonly cloudTrail: CloudTrailHistory;
  /** Warnings to print at start. */
  readonly notes: readonly string[];
}

/**
 * A usage error of the tool: printed as one line, exit status 2.
 *
 * @example
 * ```ts
 * throw new LocalAwsUsageError('--port "x" is not a port number (0-65535)');
 * ```
 */
export class LocalAwsUsageError extends Error {}

/**
 * The `--help` text.
 *
 * @example
 * ```ts
 * process.stdout.write(LOCAL_AWS_USAGE);
 * ```
 */
export const LOCAL_AWS_USAGE = `Usage: npm run local-aws -- [options]

A local endpoint that speaks AWS's wire protocols for IAM (credential report), STS (AssumeRole), AWS Config
(PutEvaluations), CloudTrail (LookupEvents) and Account (ListRegions), for root-activity and the AWS CLI without
an AWS account. It prints the environment to paste
into another shell, logs each request on stderr, and stops on Ctrl-C or SIGTERM.

Options:
  --port <n>                 TCP port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --report <file>            what GetCredentialReport serves: a raw CSV credential report, or what
                             aws iam get-credential-report printed (json, text, yaml; its GeneratedTime is kept).
                             Default: a report whose root user was never used.
  --report-age <duration>    the report was generated this long ago (e.g. 30m, 6h, 2d; default: its own
                             GeneratedTime, or now). Older than 4h makes root-activity say Cannot verify.
  --report-state <state>     ready (default): served at once
                             absent: ReportNotPresent until GenerateCredentialReport is called
                             expired: ReportExpired until GenerateCredentialReport is called
                             in-progress: ReportInProgress, a generation already running
  --ready-after <n|never>    GetCredentialReport calls answering ReportInProgress once a generation runs
                             (default 2; never: try root-activity --live --timeout)
  --cloudtrail <history>     what CloudTrail LookupEvents finds, in 17 enabled regions (ListRegions):
                             empty (default): no events, root unused in CloudTrail too
                             demo: a root console sign-in 8 h ago in eu-west-1 (MFA, from 203.0.113.45),
                             a centralized root session (AssumeRoot) 3 days ago, IAM user and role activity
  --organization             the account is the management account of a demo organization of 8 members
                             (one NON_COMPLIANT by its report, one by CloudTrail only, one suspended, one
                             without the role): try evaluate --live --organization --role-name
                             ${DEMO_ORGANIZATION_ROLE}
  --account-id <12 digits>   the account of the credentials it hands out (default: the report's root account,
                             or ${DEFAULT_HOME_ACCOUNT_ID})
  -h, --help                 this text
`;

/**
 * Parses and checks the tool's arguments; throws {@link LocalAwsUsageError} naming the bad option.
 *
 * @example
 * ```ts
 * parseLocalAwsArgs(["--port", "0", "--report-state", "absent"]).state; // "absent"
 * ```
 */
export function parseLocalAwsArgs(argv: readonly string[]): LocalAwsOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        report: { type: "string" },
        "report-age": { type: "string" },
        "report-state": { type: "string" },
        "ready-after": { type: "string" },
        "account-id": { type: "string" },
        cloudtrail: { type: "string" },
        organization: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    const first = ((error as Error).message.split("\n")[0] ?? "").split(". ")[0];
    throw new LocalAwsUsageError(`${first} (see --help)`);
  }
  const text = (name: string) => values[name] as string | undefined;
  const portText = text("port") ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new LocalAwsUsageError(`--port ${JSON.stringify(portText)} is not a port number (0-65535)`);
  }
  const state = (text("report-state") ?? "ready") as ReportState;
  if (!STATES.includes(state)) {
    throw new LocalAwsUsageError(
      `--report-state ${JSON.stringify(state)} is not one of ${STATES.join(", ")}`,
    );
  }
  const readyText = text("ready-after") ?? "2";
  if (readyText !== "never" && !/^\d{1,6}$/.test(readyText)) {
    throw new LocalAwsUsageError(`--ready-after ${JSON.stringify(readyText)} is not a whole number or never`);
  }
  const ageText = text("report-age");
  const reportAgeMs = ageText === undefined ? null : parseDuration(ageText);
  if (reportAgeMs === undefined) {
    throw new LocalAwsUsageError(
      `--report-age ${JSON.stringify(ageText)} is not a duration such as 30m, 6h or 2d`,
    );
  }
  const accountText = text("account-id");
  if (accountText !== undefined && !/^\d{12}$/.test(accountText)) {
    throw new LocalAwsUsageError(
      `--account-id ${JSON.stringify(accountText)} is not a 12-digit AWS account id`,
    );
  }
  const cloudTrail = (text("cloudtrail") ?? "empty") as CloudTrailHistory;
  if (!HISTORIES.includes(cloudTrail)) {
    throw new LocalAwsUsageError(
      `--cloudtrail ${JSON.stringify(cloudTrail)} is not one of ${HISTORIES.join(", ")}`,
    );
  }
  const notes: string[] = [];
  const reportPath = text("report");
  let report: LocalAwsOptions["report"];
  let accountId = accountText ?? DEFAULT_HOME_ACCOUNT_ID;
  if (reportPath === undefined) {
    report = {
      content: Buffer.from(minimalRootReport(accountId)),
      from: "a report whose root user was never used",
      generatedTime: null,
    };
  } else {
    let bytes: Buffer;
    try {
      bytes = readFileSync(reportPath);
    } catch (error) {
      throw new LocalAwsUsageError(
        `cannot read --report ${reportPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    let decoded: ReturnType<typeof decodeReport>;
    try {
      decoded = decodeReport(bytes, reportPath);
    } catch (error) {
      throw new LocalAwsUsageError(`--report ${(error as Error).message}`);
    }
    report = {
      content: Buffer.from(decoded.content),
      from: reportPath,
      generatedTime: decoded.generatedTime,
    };
    const rootAccount = /arn:aws[a-z-]*:iam::(\d{12}):root/.exec(report.content.toString("utf8"))?.[1];
    if (rootAccount !== undefined && accountText === undefined) accountId = rootAccount;
    if (rootAccount !== undefined && accountText !== undefined && rootAccount !== accountText) {
      notes.push(
        `the report's root user is account ${rootAccount}, not --account-id ${accountText}: ` +
          "root-activity evaluate --live --role-arn will say the report is another account's",
      );
    }
  }
  return {
    help: values.help === true,
    port,
    accountId,
    report,
    state,
    readyAfterPolls: readyText === "never" ? Number.MAX_SAFE_INTEGER : Number(readyText),
    reportAgeMs,
    cloudTrail,
    organization: values.organization === true,
    notes,
  };
}

/**
 * Quotes a value for a POSIX shell.
 *
 * @example
 * ```ts
 * shellQuote("a'b"); // "'a'\\''b'"
 * ```
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The lines the tool prints at start: what it serves, which credentials it accepts, and the environment to paste.
 *
 * @example
 * ```ts
 * process.stdout.write(`${startBanner(aws, options, new Date()).join("\n")}\n`);
 * ```
 */
export function startBanner(aws: LocalAws, options: LocalAwsOptions, generatedTime: Date): string[] {
  const region = aws.env.AWS_REGION ?? "us-east-1";
  const endpoints = Object.keys(aws.env).filter((name) => name.startsWith("AWS_ENDPOINT_URL_"));
  const env: Array<[string, string]> = [
    ...endpoints.map((name): [string, string] => [name, aws.url]),
    ["AWS_REGION", region],
    ["AWS_DEFAULT_REGION", region],
    ["AWS_ACCESS_KEY_ID", aws.workstationEnv.AWS_ACCESS_KEY_ID ?? ""],
    ["AWS_SECRET_ACCESS_KEY", aws.workstationEnv.AWS_SECRET_ACCESS_KEY ?? ""],
    ["AWS_SESSION_TOKEN", aws.workstationEnv.AWS_SESSION_TOKEN ?? ""],
    ["AWS_PAGER", ""],
  ];
  const state = {
    ready: `ready, generated ${generatedTime.toISOString().replace(/\.\d{3}Z$/, "Z")}`,
    absent: `absent (ReportNotPresent) until GenerateCredentialReport, then ready after ${polls(options)}`,
    expired: `expired (ReportExpired) until GenerateCredentialReport, then ready after ${polls(options)}`,
    "in-progress": `being generated (ReportInProgress), ready after ${polls(options)}`,
  }[options.state];
  return [
    `# root-activity local AWS endpoint on ${aws.url}: IAM (credential report), STS, AWS Config, CloudTrail ` +
      "(LookupEvents), Account (ListRegions), Organizations (ListAccounts). Ctrl-C stops it.",
    ...(options.organization
      ? [
          `# Account ${aws.homeAccountId} manages a demo organization of 8 members; each but legacy-billing has the role ${DEMO_ORGANIZATION_ROLE}.`,
        ]
      : []),
    `# Serving ${options.report.from} for account ${aws.homeAccountId}: ${state}.`,
    `# CloudTrail event history: ${options.cloudTrail === "demo" ? "the demo (a root sign-in 8 hours ago in eu-west-1, a centralized root session 3 days ago)" : "empty (--cloudtrail demo serves a root sign-in)"}.`,
    "# It accepts only the credentials below (signatures are not checked; any other access key id or session",
    "# token is InvalidClientTokenId). Paste into another shell, for the AWS SDK, root-activity and AWS CLI >= 2.13:",
    ...env.map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    "unset AWS_PROFILE AWS_MAX_ATTEMPTS",
    "# Then:",
    "#   node dist/cli/root-activity.mjs evaluate --live",
    ...(options.organization
      ? [
          `#   node dist/cli/root-activity.mjs evaluate --live --organization --role-name ${DEMO_ORGANIZATION_ROLE}`,
        ]
      : []),
    "#   aws iam get-credential-report | node dist/cli/root-activity.mjs evaluate --report -",
    "# AWS CLI before 2.13 (Debian's /usr/bin/aws is 2.9) ignores AWS_ENDPOINT_URL_*: give it the endpoint:",
    `#   aws --endpoint-url ${aws.url} iam get-credential-report | node dist/cli/root-activity.mjs evaluate --report -`,
  ];
}

function polls(options: LocalAwsOptions): string {
  if (options.readyAfterPolls === Number.MAX_SAFE_INTEGER) return "never (--ready-after never)";
  return `${options.readyAfterPolls} more GetCredentialReport call${options.readyAfterPolls === 1 ? "" : "s"}`;
}

/** One request, as the tool logs it on stderr. */
function callLine(call: RecordedCall): string {
  const outcome = call.status === 0 ? `no answer (${call.fault ?? "dropped"})` : String(call.status);
  return `local-aws: ${call.service} ${call.action || "(no action)"} -> ${outcome}${call.errorCode ? ` ${call.errorCode}` : ""}`;
}

/**
 * Starts the endpoint as the options say and prints the banner; resolves with a function that stops it.
 *
 * @example
 * ```ts
 * const stop = await serve(parseLocalAwsArgs(["--port", "0"]), (line) => console.log(line), console.error);
 * await stop();
 * ```
 */
export async function serve(
  options: LocalAwsOptions,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<() => Promise<void>> {
  let aws: LocalAws;
  try {
    aws = await startLocalAws({
      port: options.port,
      homeAccountId: options.accountId,
      onCall: (call) => err(callLine(call)),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new LocalAwsUsageError(
        `port ${options.port} is in use: choose another with --port (0 picks a free one)`,
      );
    }
    throw error;
  }
  const generatedTime =
    options.reportAgeMs !== null
      ? new Date(Date.now() - options.reportAgeMs)
      : (options.report.generatedTime ?? new Date());
  const content = options.report.content;
  const generation = { readyAfterPolls: options.readyAfterPolls };
  switch (options.state) {
    case "ready":
      aws.setReport(content, { generatedTime });
      break;
    case "absent":
      aws.clearReport();
      aws.onGenerate(content, generation);
      break;
    case "expired":
      aws.setReport(content, { generatedTime });
      aws.expireReport();
      aws.onGenerate(content, generation);
      break;
    case "in-progress":
      aws.startGeneration(content, generation);
      break;
  }
  // Times relative to the start, so the demo tells the same story on any day.
  if (options.cloudTrail === "demo") aws.addCloudTrailEvents(demoHistory(new Date(), options.accountId));
  if (options.organization) demoOrganization(aws, new Date());
  for (const line of startBanner(aws, options, generatedTime)) out(line);
  for (const note of options.notes) err(`local-aws: note: ${note}`);
  return () => aws.close();
}

/**
 * The command: parses `argv`, serves until SIGINT or SIGTERM, then stops and exits 0. Usage errors print one line
 * and exit 2.
 *
 * @example
 * ```ts
 * await main(["--port", "4566"]);
 * ```
 */
export async function main(argv: string[]): Promise<void> {
  let options: LocalAwsOptions;
  try {
    options = parseLocalAwsArgs(argv);
    if (options.help) {
      process.stdout.write(LOCAL_AWS_USAGE);
      return;
    }
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const err = (line: string) => process.stderr.write(`${line}\n`);
    // Listen before the banner: whoever reads it may signal at once, and without a listener a signal kills Node.
    let stop: (() => Promise<void>) | undefined;
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      err(`local-aws: ${signal}: stopping`);
      void (stop?.() ?? Promise.resolve()).then(() => {
        err("local-aws: stopped");
        process.exit(0);
      });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    stop = await serve(options, out, err);
    if (stopping) await stop();
  } catch (error) {
    if (error instanceof LocalAwsUsageError) {
      process.stderr.write(`local-aws: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`local-aws: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
