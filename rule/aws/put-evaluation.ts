import {
  type ConfigServiceClient,
  PutEvaluationsCommand,
  type PutEvaluationsCommandOutput,
} from "@aws-sdk/client-config-service";
import { errorSummary, outcomeUnknown, PutEvaluationsError } from "../errors.ts";
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
    throw new PutEvaluationsError(errorSummary(error), {
      cause: error,
      mayHaveRecorded: outcomeUnknown(error),
    });
  }
  const failed = output.FailedEvaluations ?? [];
  if (failed.length > 0) {
    throw new PutEvaluationsError(`Config listed ${failed.length} evaluation(s) as FailedEvaluations`);
  }
  return { attempts: output.$metadata.attempts ?? 1, requestId: output.$metadata.requestId, testMode };
}
