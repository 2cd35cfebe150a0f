import {
  AccountMismatchError,
  AssumeRoleError,
  CLOUDTRAIL_LOOKUP_PERMISSION,
  CLOUDTRAIL_LOOKUP_SERVICE,
  CloudTrailLookupError,
  errorName,
  errorSummary,
  ReportNotReadyError,
  ReportRetrievalError,
  RootActivityError,
} from "../errors.ts";

/** What the person ran, for messages that say what to change. */
export interface MessageContext {
  readonly timeoutSeconds: number;
  readonly roleArn?: string | undefined;
}

/**
 * The one line the CLI prints on stderr for an error, in the terms of the command line: the Lambda's errors say
 * "nothing was posted", "Config retries the invocation", "raise the Lambda timeout" or "Config asked about
 * account …", which mean nothing at a terminal. This says which option or which credentials to change instead.
 *
 * @example
 * ```ts
 * cliMessage(new ReportNotReadyError(120_000, 9), { timeoutSeconds: 120 });
 * // "IAM had not finished the credential report after 120 s (9 checks): try again in a minute, or wait longer with --timeout <seconds> (now 120, at most 900)"
 * ```
 */
export function cliMessage(error: unknown, context: MessageContext): string {
  const line = (text: string) => (text.split("\n")[0] ?? "").trim();
  if (error instanceof ReportNotReadyError) {
    return (
      `IAM had not finished the credential report after ${Math.round(error.waitedMs / 1000)} s ` +
      `(${error.polls} check${error.polls === 1 ? "" : "s"}): try again in a minute, or wait longer with ` +
      `--timeout <seconds> (now ${context.timeoutSeconds}, at most 900)`
    );
  }
  if (error instanceof ReportRetrievalError) {
    return line(`IAM ${error.operation} failed: ${awsProblem(error.cause, context)}`);
  }
  if (error instanceof AccountMismatchError) {
    return (
      `The credential report is for account ${error.reportAccountId}, but --role-arn names account ` +
      `${error.expectedAccountId}: the role's credentials are not that account's; check --role-arn`
    );
  }
  if (error instanceof AssumeRoleError) {
    const denied = ["AccessDenied", "AccessDeniedException"].includes(errorName(error.cause));
    return line(
      `Cannot assume --role-arn ${error.roleArn}: ${awsProblem(error.cause, context)}` +
        (denied
          ? "; check that the role exists and that its trust policy lets your credentials " +
            "(aws sts get-caller-identity shows them) assume it"
          : ""),
    );
  }
  if (error instanceof CloudTrailLookupError) return line(cloudTrailProblem(error, context));
  if (error instanceof RootActivityError) return line(error.message);
  return line(awsProblem(error, context));
}

/**
 * CloudTrail could not be read and the report alone could not decide: what to grant, or how to go on without the
 * part that failed.
 */
function cloudTrailProblem(error: CloudTrailLookupError, context: MessageContext): string {
  const where = error.region ? ` in ${error.region}` : "";
  const head = `${CLOUDTRAIL_LOOKUP_SERVICE[error.operation]} ${error.operation} failed${where}: ${error.fault}`;
  const whose = context.roleArn ? `the role ${context.roleArn}` : "your AWS credentials";
  const name = errorName(error.cause);
  if (name === "AccessDenied" || name === "AccessDeniedException") {
    const alternative =
      error.operation === "ListRegions" ? ", or name the regions with --cloudtrail-regions" : "";
    return (
      `${head}: ${whose} need ${CLOUDTRAIL_LOOKUP_PERMISSION[error.operation]}${alternative} ` +
      "(or --no-cloudtrail reads the credential report only)"
    );
  }
  if (name === "ThrottlingException" || name === "TooManyRequestsException") {
    return `${head} after paced retries: another tool may be reading the event history; try again in a minute`;
  }
  if (name === "AbortError" || /deadline/.test(error.fault)) {
    return `${head}: no answer within --timeout (${context.timeoutSeconds} s); raise --timeout or name fewer regions with --cloudtrail-regions`;
  }
  return `${head}: try again, or --no-cloudtrail reads the credential report only`;
}

/** An AWS SDK error, said for the person whose credentials made the call. */
function awsProblem(error: unknown, context: MessageContext): string {
  const name = errorName(error);
  const whose = context.roleArn ? `the role ${context.roleArn}` : "your AWS credentials";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return (
      "no AWS credentials found: sign in (aws sso login, or aws configure) and choose a profile with " +
      "AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    );
  }
  if (/Region is missing/i.test(message)) {
    return "no AWS region configured: set AWS_REGION (any region of the account's partition, e.g. us-east-1)";
  }
  if (name === "ExpiredToken" || name === "ExpiredTokenException") {
    return `${errorSummary(error)}: your AWS credentials have expired; sign in again (aws sso login) and rerun`;
  }
  if (
    name === "InvalidClientTokenId" ||
    name === "UnrecognizedClientException" ||
    name === "SignatureDoesNotMatch"
  ) {
    return `${errorSummary(error)}: AWS does not accept your credentials; check AWS_PROFILE or the AWS_ACCESS_KEY_ID in use`;
  }
  if (name === "AccessDenied" || name === "AccessDeniedException") {
    return `${errorSummary(error)}: ${whose} need iam:GenerateCredentialReport and iam:GetCredentialReport`;
  }
  if (name === "Throttling" || name === "ThrottlingException" || name === "LimitExceededException") {
    return `${errorSummary(error)} after retries: another tool may be calling the credential report APIs; try again in a minute`;
  }
  const summary = errorSummary(error);
  if (name === "AbortError" || /before the invocation's deadline/.test(message)) {
    return `no answer within --timeout (${context.timeoutSeconds} s): check your network or proxy, or raise --timeout`;
  }
  return summary;
}
