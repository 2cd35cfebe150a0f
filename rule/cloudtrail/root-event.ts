import { parseTimestamp } from "../timestamp.ts";
import type { RootEvent } from "./types.ts";

/** What one CloudTrail record is to the rule. */
export type RecordClass =
  | { readonly kind: "root"; readonly event: RootEvent }
  /** Root's identity, but performed by an AWS service on its behalf (`invokedBy`, `AwsServiceEvent`). */
  | { readonly kind: "on-behalf" }
  /** Anyone but root. */
  | { readonly kind: "other" }
  /** Not a CloudTrail record the rule can read: it cannot be ruled out as root use. */
  | { readonly kind: "unreadable"; readonly problem: string };

/**
 * The AWS managed policies that scope `sts:AssumeRoot` sessions
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html), and the write actions
 * only that task performs: a centralized session's task is named from its record where the record tells, else
 * from what the session did.
 */
const TASK_BY_ACTION: Readonly<Record<string, string>> = {
  "iam.amazonaws.com:CreateLoginProfile": "IAMCreateRootUserPassword",
  "iam.amazonaws.com:DeleteLoginProfile": "IAMDeleteRootUserCredentials",
  "iam.amazonaws.com:DeleteAccessKey": "IAMDeleteRootUserCredentials",
  "iam.amazonaws.com:DeactivateMFADevice": "IAMDeleteRootUserCredentials",
  "iam.amazonaws.com:DeleteSigningCertificate": "IAMDeleteRootUserCredentials",
  "s3.amazonaws.com:DeleteBucketPolicy": "S3UnlockBucketPolicy",
  "sqs.amazonaws.com:SetQueueAttributes": "SQSUnlockQueuePolicy",
};

const ROOT_TASK_ARN = /arn:aws[a-z-]*:iam::aws:policy\/root-task\/([A-Za-z0-9+=,.@_-]{1,128})/;

/**
 * Reads one event of `LookupEvents` (its `CloudTrailEvent` JSON) and says whether the root user performed it.
 * Decides from the full record, never from the summary's `Username`, which holds the account alias for root
 * when one is set. Root activity is `userIdentity.type` `Root` without `userIdentity.invokedBy` and with an
 * `eventType` other than `AwsServiceEvent` (the CIS metric filter's definition); a session opened with
 * `sts:AssumeRoot` is marked by `userIdentity.sessionContext.assumedRoot` (IAM User Guide, "Track privileged
 * tasks in AWS CloudTrail").
 *
 * @example
 * ```ts
 * const c = classifyCloudTrailRecord(event.CloudTrailEvent ?? "", "eu-west-1");
 * if (c.kind === "root") console.log(c.event.eventName, c.event.time);
 * ```
 */
export function classifyCloudTrailRecord(json: string, region: string): RecordClass {
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return { kind: "unreadable", problem: "its CloudTrailEvent is not JSON" };
  }
  if (!isObject(record)) return { kind: "unreadable", problem: "its CloudTrailEvent is not a JSON object" };
  const identity = record.userIdentity;
  if (!isObject(identity)) return { kind: "unreadable", problem: "it has no userIdentity" };
  if (identity.type !== "Root") return { kind: "other" };
  if (typeof identity.invokedBy === "string" && identity.invokedBy !== "") return { kind: "on-behalf" };
  if (record.eventType === "AwsServiceEvent") return { kind: "on-behalf" };

  const time = typeof record.eventTime === "string" ? parseTimestamp(record.eventTime) : undefined;
  if (!time) return { kind: "unreadable", problem: "a root event has no valid eventTime" };
  const eventSource = text(record.eventSource) ?? "";
  const eventName = text(record.eventName) ?? "";
  const signIn = record.eventType === "AwsConsoleSignIn" || eventName === "ConsoleLogin";
  const accessKeyId = text(identity.accessKeyId) ?? "";
  const credential = accessKeyId.startsWith("AKIA")
    ? "access-key"
    : accessKeyId.startsWith("ASIA")
      ? "temporary"
      : null;
  const context = isObject(identity.sessionContext) ? identity.sessionContext : {};
  const centralized = context.assumedRoot === "true" || context.assumedRoot === true;
  return {
    kind: "root",
    event: {
      eventId: text(record.eventID) ?? "",
      time,
      region,
      eventSource,
      eventName,
      kind: signIn ? "console-sign-in" : "api-call",
      signInOutcome: signIn ? signInOutcome(record.responseElements) : null,
      mfaUsed: signIn ? mfaUsed(record.additionalEventData) : null,
      credential,
      centralized,
      task: centralized
        ? (ROOT_TASK_ARN.exec(json)?.[1] ?? TASK_BY_ACTION[`${eventSource}:${eventName}`] ?? null)
        : null,
      sessionKey: credential === "temporary" ? accessKeyId : null,
      sourceIp: text(record.sourceIPAddress),
    },
  };
}

function signInOutcome(response: unknown): RootEvent["signInOutcome"] {
  const value = isObject(response) ? response.ConsoleLogin : undefined;
  if (value === "Success") return "success";
  if (value === "Failure") return "failure";
  return null;
}

function mfaUsed(data: unknown): boolean | null {
  const value = isObject(data) ? data.MFAUsed : undefined;
  if (value === "Yes") return true;
  if (value === "No") return false;
  return null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
