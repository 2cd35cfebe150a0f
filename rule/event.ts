import { InvalidEventError } from "./errors.ts";
import { parseTimestamp } from "./timestamp.ts";

/**
 * The Lambda event AWS Config sends to a custom rule, as it arrives on the wire (`aws-lambda` has no type for
 * it). Every field is checked by {@link parseRuleEvent} before use.
 */
export interface ConfigRuleInvocation {
  version?: string;
  invokingEvent: string;
  ruleParameters?: string;
  resultToken: string;
  eventLeftScope?: boolean;
  executionRoleArn?: string;
  configRuleArn?: string;
  configRuleName?: string;
  configRuleId?: string;
  accountId: string;
  evaluationMode?: string;
}

/** The Config rule invocation as root-activity uses it, validated. */
export interface RuleEvent {
  readonly accountId: string;
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  readonly ruleParameters: string | undefined;
  readonly configRuleName: string | undefined;
  readonly configRuleArn: string | undefined;
  /** From the rule ARN, else the execution role ARN; `aws` when neither names one. */
  readonly partition: string;
  readonly invokingEvent: ScheduledInvokingEvent;
}

/** The part of `invokingEvent` a periodic rule uses. */
export interface ScheduledInvokingEvent {
  readonly messageType: "ScheduledNotification";
  readonly notificationCreationTime: Date;
  readonly awsAccountId: string | undefined;
}

/** Message types Config sends; only the periodic one makes sense for an account-level rule. */
export const KNOWN_MESSAGE_TYPES = [
  "ScheduledNotification",
  "ConfigurationItemChangeNotification",
  "OversizedConfigurationItemChangeNotification",
  "ConfigurationSnapshotDeliveryCompleted",
] as const;

const ACCOUNT_ID = /^\d{12}$/;
const ARN_PARTITION = /^arn:(aws[a-z-]*):/;

/** The test mode token Config's console uses: evaluations are checked but not recorded. */
export const TEST_MODE_TOKEN = "TESTMODE";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a Lambda event from AWS Config and returns its typed form. Throws {@link InvalidEventError} naming the
 * field and the problem.
 *
 * @example
 * ```ts
 * const event = parseRuleEvent(lambdaEvent);
 * event.invokingEvent.notificationCreationTime; // a Date
 * ```
 */
export function parseRuleEvent(raw: unknown): RuleEvent {
  if (!isRecord(raw)) throw new InvalidEventError("the event", "is not a JSON object");
  const accountId = requireString(raw, "accountId");
  if (!ACCOUNT_ID.test(accountId))
    throw new InvalidEventError("accountId", "is not a 12-digit AWS account id");
  const resultToken = requireString(raw, "resultToken");
  if (resultToken === "") throw new InvalidEventError("resultToken", "is empty");
  const eventLeftScope = raw.eventLeftScope ?? false;
  if (typeof eventLeftScope !== "boolean") throw new InvalidEventError("eventLeftScope", "is not a boolean");
  const ruleParameters = raw.ruleParameters;
  if (ruleParameters !== undefined && ruleParameters !== null && typeof ruleParameters !== "string") {
    throw new InvalidEventError("ruleParameters", "is not a JSON string");
  }
  const configRuleName = optionalString(raw, "configRuleName");
  const configRuleArn = optionalString(raw, "configRuleArn");
  const executionRoleArn = optionalString(raw, "executionRoleArn");
  const partition =
    ARN_PARTITION.exec(configRuleArn ?? "")?.[1] ?? ARN_PARTITION.exec(executionRoleArn ?? "")?.[1] ?? "aws";
  const invokingEvent = parseInvokingEvent(requireString(raw, "invokingEvent"), accountId);
  return {
    accountId,
    resultToken,
    eventLeftScope,
    ruleParameters: ruleParameters ?? undefined,
    configRuleName,
    configRuleArn,
    partition,
    invokingEvent,
  };
}

function parseInvokingEvent(text: string, accountId: string): ScheduledInvokingEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidEventError("invokingEvent", "is not valid JSON", { cause });
  }
  if (!isRecord(value)) throw new InvalidEventError("invokingEvent", "is not a JSON object");
  const messageType = requireString(value, "messageType", "invokingEvent.");
  if (messageType !== "ScheduledNotification") {
    const known = (KNOWN_MESSAGE_TYPES as readonly string[]).includes(messageType);
    throw new InvalidEventError(
      "invokingEvent.messageType",
      `is ${JSON.stringify(messageType.slice(0, 60))}: ${known ? "" : "not a Config message type; "}` +
        "root-activity is a periodic rule and handles only ScheduledNotification (set the rule's trigger to periodic)",
    );
  }
  const time = requireString(value, "notificationCreationTime", "invokingEvent.");
  const notificationCreationTime = parseTimestamp(time);
  if (!notificationCreationTime) {
    throw new InvalidEventError(
      "invokingEvent.notificationCreationTime",
      `is ${JSON.stringify(time.slice(0, 40))}, not an ISO 8601 date-time with offset`,
    );
  }
  const awsAccountId = value.awsAccountId;
  if (awsAccountId !== undefined && awsAccountId !== accountId) {
    // Config sends both; if they disagree, evaluating either one could post a verdict for the wrong account.
    throw new InvalidEventError("invokingEvent.awsAccountId", `does not match accountId ${accountId}`);
  }
  return { messageType, notificationCreationTime, awsAccountId };
}

function requireString(raw: Record<string, unknown>, field: string, prefix = ""): string {
  const value = raw[field];
  if (value === undefined || value === null) throw new InvalidEventError(`${prefix}${field}`, "is missing");
  if (typeof value !== "string")
    throw new InvalidEventError(`${prefix}${field}`, `is ${typeWord(value)}, not a string`);
  return value;
}

/** "a number", "an object", "an array"… for messages. */
function typeWord(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

function optionalString(raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new InvalidEventError(field, `is ${typeWord(value)}, not a string`);
  return value;
}
