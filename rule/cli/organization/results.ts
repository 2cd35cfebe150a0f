/**
 * What an organization scan found, account by account, and what follows from it: the order of the rows, the
 * summary and the exit status. Pure: no I/O, no clock.
 */

import type { Verdict } from "../../verdict.ts";
import type { ReportInfo } from "../format.ts";
import type { OrganizationAccount } from "./list-accounts.ts";

/** One account's outcome. */
export type AccountOutcome =
  | {
      readonly kind: "evaluated";
      readonly account: OrganizationAccount;
      readonly verdict: Verdict;
      readonly info: ReportInfo;
    }
  | {
      readonly kind: "error";
      readonly account: OrganizationAccount;
      /** The error's name (`AssumeRoleError`…) and a one-line message that says what to do. */
      readonly error: { readonly name: string; readonly message: string };
    }
  | { readonly kind: "skipped"; readonly account: OrganizationAccount };

/** The verdict column: a Config compliance type, or why there is none. */
export type RowVerdict = "NON_COMPLIANT" | "ERROR" | "COMPLIANT" | "SKIPPED";

/**
 * The row order: what needs action first (NON_COMPLIANT), then what could not be checked (ERROR: unknown, so it
 * needs a look too), then COMPLIANT, then the accounts that were not evaluated on purpose (suspended, closed).
 */
export const VERDICT_ORDER: readonly RowVerdict[] = ["NON_COMPLIANT", "ERROR", "COMPLIANT", "SKIPPED"];

/**
 * The verdict column of an outcome.
 *
 * @example
 * ```ts
 * rowVerdict({ kind: "skipped", account }); // "SKIPPED"
 * ```
 */
export function rowVerdict(outcome: AccountOutcome): RowVerdict {
  if (outcome.kind === "evaluated") return outcome.verdict.complianceType;
  return outcome.kind === "error" ? "ERROR" : "SKIPPED";
}

/**
 * The outcomes sorted by {@link VERDICT_ORDER}, then by account id; a new array.
 *
 * @example
 * ```ts
 * orderOutcomes(outcomes).map((o) => o.account.id);
 * ```
 */
export function orderOutcomes(outcomes: readonly AccountOutcome[]): AccountOutcome[] {
  const rank = (o: AccountOutcome) => VERDICT_ORDER.indexOf(rowVerdict(o));
  return [...outcomes].sort(
    (a, b) => rank(a) - rank(b) || (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0),
  );
}

/** Exit statuses of a scan, as documented in the README. */
export const SCAN_EXIT = { compliant: 0, nonCompliant: 1, incomplete: 2 } as const;

/** The counts a scan ends with. */
export interface ScanSummary {
  readonly accounts: number;
  readonly nonCompliant: number;
  readonly compliant: number;
  /** Accounts that could not be evaluated. */
  readonly errors: number;
  readonly skipped: number;
  /** Calls the SDK retried after throttling or a server error (IAM, STS, Organizations, CloudTrail). */
  readonly retries: number;
  readonly exitStatus: 0 | 1 | 2;
}

/**
 * Counts the outcomes and decides the exit status: 1 if any account is NON_COMPLIANT; else 2 if any account could
 * not be evaluated, or none was evaluated at all (nothing vouches for anything); 0 only when every active account
 * evaluated is COMPLIANT.
 *
 * @example
 * ```ts
 * summarize(outcomes, 3).exitStatus; // 0, 1 or 2
 * ```
 */
export function summarize(outcomes: readonly AccountOutcome[], retries: number): ScanSummary {
  const count = (verdict: RowVerdict) => outcomes.filter((o) => rowVerdict(o) === verdict).length;
  const nonCompliant = count("NON_COMPLIANT");
  const compliant = count("COMPLIANT");
  const errors = count("ERROR");
  const exitStatus =
    nonCompliant > 0
      ? SCAN_EXIT.nonCompliant
      : errors > 0 || compliant === 0
        ? SCAN_EXIT.incomplete
        : SCAN_EXIT.compliant;
  return {
    accounts: outcomes.length,
    nonCompliant,
    compliant,
    errors,
    skipped: count("SKIPPED"),
    retries,
    exitStatus,
  };
}

/**
 * The summary line under the table.
 *
 * @example
 * ```ts
 * summaryLine(summary, 12_300); // "45 accounts: 3 NON_COMPLIANT, 1 could not be evaluated, 40 COMPLIANT, 1 skipped; 0 retried calls; 12.3 s"
 * ```
 */
export function summaryLine(summary: ScanSummary, elapsedMs: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return (
    `${plural(summary.accounts, "account")}: ${summary.nonCompliant} NON_COMPLIANT, ` +
    `${summary.errors} could not be evaluated, ${summary.compliant} COMPLIANT, ${summary.skipped} skipped; ` +
    `${plural(summary.retries, "call")} retried after throttling or a server error; ${(elapsedMs / 1000).toFixed(1)} s`
  );
}
