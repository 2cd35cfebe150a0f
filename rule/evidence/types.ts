import type { CloudTrailEvidence } from "../cloudtrail/types.ts";
import type { FetchedReport, FetchReportOptions, ReportProgress } from "../credential-report/fetch.ts";
import type { RuleParameters } from "../params.ts";

/**
 * What the rule decides from: the credential report, and root events from CloudTrail event history. Gathered by
 * `gatherEvidence` (I/O), decided by `evaluate` (pure).
 */

/** The evidence of one account, as `evaluate` takes it. */
export interface Evidence {
  readonly report: ReportEvidence;
  /** Root events CloudTrail event history holds; null when CloudTrail was not read (`cloudTrailLookup=false`, a report file). */
  readonly cloudTrail: CloudTrailEvidence | null;
}

/** The credential report. */
export interface ReportEvidence {
  /** The CSV bytes (or text) IAM wrote. */
  readonly content: string | Uint8Array;
  /** When IAM generated it (`GeneratedTime`); null when the input does not say (a raw CSV file). */
  readonly generatedTime: Date | null;
}

/** How to gather one account's evidence. */
export interface GatherOptions {
  readonly params: RuleParameters;
  /** The evaluation time: CloudTrail is searched from `min(lookbackDays, 90)` days before it. */
  readonly now: Date;
  /** Epoch ms by which all evidence must be in hand. */
  readonly deadline: number;
  readonly clock?: () => number;
  readonly sleep?: FetchReportOptions["sleep"];
  readonly random?: FetchReportOptions["random"];
  readonly onProgress?: (progress: GatherProgress) => void;
  /** Stops the gathering early (a person pressed Ctrl-C): what is under way fails as at the deadline. */
  readonly signal?: AbortSignal;
}

/** What the gathering is doing, for a person waiting at a terminal. */
export type GatherProgress = ReportProgress | { readonly kind: "cloudtrail"; readonly regions: number };

/** What the CloudTrail part cost, for the log line. */
export interface CloudTrailStats {
  readonly regions: number;
  /** LookupEvents pages read. */
  readonly pages: number;
  readonly retries: number;
  readonly durationMs: number;
}

/** One account's evidence, and what it took to get it. */
export interface GatheredEvidence {
  readonly evidence: Evidence;
  readonly report: FetchedReport;
  /** Null when CloudTrail was not asked for (`cloudTrailLookup=false`). */
  readonly cloudTrail: CloudTrailStats | null;
}
