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

export type ComplianceType = "COMPLIANT" | "NON_COMPLIANT";

/** Why the verdict is what it is: stable codes for logs, metrics and `--json`. */
export type VerdictReason =
  | "never-used"
  | "not-used-in-window"
  | "used-in-window"
  | "used-in-future"
  | "active-access-key"
  | "cannot-verify";

/** The result of evaluating one credential report. */
export interface Verdict {
  readonly complianceType: ComplianceType;
  readonly reason: VerdictReason;
  /** At most 256 characters, as Config accepts. */
  readonly annotation: string;
  /** The account id from the root row's ARN; null when the report could not be verified. */
  readonly accountId: string | null;
  /** The ARN partition (`aws`, `aws-us-gov`, `aws-cn`); null when unknown. */
  readonly partition: string | null;
  /** Null when the report could not be verified. */
  readonly activity: RootActivity | null;
}
