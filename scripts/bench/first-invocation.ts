/**
 * First invocation: a fresh Node process imports the bundle and calls its handler once against the local AWS
 * endpoint (the real SDK over HTTP), as a Lambda cold start does. Scenarios set up the endpoint's report
 * state before each run; the calls the endpoint saw are counted per run.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { reportWithUsers, rootRow } from "../../test/support/report-builder.ts";
import type { LocalAws } from "../local-aws/server.ts";
import { CLOUDTRAIL_SCENARIOS } from "./cloudtrail.ts";
import { cleanEnv, median, roundRobin, runChild } from "./measure.ts";

const INVOKE_PROBE = new URL("probes/invoke.mjs", import.meta.url).pathname;

/** The account the scenarios evaluate in an organization rule (the home account is the local default). */
export const MEMBER_ACCOUNT_ID = "444455556666";
const MEMBER_ROLE_NAME = "root-activity-member";

/** The Terraform module's default `memory_size`, in MB. */
export function terraformMemorySize(): number {
  const text = readFileSync(new URL("../../terraform/variables.tf", import.meta.url), "utf8");
  const match = /variable\s+"memory_size"\s*\{[^}]*?default\s*=\s*(\d+)/s.exec(text);
  if (!match?.[1]) throw new Error('terraform/variables.tf: no default for variable "memory_size"');
  return Number(match[1]);
}

/** The function's memory size the children are run as: the Terraform module's default. */
export const LAMBDA_MEMORY_MB = terraformMemorySize();

/**
 * V8 heap limits as Lambda's Node.js runtime sets them for `memoryMb`: a tenth of the memory for the young
 * generation (half of it per semi-space), the rest for the old generation. Children run with them, so garbage
 * is collected as it would be in a function of that size, and what does not fit runs out of memory.
 *
 * @example
 * ```ts
 * lambdaHeapFlags(128); // ["--max-semi-space-size=6", "--max-old-space-size=116"]
 * ```
 */
export function lambdaHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** One way the endpoint can be when the rule runs. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Report size (IAM users besides root). */
  readonly users: number;
  /** An organization rule: the report is the member account's. */
  readonly organization?: boolean;
  /** Puts the endpoint in the scenario's state (after a reset); returns the event's account and parameters. */
  readonly prepare: (aws: LocalAws, csv: string) => { accountId: string; ruleParameters: string };
}

// The report-only path (`cloudTrailLookup=false`): the floor of calls and time that the CloudTrail scenarios
// (scripts/bench/cloudtrail.ts) are measured against.
const SINGLE_ACCOUNT = JSON.stringify({ lookbackDays: "30", cloudTrailLookup: "false" });
const HOURS = 3_600_000;

/**
 * The scenarios: the common production path first (a report younger than 4 hours exists), then the paths that
 * make IAM generate one, all with the credential report alone; then the CloudTrail ones. IAM is answered "ready"
 * at the first poll, so call counts are the floor.
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: "fresh",
    title: "fresh report (younger than 4 h), report only",
    users: 100,
    prepare: (aws, csv) => {
      aws.setReport(csv);
      return { accountId: aws.homeAccountId, ruleParameters: SINGLE_ACCOUNT };
    },
  },
  {
    id: "stale",
    title: "stale report (older than 4 h): generate, poll; report only",
    users: 100,
    prepare: (aws, csv) => {
      aws.setReport(csv, { generatedTime: new Date(Date.now() - 5 * HOURS) });
      aws.onGenerate(csv);
      return { accountId: aws.homeAccountId, ruleParameters: SINGLE_ACCOUNT };
    },
  },
  {
    id: "none",
    title: "no report: generate, poll; report only",
    users: 100,
    prepare: (aws, csv) => {
      aws.clearReport();
      aws.onGenerate(csv);
      return { accountId: aws.homeAccountId, ruleParameters: SINGLE_ACCOUNT };
    },
  },
  {
    id: "fresh-organization",
    title: "fresh report, organization rule (assumes the member role), report only",
    users: 100,
    organization: true,
    prepare: (aws, csv) => {
      aws.addRole(`arn:aws:iam::${MEMBER_ACCOUNT_ID}:role/${MEMBER_ROLE_NAME}`);
      aws.setReport(csv, { accountId: MEMBER_ACCOUNT_ID });
      return {
        accountId: MEMBER_ACCOUNT_ID,
        ruleParameters: JSON.stringify({
          lookbackDays: "30",
          cloudTrailLookup: "false",
          executionRoleName: MEMBER_ROLE_NAME,
        }),
      };
    },
  },
  ...CLOUDTRAIL_SCENARIOS,
];

/** One cold invocation. */
export interface InvokeSample {
  readonly wallMs: number;
  readonly importMs: number;
  readonly handlerMs: number;
  readonly rssAfterImportKiB: number;
  readonly maxRssKiB: number;
  readonly cpuMs: number;
  readonly outcome: string;
  /** `service:Action` → count, as the endpoint saw them. */
  readonly calls: Readonly<Record<string, number>>;
}

/** Medians over the samples of one subject. */
export interface InvokeSummary {
  readonly id: string;
  readonly runs: number;
  readonly wallMs: number;
  readonly importMs: number;
  readonly handlerMs: number;
  readonly maxRssKiB: number;
  readonly cpuMs: number;
  readonly outcomes: readonly string[];
}

const reportCache = new Map<string, string>();

/** The scenario's report: `users` IAM users, root row first (as AWS writes it), for `accountId`. */
export function scenarioReport(users: number, accountId: string): string {
  const key = `${users}/${accountId}`;
  let csv = reportCache.get(key);
  if (csv === undefined) {
    csv = reportWithUsers(users, "first", rootRow({}, accountId));
    reportCache.set(key, csv);
  }
  return csv;
}

/**
 * Runs `bundle`'s handler once in a fresh process against `aws`, in `scenario`'s state.
 *
 * @example
 * ```ts
 * const sample = await invokeOnce(aws, "dist/lambda/index.mjs", SCENARIOS[0]);
 * ```
 */
export async function invokeOnce(
  aws: LocalAws,
  bundle: string,
  scenario: Scenario,
  users = scenario.users,
): Promise<InvokeSample> {
  aws.reset();
  const accountId = scenario.organization ? MEMBER_ACCOUNT_ID : aws.homeAccountId;
  const { accountId: eventAccount, ruleParameters } = scenario.prepare(aws, scenarioReport(users, accountId));
  const env = cleanEnv({
    ...aws.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_LAMBDA_FUNCTION_NAME: "root-activity",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(LAMBDA_MEMORY_MB),
    POWERTOOLS_LOG_LEVEL: "INFO",
    BENCH_EVENT: JSON.stringify(configEvent(eventAccount, ruleParameters)),
  });
  let run: { wallMs: number; result: Omit<InvokeSample, "wallMs" | "calls"> };
  try {
    run = await runChild(
      [...lambdaHeapFlags(LAMBDA_MEMORY_MB), INVOKE_PROBE, pathToFileURL(bundle).href],
      env,
    );
  } catch (error) {
    // A process that dies (out of memory at the Lambda's heap limits) reports nothing but how it died.
    const message = String(error);
    const outcome = /heap out of memory/.test(message)
      ? "out of memory"
      : `crashed: ${message.split("\n")[0]}`;
    const nan = Number.NaN;
    run = {
      wallMs: nan,
      result: { importMs: nan, handlerMs: nan, rssAfterImportKiB: nan, maxRssKiB: nan, cpuMs: nan, outcome },
    };
  }
  const { wallMs, result } = run;
  const calls: Record<string, number> = {};
  for (const call of aws.calls) {
    const key = `${call.service}:${call.action}`;
    calls[key] = (calls[key] ?? 0) + 1;
  }
  return { wallMs, ...result, calls };
}

/**
 * Cold invocations of several bundles (or sizes) side by side: `rounds` rounds, subjects in rotating order.
 *
 * @example
 * ```ts
 * const [a, b] = await measureInvocations(aws, [{ id: "a", bundle: pa, scenario }, { id: "b", bundle: pb, scenario }], 9);
 * ```
 */
export async function measureInvocations(
  aws: LocalAws,
  subjects: ReadonlyArray<{ id: string; bundle: string; scenario: Scenario; users?: number }>,
  rounds: number,
): Promise<InvokeSummary[]> {
  const samples = await roundRobin(
    rounds,
    subjects.map((s) => () => invokeOnce(aws, s.bundle, s.scenario, s.users)),
  );
  return subjects.map((subject, i) => {
    const list = samples[i] ?? [];
    return {
      id: subject.id,
      runs: list.length,
      wallMs: median(list.map((s) => s.wallMs)),
      importMs: median(list.map((s) => s.importMs)),
      handlerMs: median(list.map((s) => s.handlerMs)),
      maxRssKiB: median(list.map((s) => s.maxRssKiB)),
      cpuMs: median(list.map((s) => s.cpuMs)),
      outcomes: [...new Set(list.map((s) => s.outcome))],
    };
  });
}

/** A periodic Config rule event, as Config sends it. */
function configEvent(accountId: string, ruleParameters: string): Record<string, unknown> {
  return {
    version: "1.0",
    invokingEvent: JSON.stringify({
      awsAccountId: accountId,
      notificationCreationTime: new Date().toISOString(),
      messageType: "ScheduledNotification",
      recordVersion: "1.0",
    }),
    ruleParameters,
    resultToken: "eyJlbmNyeXB0ZWREYXRhIjpbMSwyLDNdfQ==",
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:us-east-1:${accountId}:config-rule/config-rule-bench01`,
    configRuleName: "root-activity",
    configRuleId: "config-rule-bench01",
    accountId,
    evaluationMode: "DETECTIVE",
  };
}
