/**
 * What CloudTrail event history gives the rule: the root events found, or why it could not be read.
 */

/** CloudTrail event history, read or not. */
export type CloudTrailEvidence = CloudTrailRead | CloudTrailUnavailable;

/** The root events found in every searched region. */
export interface CloudTrailRead {
  readonly status: "read";
  /** Every region searched, sorted. */
  readonly regions: readonly string[];
  /** Start of the time range searched (event history keeps 90 days); the end is the time of the lookup. */
  readonly since: Date;
  /** Root events found, newest first: countable ones and centralized root sessions. */
  readonly events: readonly RootEvent[];
  /**
   * False when paging stopped before the start of the range in some region because a countable root event had
   * already been found there: the events listed are then the newest, not all of them.
   */
  readonly complete: boolean;
}

/** CloudTrail could not be read (throttling that outlasted the retries, 5xx, access denied, the deadline). */
export interface CloudTrailUnavailable {
  readonly status: "unavailable";
  /** The error to fail the invocation with when the report alone cannot decide. */
  readonly error: Error;
  /** A short account of the fault for an annotation: region, operation, error (no credentials, no names). */
  readonly problem: string;
}

/**
 * One CloudTrail management event performed by the root user itself (`userIdentity.type` `Root`, not on its
 * behalf by an AWS service). Holds nothing of anyone but root: no user names, no other principals' keys.
 */
export interface RootEvent {
  readonly eventId: string;
  readonly time: Date;
  /** The region whose event history holds it. */
  readonly region: string;
  /** `signin.amazonaws.com`, `iam.amazonaws.com`… */
  readonly eventSource: string;
  /** `ConsoleLogin`, `CreateUser`… */
  readonly eventName: string;
  /** A console sign-in (`AwsConsoleSignIn`), or an API call. */
  readonly kind: "console-sign-in" | "api-call";
  /** Console sign-ins: `responseElements.ConsoleLogin`. */
  readonly signInOutcome: "success" | "failure" | null;
  /** Console sign-ins: `additionalEventData.MFAUsed`; null when the record does not say. */
  readonly mfaUsed: boolean | null;
  /** API calls: a long-term root access key (`AKIA…`) or temporary credentials (`ASIA…`, a console or AssumeRoot session). */
  readonly credential: "access-key" | "temporary" | null;
  /** Performed in a session opened with `sts:AssumeRoot` (centralized root access): `sessionContext.assumedRoot`. */
  readonly centralized: boolean;
  /** The root-task policy of a centralized session (`IAMDeleteRootUserCredentials`…), where the record tells. */
  readonly task: string | null;
  /** Identifies the session (root's temporary access key id) so events of one session count once. */
  readonly sessionKey: string | null;
  /** Root's source IP address: for the CLI's output only, never for an annotation or a log line. */
  readonly sourceIp: string | null;
}
