import { annotations } from "./annotation.ts";
import { LOOKBACK_DAYS_MAX, LOOKBACK_DAYS_MIN, type RuleParameters } from "./params.ts";
import { isNoUsePlaceholder } from "./report/columns.ts";
import { findRootRow } from "./report/root-row.ts";
import { parseTimestamp } from "./timestamp.ts";
import type { Credential, RootActivity, Verdict } from "./verdict.ts";

const DAY_MS = 86_400_000;
const ROOT_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):root$/;

const DATE_COLUMNS: ReadonlyArray<{
  credential: Credential;
  key: "passwordLastUsed" | "accessKey1LastUsed" | "accessKey2LastUsed";
  column: string;
}> = [
  { credential: "password", key: "passwordLastUsed", column: "password_last_used" },
  { credential: "access key 1", key: "accessKey1LastUsed", column: "access_key_1_last_used_date" },
  { credential: "access key 2", key: "accessKey2LastUsed", column: "access_key_2_last_used_date" },
];

/**
 * Decides whether the root user was used within `params.lookbackDays` before `now`: the pure core of the rule,
 * with no I/O. Never throws on report content: anything that cannot be verified is NON_COMPLIANT with an
 * annotation that starts with `Cannot verify`.
 *
 * @example
 * ```ts
 * const verdict = evaluate(csvBytes, new Date("2024-06-01T00:00:00Z"), DEFAULT_PARAMETERS);
 * console.log(verdict.complianceType, verdict.annotation);
 * ```
 */
export function evaluate(report: string | Uint8Array, now: Date, params: RuleParameters): Verdict {
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
  const found = findRootRow(report);
  if (!found.ok) return cannotVerify(found.reason);
  const row = found.row;

  const arn = ROOT_ARN.exec((row.arn ?? "").trim());
  if (!arn)
    return cannotVerify(`the ${"<root_account>"} row's arn ${quote(row.arn)} is not an account root ARN`);
  const [, partition = null, accountId = null] = arn;
  const cannot = (reason: string): Verdict => ({ ...cannotVerify(reason), accountId, partition });

  const lastUsed = {} as Record<Credential, Date | null>;
  let lastUse: RootActivity["lastUse"] = null;
  for (const { credential, key, column } of DATE_COLUMNS) {
    const value = row[key] ?? "";
    if (isNoUsePlaceholder(value)) {
      lastUsed[credential] = null;
      continue;
    }
    const at = parseTimestamp(value);
    if (!at) return cannot(`${column} of the root row is ${quote(value)}, neither a date nor N/A`);
    lastUsed[credential] = at;
    if (!lastUse || at.getTime() > lastUse.at.getTime()) lastUse = { credential, at };
  }

  const activeAccessKeys: (1 | 2)[] = [];
  for (const [n, key, column] of [
    [1, "accessKey1Active", "access_key_1_active"],
    [2, "accessKey2Active", "access_key_2_active"],
  ] as const) {
    const active = parseBoolean(row[key]);
    if (active === undefined)
      return cannot(`${column} of the root row is ${quote(row[key])}, not true or false`);
    if (active) activeAccessKeys.push(n);
  }
  const mfaActive = parseBoolean(row.mfaActive) ?? null;
  const activity: RootActivity = { lastUsed, lastUse, activeAccessKeys, mfaActive };
  const base = { accountId, partition, activity };

  if (lastUse && lastUse.at.getTime() > now.getTime()) {
    return {
      ...base,
      complianceType: "NON_COMPLIANT",
      reason: "used-in-future",
      annotation: annotations.usedInFuture(activity, now, params.lookbackDays),
    };
  }
  if (lastUse && now.getTime() - lastUse.at.getTime() < params.lookbackDays * DAY_MS) {
    return {
      ...base,
      complianceType: "NON_COMPLIANT",
      reason: "used-in-window",
      annotation: annotations.usedInWindow(activity, now, params.lookbackDays),
    };
  }
  if (params.failOnActiveAccessKeys && activeAccessKeys.length > 0) {
    return {
      ...base,
      complianceType: "NON_COMPLIANT",
      reason: "active-access-key",
      annotation: annotations.activeAccessKey(activity, now, params.lookbackDays),
    };
  }
  return {
    ...base,
    complianceType: "COMPLIANT",
    reason: lastUse ? "not-used-in-window" : "never-used",
    annotation: annotations.compliant(activity, now, params.lookbackDays),
  };
}

function cannotVerify(reason: string): Verdict {
  return {
    complianceType: "NON_COMPLIANT",
    reason: "cannot-verify",
    annotation: annotations.cannotVerify(reason),
    accountId: null,
    partition: null,
    activity: null,
  };
}

function parseBoolean(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (text === "true") return true;
  if (text === "false") return false;
  return undefined;
}

/** Cell values of the root row are dates and flags, never names: safe to quote, but keep them short. */
function quote(value: string | undefined): string {
  const text = value ?? "";
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}
