import {
  AccountMismatchError,
  AssumeRoleError,
  CLOUDTRAIL_LOOKUP_PERMISSION,
  CloudTrailLookupError,
  errorName,
  errorSummary,
  isAccessDenied,
  isThrottling,
  PutEvaluationsError,
  ReportNotReadyError,
  ReportRetrievalError,
  RootActivityError,
} from "./errors.ts";

/** What Config's answer to PutEvaluations means for whoever runs the function. */
const PUT_EVALUATIONS_HINTS: Readonly<Record<string, string>> = {
  InvalidResultTokenException:
    "the result token is not valid for this rule and account (expired, or another account's); Config re-invokes the rule on schedule",
  NoSuchConfigRuleException: "the Config rule no longer exists; the Lambda was invoked for a deleted rule",
  InvalidParameterValueException: "Config refused a value of the evaluation",
  AccessDeniedException: "the execution role needs config:PutEvaluations",
};

const NOTHING_POSTED = "nothing was posted.";
const RETRIES = " Config retries the invocation.";

/**
 * An error in the words of the Lambda function, for whoever reads CloudWatch Logs and the rule's failures in
 * Config: what failed, that nothing was posted (or that Config may have recorded the evaluation), and what to
 * change in the deployment (the execution role's permissions, the member role, the timeout), from the error's
 * facts.
 *
 * @example
 * ```ts
 * lambdaMessage(new ReportNotReadyError(42_000, 9));
 * // "The IAM credential report was not ready after 42 s (9 checks); nothing was posted. Config retries the invocation; if this repeats, raise the Lambda timeout."
 * ```
 */
export function lambdaMessage(error: unknown): string {
  if (error instanceof ReportNotReadyError) {
    return `${facts(error)}; ${NOTHING_POSTED} Config retries the invocation; if this repeats, raise the Lambda timeout.`;
  }
  if (error instanceof ReportRetrievalError) {
    const hint = isAccessDenied(error.cause)
      ? " The execution role needs iam:GenerateCredentialReport and iam:GetCredentialReport."
      : RETRIES;
    return `${facts(error)}; ${NOTHING_POSTED}${hint}`;
  }
  if (error instanceof CloudTrailLookupError) {
    let hint = RETRIES;
    if (isAccessDenied(error.cause)) {
      const alternative = error.operation === "ListRegions" ? " (or set cloudTrailRegions)" : "";
      hint = ` The execution role needs ${CLOUDTRAIL_LOOKUP_PERMISSION[error.operation]}${alternative}.`;
    } else if (isThrottling(error.cause)) {
      hint = " Something else in the account is calling it too; Config retries the invocation.";
    }
    return `${facts(error)}; ${NOTHING_POSTED}${hint}`;
  }
  if (error instanceof AccountMismatchError) {
    return (
      `The credential report is for account ${error.reportAccountId}, but Config asked about account ` +
      `${error.expectedAccountId}; ${NOTHING_POSTED} Check the credentials (or executionRoleName) the rule uses.`
    );
  }
  if (error instanceof AssumeRoleError) {
    return isAccessDenied(error.cause)
      ? `${error.message} Likely fix: deploy the member role to that account (the StackSet) and make sure it trusts this Lambda's execution role.`
      : `${error.message} Nothing was posted.`;
  }
  if (error instanceof PutEvaluationsError) {
    const hint = PUT_EVALUATIONS_HINTS[errorName(error.cause)];
    return (
      `${facts(error)}${hint ? ` (${hint})` : ""}.` +
      (error.mayHaveRecorded
        ? " Config may have recorded the evaluation; a retry posts the same verdict for the same notification."
        : "")
    );
  }
  if (error instanceof RootActivityError) return error.message;
  return errorSummary(error);
}

/**
 * The error the invocation fails with: the same name (Lambda's `errorType`), the Lambda's words (its
 * `errorMessage`), and the fault itself as `cause`.
 *
 * @example
 * ```ts
 * catch (error) { throw invocationError(error); }
 * ```
 */
export function invocationError(error: unknown): Error {
  const rendered = new Error(lambdaMessage(error), { cause: error });
  rendered.name = errorName(error);
  if (error instanceof Error && error.stack)
    rendered.stack = `${rendered.name}: ${rendered.message}\n${stackFrames(error)}`;
  return rendered;
}

/** The error's own sentence, without its closing period, to go on with. */
function facts(error: Error): string {
  return error.message.replace(/\.$/, "");
}

function stackFrames(error: Error): string {
  return (error.stack ?? "")
    .split("\n")
    .filter((line) => line.startsWith("    at "))
    .join("\n");
}
