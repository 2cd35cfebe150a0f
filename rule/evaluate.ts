import { annotations, notes } from "./annotation.ts";
import type { CloudTrailRead } from "./cloudtrail/types.ts";
import { type ReportReading, readReport } from "./credential-report/read.ts";
import type { Evidence } from "./evidence/types.ts";
import { CLOUDTRAIL_HISTORY_DAYS, REPORT_REGENERATION_MS } from "./limits.ts";
import { LOOKBACK_DAYS_MAX, LOOKBACK_DAYS_MIN, type RuleParameters } from "./params.ts";
import type { CloudTrailFindings, RootUse, Verdict, VerdictReason } from "./verdict.ts";

const DAY_MS = 86_400_000;

/** A report older than this before the evaluation time cannot give COMPLIANT, unless told otherwise. */
export const DEFAULT_MAX_REPORT_AGE_MS = REPORT_REGENERATION_MS;

/** How evaluate treats the evidence. */
export interface EvaluateOptions {
  /** A report generated longer than this before `now` cannot give COMPLIANT; default 4 hours. */
  readonly maxReportAgeMs?: number;
}

/** Verdicts the credential report proves on its own, whatever CloudTrail would add. */
const PROVEN_BY_REPORT: ReadonlySet<VerdictReason> = new Set([
  "used-in-window",
  "used-in-future",
  "active-access-key",
]);

/**
 * Decides whether the root user was used within `params.lookbackDays` before `now`, from the credential report
 * and, when given, CloudTrail's root events: the pure core of the rule, with no I/O. Root's last use is the most
 * recent of the report's three dates and the countable CloudTrail events. Never COMPLIANT on doubt: a report
 * that cannot be verified, or one generated more than `maxReportAgeMs` before `now`, is NON_COMPLIANT with an
 * annotation that starts with `Cannot verify`; when CloudTrail could not be read, only a verdict the report
 * proves on its own is returned, and otherwise CloudTrail's error is thrown. A raw report (bytes or text) is
 * evidence without a generation time and without CloudTrail.
 *
 * @example
 * ```ts
 * const verdict = evaluate(csvBytes, new Date("2024-06-01T00:00:00Z"), DEFAULT_PARAMETERS);
 * const both = evaluate({ report: { content: csvBytes, generatedTime }, cloudTrail }, now, params);
 * console.log(both.complianceType, both.annotation);
 * ```
 */
export function evaluate(
  evidence: Evidence | string | Uint8Array,
  now: Date,
  params: RuleParameters,
  options: EvaluateOptions = {},
): Verdict {
  if (Number.isNaN(now.getTime())) throw new RangeError("evaluate: now is not a valid date");
  // Parameters come validated from parseRuleParameters; a caller that builds them by hand must not get a
  // COMPLIANT out of a NaN or zero window.
  if (
    !Number.isInteger(params.lookbackDays) ||
    params.lookbackDays < LOOKBACK_DAYS_MIN ||
    params.lookbackDays > LOOKBACK_DAYS_MAX
  ) {
    throw new RangeError(
      `evaluate: lookbackDays ${params.lookbackDays} is not a whole number from 1 to 3650`,
    );
  }
  const maxReportAgeMs = options.maxReportAgeMs ?? DEFAULT_MAX_REPORT_AGE_MS;
  if (!(maxReportAgeMs > 0))
    throw new RangeError(`evaluate: maxReportAgeMs ${maxReportAgeMs} is not positive`);
  const { report, cloudTrail } =
    typeof evidence === "string" || evidence instanceof Uint8Array
      ? { report: { content: evidence, generatedTime: null }, cloudTrail: null }
      : evidence;
  const read = readReport(report.content);
  const context = { read, generatedTime: report.generatedTime, now, params, maxReportAgeMs };
  if (cloudTrail?.status === "unavailable") {
    const alone = decide({ ...context, trail: null, unavailable: cloudTrail.problem });
    if (PROVEN_BY_REPORT.has(alone.reason)) return alone;
    throw cloudTrail.error;
  }
  return decide({ ...context, trail: cloudTrail, unavailable: null });
}

interface Decision {
  readonly read: ReportReading;
  readonly generatedTime: Date | null;
  readonly trail: CloudTrailRead | null;
  /** Set when CloudTrail was asked for but could not be read: the report decides alone. */
  readonly unavailable: string | null;
  readonly now: Date;
  readonly params: RuleParameters;
  readonly maxReportAgeMs: number;
}

function decide(d: Decision): Verdict {
  const { read, now, params } = d;
  const windowMs = params.lookbackDays * DAY_MS;
  const findings = d.trail ? cloudTrailFindings(d.trail, now, params) : null;

  const uses: RootUse[] = [];
  const reportUse = read.ok ? read.activity.lastUse : null;
  if (reportUse) uses.push({ source: "credential report", ...reportUse });
  const counted = findings?.events.find((event) => !event.centralized || findings.centralizedCounted);
  if (counted) uses.push({ source: "CloudTrail", event: counted, at: counted.time });
  const lastUse = uses.reduce<RootUse | null>(
    (latest, use) => (!latest || use.at.getTime() > latest.at.getTime() ? use : latest),
    null,
  );

  const activity = read.ok ? read.activity : null;
  const keys = activity?.activeAccessKeys ?? [];
  const centralizedNote =
    findings && !findings.centralizedCounted
      ? notes.centralizedSessions(
          findings.centralizedSessions.count,
          findings.centralizedSessions.latest,
          findings.complete,
        )
      : null;
  const coverageNote = findings ? notes.cloudTrailCoverage(findings.coveredDays, params.lookbackDays) : null;
  const otherSource = [
    read.ok ? null : notes.reportUnverifiable(read.reason),
    d.unavailable === null ? null : notes.cloudTrailUnavailable(d.unavailable),
  ];
  const base = {
    accountId: read.accountId,
    partition: read.partition,
    activity,
    lastUse,
    cloudTrail:
      d.unavailable === null
        ? findings
        : ({ status: "unavailable", problem: d.unavailable } satisfies CloudTrailFindings),
  };
  const verdict = (complianceType: Verdict["complianceType"], reason: VerdictReason, annotation: string) => ({
    ...base,
    complianceType,
    reason,
    annotation,
  });

  if (lastUse && lastUse.at.getTime() > now.getTime()) {
    return verdict(
      "NON_COMPLIANT",
      "used-in-future",
      annotations.usedInFuture(lastUse, now, params.lookbackDays, [
        notes.activeKeys(keys),
        ...otherSource,
        centralizedNote,
        coverageNote,
      ]),
    );
  }
  if (lastUse && now.getTime() - lastUse.at.getTime() < windowMs) {
    return verdict(
      "NON_COMPLIANT",
      "used-in-window",
      annotations.usedInWindow(lastUse, now, params.lookbackDays, [
        notes.activeKeys(keys),
        ...otherSource,
        centralizedNote,
        coverageNote,
      ]),
    );
  }
  if (!read.ok) {
    return verdict(
      "NON_COMPLIANT",
      "cannot-verify",
      annotations.cannotVerify(read.reason, [centralizedNote, coverageNote]),
    );
  }
  if (d.generatedTime && now.getTime() - d.generatedTime.getTime() > d.maxReportAgeMs) {
    return verdict(
      "NON_COMPLIANT",
      "stale-report",
      annotations.staleReport(d.generatedTime, now, [centralizedNote, coverageNote]),
    );
  }
  if (params.failOnActiveAccessKeys && keys.length > 0) {
    return verdict(
      "NON_COMPLIANT",
      "active-access-key",
      annotations.activeAccessKey(keys, lastUse, now, [...otherSource, centralizedNote, coverageNote]),
    );
  }
  return verdict(
    "COMPLIANT",
    lastUse ? "not-used-in-window" : "never-used",
    annotations.compliant(
      lastUse,
      now,
      {
        cloudTrailRegions: findings?.status === "read" ? findings.regions.length : null,
        cloudTrailDays: findings?.status === "read" ? findings.coveredDays : 0,
        lookbackDays: params.lookbackDays,
      },
      [notes.activeKeys(keys), centralizedNote],
    ),
  );
}

/** The root events that matter to this evaluation: inside the window, or after `now`. */
function cloudTrailFindings(
  trail: CloudTrailRead,
  now: Date,
  params: RuleParameters,
): Extract<CloudTrailFindings, { status: "read" }> {
  const coveredDays = Math.min(params.lookbackDays, CLOUDTRAIL_HISTORY_DAYS);
  const windowStart = now.getTime() - coveredDays * DAY_MS;
  // A lookup that started later than the window would let an early use go unseen.
  if (trail.since.getTime() > windowStart) {
    throw new RangeError("evaluate: the CloudTrail evidence starts after the start of the window");
  }
  const events = trail.events
    .filter((event) => event.time.getTime() > now.getTime() - params.lookbackDays * DAY_MS)
    .sort((a, b) => b.time.getTime() - a.time.getTime());
  const centralized = events.filter((event) => event.centralized);
  const sessions = new Set(centralized.map((event) => event.sessionKey ?? event.eventId));
  return {
    status: "read",
    regions: trail.regions,
    since: trail.since,
    coveredDays,
    complete: trail.complete,
    events,
    centralizedSessions: { count: sessions.size, latest: centralized[0] ?? null },
    centralizedCounted: params.countCentralizedRootSessions,
  };
}
