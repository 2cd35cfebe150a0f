/**
 * Drives the built Lambda bundle (`dist/lambda/index.mjs`) with the real AWS SDK over HTTP against the local AWS
 * endpoint: what runs in Lambda is what is tested.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
  const module = (await import(pathToFileURL(BUNDLE).href)) as { handler: Handler };
  return { aws, handler: module.handler };
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
export function configEvent(options: EventOptions = {}): Record<string, unknown> {
  const accountId = options.accountId ?? "111122223333";
  const partition = options.partition ?? "aws";
  const ruleName = options.configRuleName ?? "root-activity";
  const event: Record<string, unknown> = {
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
