/**
 * Every error root-activity raises on purpose. Each one carries the facts of what failed and where (an operation,
 * a region, a role, an account, the AWS error as `cause`) and a message that states them, nothing more: what to do
 * about it depends on who reads it, so each surface words it for its own reader (`lambda-messages.ts` for Config
 * and CloudWatch, `cli/messages.ts` for a person at a terminal). Only `PutEvaluationsError` can happen after an
 * evaluation was sent; every other error means nothing was posted.
 *
 * Errors fail the Lambda invocation, so Config shows the rule as failed and posts nothing: this is how the rule
 * fails closed on transient faults. A report that can be read but not verified is not an error: it is a
 * NON_COMPLIANT verdict (see `evaluate`).
 *
 * @example
 * ```ts
 * try { parseRuleParameters('{"lookbackDays":"0"}'); }
 * catch (e) { if (e instanceof InvalidParameterError) console.error(e.parameter, e.message); }
 * ```
 */
export class RootActivityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A rule parameter has the wrong name, type or range.
 *
 * @example
 * ```ts
 * throw new InvalidParameterError("lookbackDays", "0", "a whole number from 1 to 3650");
 * ```
 */
export class InvalidParameterError extends RootActivityError {
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly allowed: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid rule parameter ${parameter}=${describeValue(value)}: expected ${allowed}.`, options);
  }
}

/**
 * The Lambda event is not a Config rule invocation this rule can handle.
 *
 * @example
 * ```ts
 * throw new InvalidEventError("invokingEvent", "is not valid JSON");
 * ```
 */
export class InvalidEventError extends RootActivityError {
  constructor(
    readonly field: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid AWS Config event: ${field} ${problem}.`, options);
  }
}

/**
 * IAM did not finish generating the credential report before the deadline.
 *
 * @example
 * ```ts
 * throw new ReportNotReadyError(42_000, 9);
 * ```
 */
export class ReportNotReadyError extends RootActivityError {
  constructor(
    readonly waitedMs: number,
    readonly polls: number,
    options?: { cause?: unknown },
  ) {
    super(
      `The IAM credential report was not ready after ${Math.round(waitedMs / 1000)} s (${polls} check${polls === 1 ? "" : "s"}).`,
      options,
    );
  }
}

/**
 * An IAM call for the credential report failed after the SDK's retries (throttling, 5xx, network, access).
 *
 * @example
 * ```ts
 * throw new ReportRetrievalError("GetCredentialReport", new Error("Throttling"));
 * ```
 */
export class ReportRetrievalError extends RootActivityError {
  constructor(
    readonly operation: "GetCredentialReport" | "GenerateCredentialReport",
    cause: unknown,
  ) {
    super(`IAM ${operation} failed: ${errorSummary(cause)}.`, { cause });
  }
}

/**
 * The credential report belongs to another account than the one the evaluation is for: the credentials are wrong.
 *
 * @example
 * ```ts
 * throw new AccountMismatchError("111122223333", "444455556666");
 * ```
 */
export class AccountMismatchError extends RootActivityError {
  constructor(
    readonly expectedAccountId: string,
    readonly reportAccountId: string,
  ) {
    super(`The credential report is for account ${reportAccountId}, not ${expectedAccountId}.`);
  }
}

/**
 * AWS Config did not accept the evaluation. `mayHaveRecorded` is true when the request may have reached Config
 * without its answer reaching us: Config may then have recorded the evaluation.
 *
 * @example
 * ```ts
 * throw new PutEvaluationsError("Config listed 1 evaluation as FailedEvaluations");
 * ```
 */
export class PutEvaluationsError extends RootActivityError {
  /** True when the request may have reached Config: it may have recorded the evaluation. */
  readonly mayHaveRecorded: boolean;

  constructor(detail: string, options?: { cause?: unknown; mayHaveRecorded?: boolean }) {
    super(`AWS Config PutEvaluations failed: ${detail.replace(/\.+$/, "")}.`, options);
    this.mayHaveRecorded = options?.mayHaveRecorded ?? false;
  }
}

/**
 * A role in the evaluated account could not be assumed.
 *
 * @example
 * ```ts
 * throw new AssumeRoleError("arn:aws:iam::444455556666:role/root-activity", "444455556666", new Error("AccessDenied"));
 * ```
 */
export class AssumeRoleError extends RootActivityError {
  constructor(
    readonly roleArn: string,
    readonly accountId: string,
    cause: unknown,
  ) {
    super(`Cannot assume ${roleArn} in account ${accountId}: ${errorSummary(cause)}.`, { cause });
  }
}

/** The operations of the CloudTrail lookup. */
export type CloudTrailOperation = "LookupEvents" | "ListRegions" | "ListAccountAliases";

/**
 * CloudTrail event history (or what the lookup needs: the account's regions and alias) could not be read after
 * the retries: throttling, 5xx, access denied, a region that cannot be reached, the deadline. Thrown when the
 * credential report alone cannot decide; `problem` is the short form an annotation carries when it can.
 *
 * @example
 * ```ts
 * throw new CloudTrailLookupError("LookupEvents", "eu-west-1", new Error("ThrottlingException"));
 * ```
 */
export class CloudTrailLookupError extends RootActivityError {
  /** The fault alone: `ThrottlingException (HTTP 400)`, `no answer before the invocation's deadline`. */
  readonly fault: string;
  /**
   * `LookupEvents in eu-west-1: ThrottlingException (HTTP 400)`: what an annotation may carry, so without the AWS
   * message, which can name the principal that was denied.
   */
  readonly problem: string;

  constructor(
    readonly operation: CloudTrailOperation,
    readonly region: string | null,
    cause: unknown,
  ) {
    const where = region ? ` in ${region}` : "";
    const summary = typeof cause === "string" ? cause : errorSummary(cause);
    super(
      `${CLOUDTRAIL_LOOKUP_SERVICE[operation]} ${operation} failed${where}: ${summary}.`,
      typeof cause === "string" ? undefined : { cause },
    );
    this.fault = summary;
    this.problem = `${operation}${where}: ${typeof cause === "string" ? cause : errorSummary(cause, { message: false })}`;
  }
}

/**
 * The service of each operation the CloudTrail lookup makes, for messages.
 *
 * @example
 * ```ts
 * CLOUDTRAIL_LOOKUP_SERVICE.ListRegions; // "Account"
 * ```
 */
export const CLOUDTRAIL_LOOKUP_SERVICE = {
  LookupEvents: "CloudTrail",
  ListRegions: "Account",
  ListAccountAliases: "IAM",
} as const satisfies Record<CloudTrailOperation, string>;

/**
 * The IAM action each operation of the CloudTrail lookup needs, for the hint of an `AccessDenied`.
 *
 * @example
 * ```ts
 * CLOUDTRAIL_LOOKUP_PERMISSION.LookupEvents; // "cloudtrail:LookupEvents"
 * ```
 */
export const CLOUDTRAIL_LOOKUP_PERMISSION = {
  LookupEvents: "cloudtrail:LookupEvents",
  ListRegions: "account:ListRegions",
  ListAccountAliases: "iam:ListAccountAliases",
} as const satisfies Record<CloudTrailOperation, string>;

/**
 * Organizations `ListAccounts` failed: the credentials are not the management account's or a delegated
 * administrator's, the account is in no organization, or Organizations failed after the retries.
 *
 * @example
 * ```ts
 * throw new OrganizationListError(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
 * ```
 */
export class OrganizationListError extends RootActivityError {
  constructor(cause: unknown) {
    super(`Cannot list the organization's accounts (Organizations ListAccounts): ${errorSummary(cause)}.`, {
      cause,
    });
  }
}

/**
 * `sts:GetCallerIdentity` failed: the current credentials cannot be used at all.
 *
 * @example
 * ```ts
 * throw new CallerIdentityError(new Error("ExpiredToken"));
 * ```
 */
export class CallerIdentityError extends RootActivityError {
  constructor(cause: unknown) {
    super(`Cannot tell whose credentials these are (sts:GetCallerIdentity): ${errorSummary(cause)}.`, {
      cause,
    });
  }
}

/**
 * An account asked for is not in the organization: it cannot be evaluated from here.
 *
 * @example
 * ```ts
 * throw new AccountNotInOrganizationError("444455556666");
 * ```
 */
export class AccountNotInOrganizationError extends RootActivityError {
  constructor(readonly accountId: string) {
    super(`Account ${accountId} is not in the organization (ListAccounts does not list it).`);
  }
}

/**
 * The CLI was called wrongly or could not read its input (exit status 2). Its message is already the CLI's words.
 *
 * @example
 * ```ts
 * throw new UsageError("--lookback-days needs a value");
 * ```
 */
export class UsageError extends RootActivityError {}

/**
 * The AWS error name (`Throttling`, `AccessDenied`…) or the JS error name.
 *
 * @example
 * ```ts
 * errorName(new TypeError("x")); // "TypeError"
 * ```
 */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

/**
 * True for an AWS access denial (`AccessDenied`, `AccessDeniedException`).
 *
 * @example
 * ```ts
 * isAccessDenied(Object.assign(new Error("no"), { name: "AccessDenied" })); // true
 * ```
 */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === "AccessDenied" || name === "AccessDeniedException";
}

/**
 * True for AWS throttling that outlasted the SDK's retries.
 *
 * @example
 * ```ts
 * isThrottling(Object.assign(new Error("slow down"), { name: "ThrottlingException" })); // true
 * ```
 */
export function isThrottling(error: unknown): boolean {
  return ["Throttling", "ThrottlingException", "TooManyRequestsException", "LimitExceededException"].includes(
    errorName(error),
  );
}

/**
 * `Name (HTTP status): message`, without the stack, for one-line messages; `message: false` leaves the service's
 * message out (an AWS access denial names the principal it denied).
 *
 * @example
 * ```ts
 * errorSummary(new Error("boom")); // "Error: boom"
 * errorSummary(new Error("boom"), { message: false }); // "Error"
 * ```
 */
export function errorSummary(error: unknown, options: { readonly message?: boolean } = {}): string {
  if (error instanceof Error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const http = status ? ` (HTTP ${status})` : "";
    const firstLine = (error.message.split("\n")[0] ?? "").trim().replace(/\.$/, "");
    const code = (error as NodeJS.ErrnoException).code;
    // The SDK could not parse the answer (truncated, or not XML/JSON); its message points at an SDK-internal field.
    if (error.message.includes("Deserialization error")) {
      return options.message === false
        ? `unreadable answer${http}`
        : `unreadable answer${http}: ${firstLine}`;
    }
    // The SDK names a reset connection "TimeoutError" ("socket hang up").
    if (code === "ECONNRESET" || code === "EPIPE")
      return `the connection was reset before an answer (${code})`;
    // The only abort signals root-activity passes are the evaluation's deadline.
    if (error.name === "AbortError") return "no answer before the invocation's deadline";
    const message =
      options.message !== false && firstLine && firstLine !== error.name ? `: ${firstLine}` : "";
    return `${error.name}${http}${message}`;
  }
  return String(error);
}

/**
 * True when a call may have reached the service without its answer reaching us (no answer, a reset, an answer
 * that could not be read): the service may have acted on it.
 *
 * @example
 * ```ts
 * outcomeUnknown(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })); // true
 * ```
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    error.name === "AbortError" ||
    error.name === "TimeoutError" ||
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    (error.message.includes("Deserialization error") && status !== undefined && status < 300)
  );
}

function describeValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
