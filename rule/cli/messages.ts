import {
  AccountMismatchError,
  AccountNotInOrganizationError,
  AssumeRoleError,
  CallerIdentityError,
  CLOUDTRAIL_LOOKUP_PERMISSION,
  CLOUDTRAIL_LOOKUP_SERVICE,
  CloudTrailLookupError,
  errorName,
  errorSummary,
  isAccessDenied,
  isThrottling,
  OrganizationListError,
  ReportNotReadyError,
  ReportRetrievalError,
  RootActivityError,
} from "../errors.ts";

/** What the person ran, for messages that say what to change. */
export interface MessageContext {
  readonly timeoutSeconds: number;
  /** Whose credentials made the calls: `--role-arn`, or the role the organization scan assumed; else your own. */
  readonly roleArn?: string | undefined;
  /** `--organization`: the role name given to `--role-name`, assumed in every other account. */
  readonly roleName?: string | undefined;
}

/**
 * The one line the CLI prints on stderr (or in the organization table) for an error, in the terms of the command
 * line: which option or which credentials to change. Rendered from the error's facts; the Lambda words the same
 * errors for CloudWatch in `lambda-messages.ts`.
 *
 * @example
 * ```ts
 * cliMessage(new ReportNotReadyError(120_000, 9), { timeoutSeconds: 120 });
 * // "IAM had not finished the credential report after 120 s (9 checks): try again in a minute, or wait longer with --timeout <seconds> (now 120, at most 900)"
 * ```
 */
export function cliMessage(error: unknown, context: MessageContext): string {
  return firstLine(render(error, context));
}

function render(error: unknown, context: MessageContext): string {
  if (error instanceof ReportNotReadyError) {
    return (
      `IAM had not finished the credential report after ${Math.round(error.waitedMs / 1000)} s ` +
      `(${error.polls} check${error.polls === 1 ? "" : "s"}): try again in a minute, or wait longer with ` +
      `--timeout <seconds> (now ${context.timeoutSeconds}, at most 900)`
    );
  }
  if (error instanceof ReportRetrievalError) {
    return `IAM ${error.operation} failed: ${awsProblem(error.cause, context)}`;
  }
  if (error instanceof AccountMismatchError) return mismatch(error, context);
  if (error instanceof AssumeRoleError) return assumeRoleProblem(error, context);
  if (error instanceof CloudTrailLookupError) return cloudTrailProblem(error, context);
  if (error instanceof CallerIdentityError) {
    return `sts GetCallerIdentity failed: ${awsProblem(error.cause, context)}`;
  }
  if (error instanceof OrganizationListError) {
    const name = errorName(error.cause);
    if (isAccessDenied(error.cause)) {
      return `${error.message} Use credentials of the management account or of a delegated administrator, with organizations:ListAccounts.`;
    }
    if (name === "AWSOrganizationsNotInUseException") {
      return `${error.message} The account is in no organization: evaluate it alone with evaluate --live.`;
    }
    return `Organizations ListAccounts failed: ${awsProblem(error.cause, context)}`;
  }
  if (error instanceof AccountNotInOrganizationError) {
    return `${error.message.replace(/\.$/, "")}: check the id given to --accounts.`;
  }
  if (error instanceof RootActivityError) return error.message;
  return awsProblem(error, context);
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}

function mismatch(error: AccountMismatchError, context: MessageContext): string {
  const { reportAccountId: found, expectedAccountId: expected } = error;
  if (context.roleName !== undefined) {
    return (
      `The credential report is for account ${found}, not ${expected}: ` +
      `the credentials of ${context.roleArn ?? "your own account"} are another account's`
    );
  }
  if (context.roleArn !== undefined) {
    return (
      `The credential report is for account ${found}, but --role-arn names account ${expected}: ` +
      "the role's credentials are not that account's; check --role-arn"
    );
  }
  return (
    `The credential report is for account ${found}, but your credentials are account ${expected}'s ` +
    "(sts GetCallerIdentity): check AWS_PROFILE and any AWS_ENDPOINT_URL_* setting that sends IAM elsewhere"
  );
}

function assumeRoleProblem(error: AssumeRoleError, context: MessageContext): string {
  const denied = isAccessDenied(error.cause);
  if (context.roleName !== undefined) {
    return (
      `Cannot assume ${error.roleArn}: ${errorSummary(error.cause)}` +
      (denied
        ? `; likely fix: create the role ${context.roleName} in account ${error.accountId} with a trust policy ` +
          "that lets your credentials assume it, or name the role that is there with --role-name"
        : "")
    );
  }
  return (
    `Cannot assume --role-arn ${error.roleArn}: ${denied ? errorSummary(error.cause) : awsProblem(error.cause, context)}` +
    (denied
      ? "; check that the role exists and that its trust policy lets your credentials " +
        "(aws sts get-caller-identity shows them) assume it"
      : "")
  );
}

/**
 * CloudTrail could not be read and the report alone could not decide: what to grant, or how to go on without the
 * part that failed.
 */
function cloudTrailProblem(error: CloudTrailLookupError, context: MessageContext): string {
  const where = error.region ? ` in ${error.region}` : "";
  const head = `${CLOUDTRAIL_LOOKUP_SERVICE[error.operation]} ${error.operation} failed${where}: ${error.fault}`;
  const whose = context.roleArn ? `the role ${context.roleArn}` : "your AWS credentials";
  if (isAccessDenied(error.cause)) {
    const alternative =
      error.operation === "ListRegions" ? ", or name the regions with --cloudtrail-regions" : "";
    return (
      `${head}: ${whose} need ${CLOUDTRAIL_LOOKUP_PERMISSION[error.operation]}${alternative} ` +
      "(or --no-cloudtrail reads the credential report only)"
    );
  }
  if (isThrottling(error.cause)) {
    return `${head} after paced retries: another tool may be reading the event history; try again in a minute`;
  }
  if (errorName(error.cause) === "AbortError" || /deadline/.test(error.fault)) {
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
  if (isAccessDenied(error)) {
    return `${errorSummary(error)}: ${whose} need iam:GenerateCredentialReport and iam:GetCredentialReport`;
  }
  if (isThrottling(error)) {
    return `${errorSummary(error)} after retries: another tool may be calling the credential report APIs; try again in a minute`;
  }
  if (name === "AbortError" || /before the invocation's deadline/.test(message)) {
    return `no answer within --timeout (${context.timeoutSeconds} s): check your network or proxy, or raise --timeout`;
  }
  return errorSummary(error);
}
