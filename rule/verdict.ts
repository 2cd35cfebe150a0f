import type { RootEvent } from "./cloudtrail/types.ts";

/** What a verdict says about the root user, read from its credential report row. */
export interface RootActivity {
  /** Most recent use per credential; null = never used / no data. */
  readonly lastUsed: Readonly<Record<Credential, Date | null>>;
  /** The most recent of the three, and which credential it was; null = no recorded use at all. */
  readonly lastUse: { readonly credential: Credential; readonly at: Date } | null;
  /** Root access keys that are active (1, 2), used or not. */
  readonly activeAccessKeys: readonly (1 | 2)[];
  /** Root MFA, when the report has the column. */
  readonly mfaActive: boolean | null;
}

export type Credential = "password" | "access key 1" | "access key 2";

/** One use of the root user, from either source. */
export type RootUse =
  | { readonly source: "credential report"; readonly credential: Credential; readonly at: Date }
  | { readonly source: "CloudTrail"; readonly event: RootEvent; readonly at: Date };

/** What CloudTrail event history showed, as the verdict used it. */
export type CloudTrailFindings =
  | {
      readonly status: "read";
      readonly regions: readonly string[];
      /** Start of the searched range: `min(lookbackDays, 90)` days before the evaluation time. */
      readonly since: Date;
      /** Days of the window CloudTrail covers: `min(lookbackDays, 90)`. */
      readonly coveredDays: number;
      /** False when some region's paging stopped early at a countable event (counts are then lower bounds). */
      readonly complete: boolean;
      /** Root events inside the window or after the evaluation time, newest first, centralized sessions included. */
      readonly events: readonly RootEvent[];
      /** Sessions opened with `sts:AssumeRoot` in the window, each counted once, and the latest event of one. */
      readonly centralizedSessions: { readonly count: number; readonly latest: RootEvent | null };
      /** Whether centralized sessions counted as root use (`countCentralizedRootSessions`). */
      readonly centralizedCounted: boolean;
    }
  | {
      /** CloudTrail could not be read, and the credential report alone proved the verdict. */
      readonly status: "unavailable";
      readonly problem: string;
    };

export type ComplianceType = "COMPLIANT" | "NON_COMPLIANT";

/** Why the verdict is what it is: stable codes for logs, metrics and `--json`. */
export type VerdictReason =
  | "never-used"
  | "not-used-in-window"
  | "used-in-window"
  | "used-in-future"
  | "active-access-key"
  | "cannot-verify"
  | "stale-report";

/** The result of evaluating one account's evidence. */
export interface Verdict {
  readonly complianceType: ComplianceType;
  readonly reason: VerdictReason;
  /** At most 256 characters, as Config accepts. */
  readonly annotation: string;
  /** The account id from the root row's ARN; null when the report could not be verified. */
  readonly accountId: string | null;
  /** The ARN partition (`aws`, `aws-us-gov`, `aws-cn`); null when unknown. */
  readonly partition: string | null;
  /** The credential report's facts; null when the report could not be verified. */
  readonly activity: RootActivity | null;
  /** The latest root use that counts, from either source; null when none was found. */
  readonly lastUse: RootUse | null;
  /** What CloudTrail showed; null when it was not read. */
  readonly cloudTrail: CloudTrailFindings | null;
}
