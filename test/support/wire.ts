/**
 * Drives the built Lambda bundle (`dist/lambda/index.mjs`) with the real AWS SDK over HTTP against the local AWS
 * endpoint: what runs in Lambda is what is tested.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import type { ConfigRuleInvocation } from "../../rule/event.ts";
import { type LocalAws, startLocalAws } from "../../scripts/local-aws/server.ts";

export type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ complianceType: string; annotation: string }>;

export const BUNDLE = resolve(import.meta.dirname, "../../dist/lambda/index.mjs");

/**
 * Starts the local endpoint, points the SDK at it through the environment and imports the bundle. One per test
 * file (the bundle reads the environment when it creates its clients).
 *
 * @example
 * ```ts
 * const { aws, handler } = await startWire();
 * ```
 */
export async function startWire(
  env: Record<string, string> = {},
): Promise<{ aws: LocalAws; handler: Handler }> {
  const aws = await startLocalAws();
  for (const key of Object.keys(process.env)) {
    if (key.startsWith("AWS_")) delete process.env[key];
  }
  // The SDK warns once on Node 20 (this machine); Lambda runs nodejs22.x. The warning is not a log line.
  Object.assign(
    process.env,
    aws.env,
    { POWERTOOLS_LOG_LEVEL: "INFO", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    env,
  );
  return { aws, handler: await coldHandler() };
}

let instances = 0;

/**
 * The handler of a new instance of the bundle's entry module, as a cold Lambda start gets it: its own client cache,
 * its own STS client, so its own SDK retry quotas. Tests never inherit a quota that earlier tests' faults spent.
 *
 * @example
 * ```ts
 * const handler = await coldHandler();
 * ```
 */
export async function coldHandler(): Promise<Handler> {
  instances += 1;
  const module = (await import(`${pathToFileURL(BUNDLE).href}?instance=${instances}`)) as {
    handler: Handler;
  };
  return module.handler;
}

export interface EventOptions {
  readonly accountId?: string;
  readonly notificationCreationTime?: string;
  readonly ruleParameters?: string | undefined;
  readonly resultToken?: string;
  readonly eventLeftScope?: boolean;
  readonly configRuleName?: string;
  readonly partition?: string;
}

/**
 * A periodic Config rule event, as Config sends it (see shared/reference/config-rules.md).
 *
 * @example
 * ```ts
 * configEvent({ ruleParameters: '{"lookbackDays":"7"}' });
 * ```
 */
export function configEvent(options: EventOptions = {}): ConfigRuleInvocation {
  const accountId = options.accountId ?? "111122223333";
  const partition = options.partition ?? "aws";
  const ruleName = options.configRuleName ?? "root-activity";
  const event: ConfigRuleInvocation = {
    version: "1.0",
    invokingEvent: JSON.stringify({
      awsAccountId: accountId,
      notificationCreationTime: options.notificationCreationTime ?? new Date().toISOString(),
      messageType: "ScheduledNotification",
      recordVersion: "1.0",
    }),
    resultToken: options.resultToken ?? "eyJlbmNyeXB0ZWREYXRhIjpbMSwyLDNdfQ==",
    eventLeftScope: options.eventLeftScope ?? false,
    executionRoleArn: `arn:${partition}:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:${partition}:config:us-east-1:${accountId}:config-rule/config-rule-pdmyw1`,
    configRuleName: ruleName,
    configRuleId: "config-rule-pdmyw1",
    accountId,
    evaluationMode: "DETECTIVE",
  };
  if ("ruleParameters" in options) {
    if (options.ruleParameters !== undefined) event.ruleParameters = options.ruleParameters;
  } else {
    event.ruleParameters = '{"lookbackDays":"30"}';
  }
  return event;
}

/**
 * A periodic Config rule event at evaluation time `t` (`notificationCreationTime`), with a 30-day window and
 * `parameters`.
 *
 * @example
 * ```ts
 * await invoke(eventAt(t, { cloudTrailRegions: "eu-west-1" }));
 * ```
 */
export function eventAt(t: Date, parameters: Record<string, string> = {}): ConfigRuleInvocation {
  return configEvent({
    notificationCreationTime: t.toISOString(),
    ruleParameters: JSON.stringify({ lookbackDays: "30", ...parameters }),
  });
}

/**
 * `times` of a fault that never ends.
 *
 * @example
 * ```ts
 * aws.inject({ kind: "reset", service: "cloudtrail", times: ALWAYS });
 * ```
 */
export const ALWAYS = Number.POSITIVE_INFINITY;

/**
 * The annotation of the first evaluation the endpoint received, or "" when none was posted.
 *
 * @example
 * ```ts
 * expect(firstAnnotation(aws)).toMatch(/^Root user signed in/);
 * ```
 */
export function firstAnnotation(aws: LocalAws): string {
  return aws.evaluations[0]?.evaluations[0]?.Annotation ?? "";
}

/**
 * The `notificationCreationTime` an event carries: the instant the rule evaluates at, so the time every report and
 * CloudTrail record of a wire test is dated from.
 *
 * @example
 * ```ts
 * const event = configEvent();
 * aws.setReport(buildReport({ rows: [rootRow({ password_last_used: iamDate(daysBefore(eventTime(event), 2)) })] }));
 * ```
 */
export function eventTime(event: ConfigRuleInvocation): Date {
  const { notificationCreationTime } = JSON.parse(event.invokingEvent) as {
    notificationCreationTime: string;
  };
  return new Date(notificationCreationTime);
}

/**
 * A Lambda context whose remaining time counts down from `remainingMs`.
 *
 * @example
 * ```ts
 * await handler(configEvent(), lambdaContext(3_000));
 * ```
 */
export function lambdaContext(remainingMs = 30_000) {
  const end = Date.now() + remainingMs;
  return {
    awsRequestId: "c0ffee00-0000-4000-8000-000000000000",
    functionName: "root-activity",
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
  };
}

/**
 * Captures everything written to stdout and stderr (Powertools writes log lines there) until `restore()`.
 *
 * @example
 * ```ts
 * const logs = captureOutput(); await handler(e, c); logs.restore(); logs.jsonLines();
 * ```
 */
export function captureOutput() {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const grab = (chunk: unknown) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  return {
    text: () => chunks.join(""),
    jsonLines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

/** An hour in milliseconds, for report ages (one copy, in test/support/evaluation.ts). */
export { HOUR } from "./evaluation.ts";

/** The member account of organization wire tests (the home account is 111122223333). */
export const MEMBER = "444455556666";

/**
 * `actions()` (the calls of the report and the post, without the CloudTrail lookup's) and `count(action)` of a
 * test file's endpoint.
 *
 * @example
 * ```ts
 * const { actions, count } = callsOf(aws);
 * expect(actions()).toEqual(["iam:GetCredentialReport", "config:PutEvaluations"]);
 * ```
 */
export function callsOf(aws: LocalAws): { actions: () => string[]; count: (action: string) => number } {
  return { actions: () => actionsOf(aws, { cloudTrail: false }), count: (action) => countOf(aws, action) };
}

/** The calls of the CloudTrail part of the evidence: the account's alias, its regions, its event history. */
export const CLOUDTRAIL_LOOKUP_CALLS: ReadonlySet<string> = new Set([
  "iam:ListAccountAliases",
  "account:ListRegions",
  "cloudtrail:LookupEvents",
]);

/**
 * `service:action` of every call the endpoint received, in order; with `cloudTrail: false`, without the calls of
 * the CloudTrail lookup (which runs beside the report's), for tests about the report and the post.
 *
 * @example
 * ```ts
 * expect(actionsOf(aws, { cloudTrail: false })).toEqual(["iam:GetCredentialReport", "config:PutEvaluations"]);
 * ```
 */
export function actionsOf(aws: LocalAws, options: { readonly cloudTrail?: boolean } = {}): string[] {
  return aws.calls
    .map((call) => `${call.service}:${call.action}`)
    .filter((action) => options.cloudTrail !== false || !CLOUDTRAIL_LOOKUP_CALLS.has(action));
}

/**
 * How many calls of `action` (any service) the endpoint received.
 *
 * @example
 * ```ts
 * expect(countOf(aws, "GetCredentialReport")).toBe(4);
 * ```
 */
export function countOf(aws: LocalAws, action: string): number {
  return aws.calls.filter((call) => call.action === action).length;
}

/** What one invocation gave: its result or its error, how long it took, and the log lines it wrote. */
export interface Invocation {
  readonly result: Awaited<ReturnType<Handler>> | undefined;
  readonly error: Error | undefined;
  readonly elapsedMs: number;
  readonly logs: Array<Record<string, unknown>>;
}

/**
 * Runs `handler` once with `remainingMs` left, capturing its log lines (so test output stays clean and logs can be
 * checked) and timing it. It never throws: a failed invocation gives `error`.
 *
 * @example
 * ```ts
 * const { result, error, logs } = await invoke(handler, configEvent(), 6_000);
 * ```
 */
export async function invoke(handler: Handler, event: unknown, remainingMs = 30_000): Promise<Invocation> {
  const logs = captureOutput();
  const started = Date.now();
  try {
    const result = await handler(event, lambdaContext(remainingMs));
    return { result, error: undefined, elapsedMs: Date.now() - started, logs: logs.jsonLines() };
  } catch (error) {
    return {
      result: undefined,
      error: error as Error,
      elapsedMs: Date.now() - started,
      logs: logs.jsonLines(),
    };
  } finally {
    logs.restore();
  }
}

/** The endpoint and the handler of a test file that `useWire` set up. */
export interface Wire {
  /** The local AWS endpoint: forwards to the one started before the file's tests, so use it in tests and hooks. */
  readonly aws: LocalAws;
  /** The bundle's handler. */
  readonly handler: Handler;
  /** `invoke(handler, event, remainingMs)`. */
  readonly invoke: (event: unknown, remainingMs?: number) => Promise<Invocation>;
}

/**
 * Registers the hooks of a wire test file: `startWire(env)` before all tests; a reset of the endpoint before each;
 * its close after all. A test that counts SDK retries takes a `coldHandler()` of its own. Call it once, at the top of the file; hooks
 * the file registers before it run before the start and after the close.
 *
 * @example
 * ```ts
 * const { aws, invoke } = useWire();
 * it("posts", async () => {
 *   aws.setReport(csv);
 *   const { result } = await invoke(configEvent());
 * });
 * ```
 */
export function useWire(env: Record<string, string> = {}): Wire {
  let started: { aws: LocalAws; handler: Handler } | undefined;
  const current = () => {
    if (started === undefined) throw new Error("useWire: the local AWS endpoint is not started yet");
    return started;
  };
  beforeAll(async () => {
    started = await startWire(env);
  });
  afterAll(async () => {
    await started?.aws.close();
  });
  beforeEach(() => {
    current().aws.reset();
  });
  const aws = new Proxy({} as LocalAws, {
    get: (_, key) => {
      const target = current().aws;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set: (_, key, value) => Reflect.set(current().aws, key, value),
    has: (_, key) => Reflect.has(current().aws, key),
  });
  const handler: Handler = (event, context) => current().handler(event, context);
  return { aws, handler, invoke: (event, remainingMs) => invoke(handler, event, remainingMs) };
}

/**
 * The invocation failed in time with `name` and a message matching `message`, nothing was posted, and the log's
 * failure line names the error.
 *
 * @example
 * ```ts
 * expectFailure(aws, run, 6_000, "ReportRetrievalError", /Throttling/);
 * ```
 */
export function expectFailure(
  aws: LocalAws,
  run: Invocation,
  remainingMs: number,
  name: string,
  message: RegExp,
): void {
  expect(run.result).toBeUndefined();
  expect(run.error?.name).toBe(name);
  expect(run.error?.message).toMatch(message);
  expect(run.elapsedMs).toBeLessThan(remainingMs);
  expect(aws.evaluations).toHaveLength(0);
  const line = run.logs.find((l) => String(l.message).startsWith("evaluation failed"));
  expect(line).toMatchObject({ level: "ERROR", errorName: name });
}

/**
 * The invocation posted exactly one evaluation, in time, of `complianceType`.
 *
 * @example
 * ```ts
 * expectOnePost(aws, run, 6_000, "NON_COMPLIANT");
 * ```
 */
export function expectOnePost(
  aws: LocalAws,
  run: Invocation,
  remainingMs: number,
  complianceType: string,
): void {
  expect(run.error).toBeUndefined();
  expect(run.result?.complianceType).toBe(complianceType);
  expect(run.elapsedMs).toBeLessThan(remainingMs);
  expect(aws.evaluations).toHaveLength(1);
  expect(aws.evaluations[0]?.evaluations).toHaveLength(1);
  expect(aws.evaluations[0]?.evaluations[0]?.ComplianceType).toBe(complianceType);
}
