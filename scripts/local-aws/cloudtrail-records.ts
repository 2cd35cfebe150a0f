/**
 * CloudTrail records as AWS writes them (the `CloudTrailEvent` of `LookupEvents`), for the local endpoint's event
 * history, its demo scenarios and the tests. Shapes follow the CloudTrail User Guide's record examples
 * ("AWS Management Console sign-in events", "CloudTrail userIdentity element") and the IAM User Guide's "Track
 * privileged tasks in AWS CloudTrail"; values are the documentation's example values.
 */
import { randomUUID } from "node:crypto";

/** A CloudTrail record: the JSON object CloudTrail writes for one event. */
export type CloudTrailRecord = Record<string, unknown> & {
  readonly eventTime: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly awsRegion: string;
  readonly eventID: string;
  readonly userIdentity: Record<string, unknown>;
};

export interface RecordOptions {
  readonly accountId?: string;
  readonly time: Date;
  readonly region?: string;
  readonly eventId?: string;
  readonly sourceIp?: string;
}

const ACCOUNT = "111122223333";
const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

function base(options: RecordOptions, rest: Record<string, unknown>): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  return {
    eventVersion: "1.08",
    eventTime: `${options.time.toISOString().slice(0, 19)}Z`,
    awsRegion: options.region ?? "us-east-1",
    sourceIPAddress: options.sourceIp ?? "192.0.2.10",
    eventID: options.eventId ?? randomUUID(),
    recipientAccountId: accountId,
    managementEvent: true,
    eventCategory: "Management",
    ...rest,
  } as unknown as CloudTrailRecord;
}

function rootIdentity(accountId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "Root",
    principalId: accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    accountId,
    accessKeyId: "",
    ...extra,
  };
}

/**
 * The root user's console sign-in, successful or failed, with or without MFA. `alias` is what CloudTrail writes
 * in `userIdentity.userName` when the account has an alias.
 *
 * @example
 * ```ts
 * rootConsoleSignIn({ time: new Date(), region: "eu-west-1", outcome: "Success", mfaUsed: true });
 * ```
 */
export function rootConsoleSignIn(
  options: RecordOptions & { outcome?: "Success" | "Failure"; mfaUsed?: boolean; alias?: string },
): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  const failed = options.outcome === "Failure";
  return base(options, {
    userIdentity: rootIdentity(accountId, options.alias ? { userName: options.alias } : {}),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    userAgent: BROWSER,
    requestParameters: null,
    responseElements: { ConsoleLogin: failed ? "Failure" : "Success" },
    ...(failed ? { errorMessage: "Failed authentication" } : {}),
    additionalEventData: {
      LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
      MobileVersion: "No",
      MFAUsed: options.mfaUsed ? "Yes" : "No",
      ...(options.mfaUsed ? { MFAIdentifier: `arn:aws:iam::${accountId}:mfa/root-account-mfa-device` } : {}),
    },
    readOnly: false,
    eventType: "AwsConsoleSignIn",
  });
}

/**
 * An API call made with a root access key (`AKIA…`).
 *
 * @example
 * ```ts
 * rootApiCall({ time: new Date(), eventSource: "iam.amazonaws.com", eventName: "CreateUser" });
 * ```
 */
export function rootApiCall(
  options: RecordOptions & {
    eventSource?: string;
    eventName?: string;
    readOnly?: boolean;
    accessKeyId?: string;
    alias?: string;
  },
): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  return base(options, {
    userIdentity: rootIdentity(accountId, {
      accessKeyId: options.accessKeyId ?? "AKIAIOSFODNN7EXAMPLE",
      ...(options.alias ? { userName: options.alias } : {}),
    }),
    eventSource: options.eventSource ?? "iam.amazonaws.com",
    eventName: options.eventName ?? "CreateUser",
    userAgent: "aws-cli/2.22.0 md/awscrt#0.23.4 ua/2.0 os/linux#6.8 md/arch#x86_64 lang/python#3.12.6",
    requestParameters: {},
    responseElements: null,
    readOnly: options.readOnly ?? false,
    eventType: "AwsApiCall",
  });
}

/**
 * An action of a session opened with `sts:AssumeRoot` (centralized root access), in the member account: type
 * `Root`, a temporary key, `sessionContext.assumedRoot: "true"`.
 *
 * @example
 * ```ts
 * centralizedRootSessionEvent({ time: new Date(), eventName: "DeleteLoginProfile", sessionKey: "ASIA…" });
 * ```
 */
export function centralizedRootSessionEvent(
  options: RecordOptions & { eventSource?: string; eventName?: string; sessionKey?: string },
): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  return base(options, {
    userIdentity: rootIdentity(accountId, {
      accessKeyId: options.sessionKey ?? "ASIAIOSFODNN7EXAMPLE",
      sessionContext: {
        attributes: {
          creationDate: `${options.time.toISOString().slice(0, 19)}Z`,
          mfaAuthenticated: "false",
        },
        assumedRoot: "true",
      },
    }),
    eventSource: options.eventSource ?? "iam.amazonaws.com",
    eventName: options.eventName ?? "DeleteLoginProfile",
    userAgent: "aws-cli/2.22.0 md/awscrt#0.23.4 ua/2.0 os/linux#6.8 md/arch#x86_64 lang/python#3.12.6",
    requestParameters: { userName: "" },
    responseElements: null,
    readOnly: false,
    eventType: "AwsApiCall",
  });
}

/**
 * A root-identity event an AWS service performed on root's behalf (`userIdentity.invokedBy`).
 *
 * @example
 * ```ts
 * serviceInvokedRootEvent({ time: new Date(), invokedBy: "support.amazonaws.com" });
 * ```
 */
export function serviceInvokedRootEvent(options: RecordOptions & { invokedBy?: string }): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  return base(options, {
    userIdentity: rootIdentity(accountId, { invokedBy: options.invokedBy ?? "support.amazonaws.com" }),
    eventSource: "support.amazonaws.com",
    eventName: "DescribeCases",
    userAgent: options.invokedBy ?? "support.amazonaws.com",
    sourceIPAddress: options.invokedBy ?? "support.amazonaws.com",
    requestParameters: null,
    responseElements: null,
    readOnly: true,
    eventType: "AwsApiCall",
  });
}

/**
 * A root-identity event of type `AwsServiceEvent` (AWS acting, not a request by root).
 *
 * @example
 * ```ts
 * rootServiceEvent({ time: new Date() });
 * ```
 */
export function rootServiceEvent(options: RecordOptions): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  return base(options, {
    userIdentity: rootIdentity(accountId),
    eventSource: "health.amazonaws.com",
    eventName: "AWSHealthEventNotification",
    sourceIPAddress: "health.amazonaws.com",
    userAgent: "health.amazonaws.com",
    requestParameters: null,
    responseElements: null,
    readOnly: false,
    eventType: "AwsServiceEvent",
  });
}

/**
 * An IAM user's console sign-in; `userName` may well be `root`, which must not make it root's.
 *
 * @example
 * ```ts
 * iamUserConsoleSignIn({ time: new Date(), userName: "alice" });
 * ```
 */
export function iamUserConsoleSignIn(options: RecordOptions & { userName?: string }): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  const userName = options.userName ?? "alice";
  return base(options, {
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDACKCEVSQ6C2EXAMPLE",
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      accountId,
      userName,
    },
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    userAgent: BROWSER,
    requestParameters: null,
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: {
      LoginTo: "https://console.aws.amazon.com/console/home",
      MobileVersion: "No",
      MFAUsed: "Yes",
    },
    readOnly: false,
    eventType: "AwsConsoleSignIn",
  });
}

/**
 * An API call by an assumed role (the bulk of any real account's event history).
 *
 * @example
 * ```ts
 * assumedRoleApiCall({ time: new Date(), sessionName: "deploy" });
 * ```
 */
export function assumedRoleApiCall(options: RecordOptions & { sessionName?: string }): CloudTrailRecord {
  const accountId = options.accountId ?? ACCOUNT;
  const session = options.sessionName ?? "ci-deploy";
  return base(options, {
    userIdentity: {
      type: "AssumedRole",
      principalId: `AROAIDPPEZS35WEXAMPLE:${session}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/Deployer/${session}`,
      accountId,
      accessKeyId: "ASIAJEXAMPLEXEG2JICEA",
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROAIDPPEZS35WEXAMPLE",
          arn: `arn:aws:iam::${accountId}:role/Deployer`,
          accountId,
          userName: "Deployer",
        },
        attributes: {
          creationDate: `${options.time.toISOString().slice(0, 19)}Z`,
          mfaAuthenticated: "false",
        },
      },
    },
    eventSource: "ec2.amazonaws.com",
    eventName: "DescribeInstances",
    userAgent: "aws-sdk-js/3.1169.0",
    requestParameters: {},
    responseElements: null,
    readOnly: true,
    eventType: "AwsApiCall",
  });
}
