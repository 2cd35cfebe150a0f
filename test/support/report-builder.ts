/**
 * Builds credential reports for tests: AWS's 22 columns in AWS's order by default, a root row whose fields are
 * placeholders unless a test sets them, and any number of IAM users around it. Tests say what matters to them
 * and nothing else, instead of pasting CSV.
 */

import { CREDENTIAL_REPORT_COLUMNS, minimalRootRow } from "../../scripts/local-aws/report-csv.ts";

/** AWS's current columns, in AWS's order (the local AWS endpoint's list). */
export const AWS_COLUMNS = CREDENTIAL_REPORT_COLUMNS;

export type Row = Record<string, string>;

/**
 * The columns the rule reads, then a free-text `padding` column last: a report whose rows can be made as long,
 * or whose last field as empty, as a test needs.
 *
 * @example
 * ```ts
 * buildReport({ columns: PADDED_COLUMNS, rows: [rootRow({ padding: "x".repeat(100) })] });
 * ```
 */
export const PADDED_COLUMNS: readonly string[] = [
  "user",
  "arn",
  "password_last_used",
  "access_key_1_active",
  "access_key_1_last_used_date",
  "access_key_2_active",
  "access_key_2_last_used_date",
  "padding",
];

export const ACCOUNT_ID = "111122223333";

/**
 * The root row of an account that has never used root: what AWS writes for a fresh account.
 *
 * @example
 * ```ts
 * rootRow({ password_last_used: "2024-01-01T00:00:00+00:00" });
 * ```
 */
export function rootRow(overrides: Row = {}, accountId = ACCOUNT_ID): Row {
  return {
    ...minimalRootRow(accountId),
    user_creation_time: "2016-05-16T18:13:11+00:00",
    mfa_active: "true",
    ...overrides,
  };
}

/**
 * An IAM user's row; `name` may hold commas and other characters IAM allows.
 *
 * @example
 * ```ts
 * userRow("alice,ops", { password_last_used: "2024-01-01T00:00:00+00:00" });
 * ```
 */
export function userRow(name: string, overrides: Row = {}, accountId = ACCOUNT_ID): Row {
  return {
    ...rootRow({}, accountId),
    user: name,
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    password_enabled: "true",
    password_last_used: "2024-03-01T10:00:00+00:00",
    password_last_changed: "2024-01-01T10:00:00+00:00",
    password_next_rotation: "N/A",
    mfa_active: "false",
    ...overrides,
  };
}

export interface ReportSpec {
  /** Rows in order; the header is built from `columns`. */
  readonly rows: readonly Row[];
  /** Header, in order; default AWS's 22 columns. Rows' missing fields become empty. */
  readonly columns?: readonly string[];
  readonly bom?: boolean;
  readonly lineEnd?: "\n" | "\r\n";
  /** Quote every field, not only those that need it. */
  readonly quoteAll?: boolean;
  /** No line end after the last row. */
  readonly noFinalNewline?: boolean;
}

/**
 * Writes a report as CSV text (RFC 4180 quoting).
 *
 * @example
 * ```ts
 * const csv = buildReport({ rows: [rootRow(), userRow("bob")] });
 * ```
 */
export function buildReport(spec: ReportSpec): string {
  const columns = spec.columns ?? AWS_COLUMNS;
  const lineEnd = spec.lineEnd ?? "\n";
  const lines = [columns, ...spec.rows.map((row) => columns.map((column) => row[column] ?? ""))].map(
    (fields) => fields.map((field) => quoteField(field, spec.quoteAll ?? false)).join(","),
  );
  return `${spec.bom ? "\ufeff" : ""}${lines.join(lineEnd)}${spec.noFinalNewline ? "" : lineEnd}`;
}

/**
 * One field as `buildReport` writes it: in quotes (inner quotes doubled) when `always` or when it holds a quote,
 * comma or line end; as it is otherwise.
 *
 * @example
 * ```ts
 * quoteField('say "hi"', false); // '"say ""hi"""'
 * ```
 */
export function quoteField(field: string, always: boolean): string {
  return always || /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/**
 * A report of `count` IAM users with the root row at `rootAt` ("first", as AWS writes it, or "last").
 *
 * @example
 * ```ts
 * const big = reportWithUsers(5_000, "last", rootRow({ password_last_used: "2024-01-01T00:00:00+00:00" }));
 * ```
 */
export function reportWithUsers(count: number, rootAt: "first" | "last", root: Row = rootRow()): string {
  const users = Array.from({ length: count }, (_, i) => userRow(`user-${i}@example.com`));
  return buildReport({ rows: rootAt === "first" ? [root, ...users] : [...users, root] });
}

/** ISO 8601 with `+00:00`, as IAM writes dates. */
export function iamDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** `now` minus whole days (and optional extra milliseconds). */
export function daysBefore(now: Date, days: number, extraMs = 0): Date {
  return new Date(now.getTime() - days * 86_400_000 - extraMs);
}

/**
 * A report whose root user was never used, and no other user.
 *
 * @example
 * ```ts
 * aws.setReport(neverUsedReport(), { generatedTime: t });
 * ```
 */
export function neverUsedReport(): string {
  return buildReport({ rows: [rootRow()] });
}
