import { parseArgs } from "node:util";
import { InvalidParameterError, UsageError } from "../errors.ts";
import { parseRuleParameters, type RuleParameters } from "../params.ts";
import { parseTimestamp } from "../timestamp.ts";

/** A parsed command line. */
export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "explain"; readonly json: boolean }
  | {
      readonly kind: "evaluate";
      readonly source:
        | { readonly kind: "file"; readonly path: string }
        | { readonly kind: "live"; readonly roleArn?: string };
      readonly now: Date;
      readonly params: RuleParameters;
      readonly json: boolean;
      readonly timeoutSeconds: number;
    };

/** The `--help` text. */
export const USAGE = `Usage:
  root-activity evaluate --report <file|-> [options]   evaluate a downloaded credential report
  root-activity evaluate --live [--role-arn <arn>] [options]
                                                      fetch and evaluate the report of the current AWS account
  root-activity explain [--json]                      how to remediate a NON_COMPLIANT account
  root-activity --help | --version

Options:
  --report <file|->               raw CSV credential report, or the JSON of \`aws iam get-credential-report\`
  --live                          use the AWS credentials of the environment (profile, SSO, env vars)
  --role-arn <arn>                with --live: assume this role first (check a member account)
  --now <ISO-8601>                evaluation time (default: now)
  --lookback-days <N>             root use within N days is NON_COMPLIANT (1-3650, default 30)
  --fail-on-active-access-keys    an active root access key is NON_COMPLIANT even if unused
  --timeout <seconds>             with --live: how long to wait for IAM to generate the report (default 120)
  --json                          print one JSON object instead of text

Exit status: 0 COMPLIANT, 1 NON_COMPLIANT (including "Cannot verify"), 2 usage, input or AWS error.`;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * Parses the CLI's arguments; throws {@link UsageError} with one line naming the bad option.
 *
 * @example
 * ```ts
 * parseCommand(["evaluate", "--report", "r.csv", "--lookback-days", "90"], new Date());
 * ```
 */
export function parseCommand(argv: readonly string[], currentTime: Date): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // Node's first sentence names the problem; the rest ("To specify a positional argument…") confuses.
    const first = ((error as Error).message.split("\n")[0] ?? "").split(". ")[0];
    throw new UsageError(`${first} (see --help)`, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [verb, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])} (see --help)`);
  if (verb === "explain") return { kind: "explain", json: values.json ?? false };
  if (verb !== "evaluate") {
    throw new UsageError(
      verb ? `unknown command ${JSON.stringify(verb)} (see --help)` : "missing command (see --help)",
    );
  }
  if (values.report !== undefined && values.live)
    throw new UsageError("--report and --live exclude each other");
  if (values.report === undefined && !values.live)
    throw new UsageError("evaluate needs --report <file|-> or --live");
  if (values.report === "") throw new UsageError("--report needs a file name, or - for standard input");
  if (values["role-arn"] !== undefined) {
    if (!values.live) throw new UsageError("--role-arn goes with --live");
    if (!ROLE_ARN.test(values["role-arn"])) {
      throw new UsageError(`--role-arn ${JSON.stringify(values["role-arn"])} is not an IAM role ARN`);
    }
  }
  let now = currentTime;
  if (values.now !== undefined) {
    const parsedNow = parseTimestamp(values.now);
    if (!parsedNow) {
      throw new UsageError(
        `--now ${JSON.stringify(values.now)} is not an ISO 8601 date-time with offset, e.g. 2024-05-02T08:00:00Z`,
      );
    }
    now = parsedNow;
  }
  const timeoutSeconds = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!/^\d+$/.test(values.timeout ?? "120") || timeoutSeconds < 1 || timeoutSeconds > 900) {
    throw new UsageError(
      `--timeout ${JSON.stringify(values.timeout)} must be a whole number of seconds from 1 to 900`,
    );
  }
  let params: RuleParameters;
  try {
    params = parseRuleParameters({
      ...(values["lookback-days"] === undefined ? {} : { lookbackDays: values["lookback-days"] }),
      failOnActiveAccessKeys: values["fail-on-active-access-keys"] ?? false,
    });
  } catch (error) {
    if (error instanceof InvalidParameterError) {
      throw new UsageError(
        `--lookback-days ${JSON.stringify(error.value)} is invalid: expected ${error.allowed}`,
        { cause: error },
      );
    }
    throw error;
  }
  return {
    kind: "evaluate",
    source: values.live
      ? { kind: "live", ...(values["role-arn"] ? { roleArn: values["role-arn"] } : {}) }
      : { kind: "file", path: values.report as string },
    now,
    params,
    json: values.json ?? false,
    timeoutSeconds,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      report: { type: "string" },
      live: { type: "boolean" },
      "role-arn": { type: "string" },
      now: { type: "string" },
      "lookback-days": { type: "string" },
      "fail-on-active-access-keys": { type: "boolean" },
      timeout: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}
