/**
 * Config: `PutEvaluations`, validated as AWS Config does.
 *
 * @module
 */
import type { Caller, PutEvaluationsRecord, RecordedEvaluation, WireResponse } from "./types.ts";
import { jsonError, jsonResult } from "./xml.ts";

const COMPLIANCE_TYPES = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"];

/**
 * The result of a Config request: the answer, and the evaluations accepted if any.
 *
 * @example
 * ```ts
 * const outcome: ConfigOutcome = { response: jsonResult({ FailedEvaluations: [] }) };
 * ```
 */
export interface ConfigOutcome {
  response: WireResponse;
  accepted?: PutEvaluationsRecord;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function lengthProblem(
  value: unknown,
  path: string,
  min: number,
  max: number,
  required: boolean,
): string | undefined {
  if (value === undefined || value === null) {
    return required
      ? `Value null at '${path}' failed to satisfy constraint: Member must not be null`
      : undefined;
  }
  if (typeof value !== "string")
    return `Value at '${path}' failed to satisfy constraint: Member must be a string`;
  if (value.length < min) {
    return `Value '${value}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`;
  }
  if (value.length > max) {
    return `Value '${value}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${max}`;
  }
  return undefined;
}

function evaluationProblems(evaluation: unknown, index: number): string[] {
  const path = `evaluations.${index + 1}.member`;
  if (!isRecord(evaluation))
    return [`Value at '${path}' failed to satisfy constraint: Member must be a structure`];
  const problems = [
    lengthProblem(evaluation.ComplianceResourceType, `${path}.complianceResourceType`, 1, 256, true),
    lengthProblem(evaluation.ComplianceResourceId, `${path}.complianceResourceId`, 1, 768, true),
    lengthProblem(evaluation.Annotation, `${path}.annotation`, 1, 256, false),
  ];
  const type = evaluation.ComplianceType;
  if (type === undefined || type === null) {
    problems.push(
      `Value null at '${path}.complianceType' failed to satisfy constraint: Member must not be null`,
    );
  } else if (typeof type !== "string" || !COMPLIANCE_TYPES.includes(type)) {
    problems.push(
      `Value '${String(type)}' at '${path}.complianceType' failed to satisfy constraint: Member must satisfy enum value set: [${COMPLIANCE_TYPES.join(", ")}]`,
    );
  }
  const timestamp = evaluation.OrderingTimestamp;
  if (timestamp === undefined || timestamp === null) {
    problems.push(
      `Value null at '${path}.orderingTimestamp' failed to satisfy constraint: Member must not be null`,
    );
  } else if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
    problems.push(
      `Value at '${path}.orderingTimestamp' failed to satisfy constraint: Member must be a timestamp`,
    );
  }
  return problems.filter((problem): problem is string => problem !== undefined);
}

function validationException(problems: string[]): WireResponse {
  const count = problems.length === 1 ? "1 validation error" : `${problems.length} validation errors`;
  return jsonError(400, "ValidationException", `${count} detected: ${problems.join("; ")}`);
}

function putEvaluations(body: unknown, caller: Caller, failEvaluations: boolean): ConfigOutcome {
  if (!isRecord(body))
    return { response: jsonError(400, "SerializationException", "Start of structure expected") };
  const { ResultToken: resultToken, Evaluations: rawEvaluations, TestMode: testMode } = body;
  if (testMode !== undefined && typeof testMode !== "boolean") {
    return { response: jsonError(400, "SerializationException", "TestMode must be a boolean") };
  }
  if (rawEvaluations !== undefined && !Array.isArray(rawEvaluations)) {
    return { response: jsonError(400, "SerializationException", "Evaluations must be a list") };
  }
  const evaluations: unknown[] = rawEvaluations ?? [];
  const problems: string[] = [];
  if (evaluations.length > 100) {
    problems.push(
      `Value at 'evaluations' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  }
  evaluations.forEach((evaluation, index) => {
    problems.push(...evaluationProblems(evaluation, index));
  });
  if (problems.length > 0) return { response: validationException(problems) };
  if (
    typeof resultToken !== "string" ||
    resultToken === "" ||
    (resultToken === "TESTMODE" && testMode !== true)
  ) {
    return { response: jsonError(400, "InvalidResultTokenException", "The resultToken provided is invalid") };
  }
  const typed = evaluations as RecordedEvaluation[];
  if (typed.some((evaluation) => evaluation.ComplianceType === "INSUFFICIENT_DATA")) {
    return {
      response: jsonError(
        400,
        "InvalidParameterValueException",
        "The ComplianceType INSUFFICIENT_DATA is not supported for evaluations of custom rules.",
      ),
    };
  }
  if (failEvaluations) return { response: jsonResult({ FailedEvaluations: typed }) };
  return {
    response: jsonResult({ FailedEvaluations: [] }),
    accepted: {
      accountId: caller.accountId,
      resultToken,
      testMode: testMode === true,
      evaluations: typed.map((evaluation) => ({ ...evaluation })),
    },
  };
}

/**
 * Answers a Config operation (from `X-Amz-Target: StarlingDoveService.<Op>`) for a known caller.
 * `failEvaluations` (the `failedEvaluations` fault) answers a valid `PutEvaluations` with every
 * evaluation in `FailedEvaluations` and accepts nothing.
 *
 * @example
 * ```ts
 * const { response, accepted } = handleConfig("PutEvaluations", { ResultToken: "t", Evaluations: [] }, caller, false);
 * ```
 */
export function handleConfig(
  action: string,
  body: unknown,
  caller: Caller,
  failEvaluations: boolean,
): ConfigOutcome {
  if (action === "PutEvaluations") return putEvaluations(body, caller, failEvaluations);
  return { response: jsonError(400, "UnknownOperationException", `Unknown operation ${action}`) };
}
