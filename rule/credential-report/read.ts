import { parseTimestamp } from "../timestamp.ts";
import type { Credential, RootActivity } from "../verdict.ts";
import { isNoUsePlaceholder } from "./columns.ts";
import { findRootRow } from "./root-row.ts";

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

/** What the credential report says about the root user: its activity, or why it cannot be verified. */
export type ReportReading =
  | {
      readonly ok: true;
      readonly accountId: string;
      readonly partition: string;
      readonly activity: RootActivity;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly accountId: string | null;
      readonly partition: string | null;
    };

/**
 * Reads the root user's activity from a credential report (CSV bytes or text): its account and partition (from the
 * root row's ARN), the last use of each credential, its active access keys and MFA. Never throws: a report that
 * cannot be verified is `ok: false` with the reason, a sentence fragment for the `Cannot verify` annotation.
 *
 * @example
 * ```ts
 * const reading = readReport(csvBytes);
 * if (reading.ok) console.log(reading.activity.lastUse);
 * ```
 */
export function readReport(content: string | Uint8Array): ReportReading {
  const found = findRootRow(content);
  if (!found.ok) return { ok: false, reason: found.reason, accountId: null, partition: null };
  const row = found.row;

  const arn = ROOT_ARN.exec((row.arn ?? "").trim());
  if (!arn) {
    return {
      ok: false,
      reason: `the ${"<root_account>"} row's arn ${quote(row.arn)} is not an account root ARN`,
      accountId: null,
      partition: null,
    };
  }
  const [, partition = "aws", accountId = ""] = arn;
  const cannot = (reason: string): ReportReading => ({ ok: false, reason, accountId, partition });

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
  return { ok: true, accountId, partition, activity: { lastUsed, lastUse, activeAccessKeys, mfaActive } };
}

function parseBoolean(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (text === "true") return true;
  if (text === "false") return false;
  return undefined;
}

/** Cell values of the root row are dates and flags, never names: safe to quote, but keep them short. */
function quote(value: string | undefined): string {
  const chars = Array.from(value ?? "");
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 37).join("")}...` : chars.join(""));
}
