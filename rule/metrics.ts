import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/** CloudWatch namespace of the rule's metrics; the Terraform alarms read it. */
export const METRICS_NAMESPACE = "RootActivity";

/** One evaluation's figures, as the handler knows them at the end. */
export type EvaluationMetrics =
  | {
      readonly outcome: "posted";
      readonly complianceType: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";
      readonly reportAgeSeconds?: number;
      readonly reportWaitMs?: number;
      readonly apiRetries: number;
    }
  | { readonly outcome: "failed"; readonly errorName: string };

/**
 * Writes the invocation's metrics as CloudWatch embedded metric format (EMF) lines on stdout, with Powertools
 * Metrics: CloudWatch Logs turns them into metrics, so publishing costs no API call.
 *
 * - `EvaluationsPosted`, `ReportAgeSeconds`, `ReportGenerationWaitMs`, `ApiRetries` by `service` (the function):
 *   the "rule is healthy" signal the Terraform alarm watches.
 * - `Evaluations` by `service` and `ComplianceType`: verdicts over time.
 * - `EvaluationFailures` by `service`: invocations that posted nothing.
 *
 * A fresh `Metrics` per invocation keeps concurrent invocations (organization runs, tests) from mixing figures.
 *
 * @example
 * ```ts
 * publishEvaluationMetrics({ outcome: "posted", complianceType: "COMPLIANT", reportAgeSeconds: 60, apiRetries: 0 });
 * ```
 */
export function publishEvaluationMetrics(figures: EvaluationMetrics): void {
  const service = process.env.POWERTOOLS_SERVICE_NAME ?? "root-activity";
  const health = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  if (figures.outcome === "failed") {
    health.addMetric("EvaluationFailures", MetricUnit.Count, 1);
    health.addMetadata("errorName", figures.errorName);
    health.publishStoredMetrics();
    return;
  }
  health.addMetric("EvaluationsPosted", MetricUnit.Count, 1);
  health.addMetric("ApiRetries", MetricUnit.Count, figures.apiRetries);
  if (figures.reportAgeSeconds !== undefined) {
    health.addMetric("ReportAgeSeconds", MetricUnit.Seconds, Math.max(0, figures.reportAgeSeconds));
  }
  if (figures.reportWaitMs !== undefined) {
    health.addMetric("ReportGenerationWaitMs", MetricUnit.Milliseconds, figures.reportWaitMs);
  }
  health.publishStoredMetrics();

  const verdicts = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  verdicts.addDimension("ComplianceType", figures.complianceType);
  verdicts.addMetric("Evaluations", MetricUnit.Count, 1);
  verdicts.publishStoredMetrics();
}
