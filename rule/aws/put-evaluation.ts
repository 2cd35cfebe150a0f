import {
  type ConfigServiceClient,
  PutEvaluationsCommand,
  type PutEvaluationsCommandOutput,
} from "@aws-sdk/client-config-service";
import { errorName, errorSummary, outcomeUnknown, PutEvaluationsError } from "../errors.ts";
import { TEST_MODE_TOKEN } from "../event.ts";

/** What Config records for the account. */
export interface AccountEvaluation {
  readonly accountId: string;
  readonly complianceType: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";
  readonly annotation: string;
  readonly orderingTimestamp: Date;
  readonly resultToken: string;
}

/** Config's answer, minus what the caller does not need. */
export interface PutOutcome {
  readonly attempts: number;
  readonly requestId: string | undefined;
  readonly testMode: boolean;
}

const HINTS: Record<string, string> = {
  InvalidResultTokenException:
    "the result token is not valid for this rule and account (expired, or another account's); Config re-invokes the rule on schedule",
  NoSuchConfigRuleException: "the Config rule no longer exists; the Lambda was invoked for a deleted rule",
  InvalidParameterValueException: "Config refused a value of the evaluation",
  AccessDeniedException: "the execution role needs config:PutEvaluations",
};

/**
 * Posts one evaluation of the account (`AWS::::Account`) to Config. `TESTMODE` tokens are sent with `TestMode`.
 * Throws {@link PutEvaluationsError} when Config answers an error or lists the evaluation as failed.
 *
 * @example
 * ```ts
 * await putAccountEvaluation(config, { accountId, complianceType: "COMPLIANT", annotation: "…",
 *   orderingTimestamp: notificationCreationTime, resultToken });
 * ```
 */
export async function putAccountEvaluation(
  config: ConfigServiceClient,
  evaluation: AccountEvaluation,
  abortSignal?: AbortSignal,
): Promise<PutOutcome> {
  const testMode = evaluation.resultToken === TEST_MODE_TOKEN;
  let output: PutEvaluationsCommandOutput;
  try {
    output = await config.send(
      new PutEvaluationsCommand({
        ResultToken: evaluation.resultToken,
        TestMode: testMode,
        Evaluations: [
          {
            ComplianceResourceType: "AWS::::Account",
            ComplianceResourceId: evaluation.accountId,
            ComplianceType: evaluation.complianceType,
            Annotation: evaluation.annotation,
            OrderingTimestamp: evaluation.orderingTimestamp,
          },
        ],
      }),
      abortSignal ? { abortSignal } : {},
    );
  } catch (error) {
    const hint = HINTS[errorName(error)];
    throw new PutEvaluationsError(`${errorSummary(error)}${hint ? ` (${hint})` : ""}`, {
      cause: error,
      mayHaveRecorded: outcomeUnknown(error),
    });
  }
  const failed = output.FailedEvaluations ?? [];
  if (failed.length > 0) {
    throw new PutEvaluationsError(
      `Config did not accept ${failed.length} evaluation(s) it listed as FailedEvaluations`,
    );
  }
  return { attempts: output.$metadata.attempts ?? 1, requestId: output.$metadata.requestId, testMode };
}
