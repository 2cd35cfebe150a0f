import type { Context } from "aws-lambda";
import { ClientCache, type ClientRequest } from "./aws/client-cache.ts";
import type { RuleClients } from "./aws/clients.ts";
import { putAccountEvaluation } from "./aws/put-evaluation.ts";
import type { FetchReportOptions } from "./credential-report/fetch.ts";
import { errorName, PutEvaluationsError } from "./errors.ts";
import { evaluateAccount } from "./evaluate-account.ts";
import { parseRuleEvent } from "./event.ts";
import type { GatheredEvidence } from "./evidence/types.ts";
import { invocationError, lambdaMessage } from "./lambda-messages.ts";
import { logger as defaultLogger } from "./logger.ts";
import { type EvaluationMetrics, publishEvaluationMetrics } from "./metrics.ts";
import { parseRuleParameters } from "./params.ts";

/** What the handler needs from the outside world; tests and the CLI swap parts of it. */
export interface HandlerDependencies {
  readonly clientsFor: (request: ClientRequest) => Promise<RuleClients & { roleArn?: string | undefined }>;
  readonly clock: () => number;
  readonly sleep?: FetchReportOptions["sleep"];
  readonly random?: FetchReportOptions["random"];
  readonly logger: Pick<typeof defaultLogger, "info" | "error" | "debug">;
  /** Embedded-metric-format output; default: Powertools Metrics on stdout. */
  readonly metrics?: (figures: EvaluationMetrics) => void;
}

/** What the invocation returns (Config ignores it; it shows in tests and in the Lambda console). */
export interface HandlerResult {
  readonly accountId: string;
  readonly complianceType: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";
  readonly annotation: string;
}

type InvocationContext = Pick<Context, "getRemainingTimeInMillis"> & Partial<Pick<Context, "awsRequestId">>;

/**
 * Time kept back, out of what the Lambda has left, for PutEvaluations after the report is in hand.
 *
 * @example
 * ```ts
 * putReserveMs(120_000); // 5000
 * putReserveMs(4_000); // 1000
 * ```
 */
export function putReserveMs(remainingMs: number): number {
  return Math.min(5_000, Math.floor(remainingMs / 4));
}

const NOT_APPLICABLE_ANNOTATION = "The account left the rule's scope; root user activity is not evaluated.";

/**
 * Builds the Lambda handler: the event, the parameters, the account's evidence and verdict (`evaluateAccount`),
 * the post to Config. Anything in doubt fails the invocation and posts nothing (Config shows the rule as failed
 * and retries); the failure is worded for CloudWatch and Config (`lambdaMessage`).
 *
 * @example
 * ```ts
 * export const handler = createHandler({ clientsFor: (r) => cache.clientsFor(r), clock: Date.now, logger });
 * ```
 */
export function createHandler(deps: HandlerDependencies) {
  const metrics = deps.metrics ?? publishEvaluationMetrics;
  return async function handler(event: unknown, context: InvocationContext): Promise<HandlerResult> {
    const started = deps.clock();
    const remainingMs = context.getRemainingTimeInMillis();
    const deadline = started + remainingMs;
    const keys: Record<string, unknown> = { lambdaRequestId: context.awsRequestId };
    try {
      const ruleEvent = parseRuleEvent(event);
      Object.assign(keys, { accountId: ruleEvent.accountId, configRuleName: ruleEvent.configRuleName });
      const params = parseRuleParameters(ruleEvent.ruleParameters);
      const orderingTimestamp = ruleEvent.invokingEvent.notificationCreationTime;

      const abortAtDeadline = AbortSignal.timeout(Math.max(1, deadline - deps.clock() - 250));
      const clients = await deps.clientsFor({
        accountId: ruleEvent.accountId,
        partition: ruleEvent.partition,
        configRuleName: ruleEvent.configRuleName,
        executionRoleName: params.executionRoleName,
        abortSignal: abortAtDeadline,
      });
      if (clients.roleArn) keys.roleArn = clients.roleArn;

      // What to post, and what the log line and the metrics say about how it was decided.
      let decision: {
        complianceType: HandlerResult["complianceType"];
        annotation: string;
        details: Record<string, unknown>;
        gathered?: GatheredEvidence;
      };
      if (ruleEvent.eventLeftScope) {
        decision = {
          complianceType: "NOT_APPLICABLE",
          annotation: NOT_APPLICABLE_ANNOTATION,
          details: { reason: "event-left-scope" },
        };
      } else {
        const { verdict, gathered } = await evaluateAccount({
          source: { kind: "aws", clients },
          accountId: ruleEvent.accountId,
          params,
          now: orderingTimestamp,
          deadline: deadline - putReserveMs(remainingMs),
          clock: deps.clock,
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
          ...(deps.random ? { random: deps.random } : {}),
        });
        const { report, cloudTrail } = gathered;
        const findings = verdict.cloudTrail;
        decision = {
          complianceType: verdict.complianceType,
          annotation: verdict.annotation,
          gathered,
          details: {
            reason: verdict.reason,
            lookbackDays: params.lookbackDays,
            lastUseSource: verdict.lastUse?.source ?? null,
            reportAgeSeconds: Math.round(report.ageMs / 1000),
            reportGenerated: report.generated,
            reportWaitMs: report.waitedMs,
            iamCalls: report.calls,
            iamRequestId: report.requestId,
            ...(cloudTrail
              ? {
                  cloudTrail: {
                    status: findings?.status ?? "read",
                    regions: cloudTrail.regions,
                    pages: cloudTrail.pages,
                    retries: cloudTrail.retries,
                    durationMs: cloudTrail.durationMs,
                    ...(findings?.status === "read"
                      ? {
                          rootEvents: findings.events.length,
                          centralizedSessions: findings.centralizedSessions.count,
                          complete: findings.complete,
                        }
                      : {}),
                  },
                }
              : {}),
          },
        };
      }

      const put = await putAccountEvaluation(
        clients.config,
        {
          accountId: ruleEvent.accountId,
          complianceType: decision.complianceType,
          annotation: decision.annotation,
          orderingTimestamp,
          resultToken: ruleEvent.resultToken,
        },
        abortAtDeadline,
      );
      deps.logger.info("evaluation posted", {
        ...keys,
        complianceType: decision.complianceType,
        ...decision.details,
        configAttempts: put.attempts,
        configRequestId: put.requestId,
        testMode: put.testMode,
        durationMs: deps.clock() - started,
      });
      const report = decision.gathered?.report;
      metrics({
        outcome: "posted",
        complianceType: decision.complianceType,
        ...(report
          ? { reportAgeSeconds: Math.round(report.ageMs / 1000), reportWaitMs: report.waitedMs }
          : {}),
        apiRetries:
          (report?.calls.retries ?? 0) + (decision.gathered?.cloudTrail?.retries ?? 0) + put.attempts - 1,
      });
      return {
        accountId: ruleEvent.accountId,
        complianceType: decision.complianceType,
        annotation: decision.annotation,
      };
    } catch (error) {
      const maybePosted = error instanceof PutEvaluationsError && error.mayHaveRecorded;
      deps.logger.error(
        maybePosted ? "evaluation failed, Config may have recorded it" : "evaluation failed, nothing posted",
        {
          ...keys,
          errorName: errorName(error),
          errorMessage: lambdaMessage(error),
          durationMs: deps.clock() - started,
        },
      );
      metrics({ outcome: "failed", errorName: errorName(error) });
      throw invocationError(error);
    }
  };
}

/**
 * The handler with real AWS clients, created lazily on the first invocation and reused while warm.
 *
 * @example
 * ```ts
 * // Lambda: handler = "index.handler"
 * export const handler = createDefaultHandler();
 * ```
 */
export function createDefaultHandler() {
  const cache = new ClientCache();
  return createHandler({
    clientsFor: (request) => cache.clientsFor(request),
    clock: Date.now,
    logger: defaultLogger,
  });
}
