/**
 * The numbers AWS sets that the rule's decisions rest on, each in one place.
 */

/**
 * IAM generates a new credential report at most every 4 hours: a report younger than that is as fresh as one can
 * be (retrieval uses it as is), and an older one cannot vouch for the present (evaluate's stale-report rule).
 *
 * @example
 * ```ts
 * const fresh = Date.now() - report.generatedTime.getTime() < REPORT_REGENERATION_MS;
 * ```
 */
export const REPORT_REGENERATION_MS = 4 * 3_600_000;

/**
 * CloudTrail event history keeps the last 90 days of management events.
 *
 * @example
 * ```ts
 * const coveredDays = Math.min(params.lookbackDays, CLOUDTRAIL_HISTORY_DAYS);
 * ```
 */
export const CLOUDTRAIL_HISTORY_DAYS = 90;
