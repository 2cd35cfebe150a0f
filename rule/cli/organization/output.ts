import { stringify } from "csv-stringify/sync";
import type { RuleParameters } from "../../params.ts";
import { type JsonOutput, toJson } from "../format.ts";
import { type AccountOutcome, rowVerdict, type ScanSummary } from "./results.ts";

/** One account of the `--json` output: who, the verdict or the error, and the single-account fields. */
export type AccountJson = {
  readonly accountId: string;
  readonly accountName: string;
  /** The account's state in the organization (`ACTIVE`, `SUSPENDED`…). */
  readonly accountState: string;
  /** `evaluated`, `error` (could not be evaluated) or `skipped` (not active). */
  readonly status: AccountOutcome["kind"];
  readonly error: { readonly name: string; readonly message: string } | null;
} & { readonly [K in keyof JsonOutput]: JsonOutput[K] | null };

/** The `--json` object of a scan. */
export interface ScanJson {
  readonly accounts: readonly AccountJson[];
  readonly summary: Omit<ScanSummary, "exitStatus"> & {
    /** The CLI's exit status: `ScanSummary.exitStatus`, or 130 when the scan was interrupted. */
    readonly exitStatus: number;
    /** Ctrl-C stopped the scan: the accounts listed are those evaluated before it. */
    readonly interrupted: boolean;
    /** Active accounts the scan did not get to evaluate (only when interrupted). */
    readonly notEvaluated: number;
    readonly concurrency: number;
    readonly roleName: string;
    readonly callerAccountId: string;
    readonly elapsedSeconds: number;
  };
}

/** The single-account fields of an account that was not evaluated: every one null. */
const NOT_EVALUATED: { readonly [K in keyof JsonOutput]: null } = {
  complianceType: null,
  annotation: null,
  reason: null,
  resourceType: null,
  resourceId: null,
  partition: null,
  evaluatedAt: null,
  lookbackDays: null,
  failOnActiveAccessKeys: null,
  maxReportAgeSeconds: null,
  cloudTrailLookup: null,
  countCentralizedRootSessions: null,
  lastUse: null,
  lastUsed: null,
  activeAccessKeys: null,
  mfaActive: null,
  cloudTrail: null,
  report: null,
};

/**
 * The `--json` entry of one account: for an evaluated one, the single-account `--json` fields; otherwise those
 * fields null, `complianceType` null, and `annotation` saying why.
 *
 * @example
 * ```ts
 * JSON.stringify({ accounts: outcomes.map((o) => accountJson(o, now, params)) });
 * ```
 */
export function accountJson(outcome: AccountOutcome, now: Date, params: RuleParameters): AccountJson {
  const who = {
    accountId: outcome.account.id,
    accountName: outcome.account.name,
    accountState: outcome.account.state,
    status: outcome.kind,
  };
  switch (outcome.kind) {
    case "evaluated":
      return { ...who, error: null, ...toJson(outcome.verdict, now, params, outcome.info) };
    case "error":
      return {
        ...who,
        error: outcome.error,
        ...NOT_EVALUATED,
        annotation: `Could not be evaluated: ${outcome.error.message}`,
      };
    case "skipped":
      return {
        ...who,
        error: null,
        ...NOT_EVALUATED,
        annotation: `Not evaluated: the account is ${outcome.account.state || "not active"} in the organization.`,
      };
  }
}

/** The `--csv` header, in column order. */
export const CSV_COLUMNS = [
  "account_id",
  "account_name",
  "account_state",
  "verdict",
  "reason",
  "last_root_use",
  "last_root_use_source",
  "active_access_keys",
  "mfa_active",
  "report_generated_time",
  "report_age_seconds",
  "annotation",
  "error_name",
  "error_message",
] as const;

/**
 * One CSV row per account, with a header (RFC 4180 quoting: fields with a comma, quote or line end quoted, quotes
 * doubled; LF line ends, which every spreadsheet and CSV reader takes). `verdict` is
 * `NON_COMPLIANT`, `COMPLIANT`, `ERROR` or `SKIPPED`. A text field that a spreadsheet would run as a formula (it
 * starts with `=`, `+`, `-`, `@`, a tab or CR) gets a leading `'`, as OWASP advises against CSV injection: account
 * names are chosen by whoever created the account.
 *
 * @example
 * ```ts
 * process.stdout.write(toCsv(orderOutcomes(outcomes), now, params));
 * ```
 */
export function toCsv(outcomes: readonly AccountOutcome[], now: Date, params: RuleParameters): string {
  const rows = outcomes.map((outcome) => {
    const json = accountJson(outcome, now, params);
    const use = json.lastUse;
    const record: Record<(typeof CSV_COLUMNS)[number], string> = {
      account_id: json.accountId,
      account_name: safe(json.accountName),
      account_state: json.accountState,
      verdict: rowVerdict(outcome),
      reason: json.reason ?? "",
      last_root_use: use?.at ?? "",
      last_root_use_source: use ? `${use.source}: ${use.credential ?? use.eventName ?? ""}` : "",
      active_access_keys: json.activeAccessKeys ? json.activeAccessKeys.join(" ") : "",
      mfa_active: json.mfaActive === null ? "" : String(json.mfaActive),
      report_generated_time: json.report?.generatedTime ?? "",
      report_age_seconds:
        json.report?.ageSeconds === null || !json.report ? "" : String(json.report.ageSeconds),
      annotation: safe(json.annotation ?? ""),
      error_name: json.error?.name ?? "",
      error_message: safe(json.error?.message ?? ""),
    };
    return CSV_COLUMNS.map((column) => record[column]);
  });
  return stringify([[...CSV_COLUMNS], ...rows]);
}

function safe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
