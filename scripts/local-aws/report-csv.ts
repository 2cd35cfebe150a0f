/**
 * Building credential report CSV text.
 *
 * @module
 */

/**
 * The 22 credential report columns, in AWS's current order.
 *
 * @example
 * ```ts
 * CREDENTIAL_REPORT_COLUMNS.join(","); // the header line
 * ```
 */
export const CREDENTIAL_REPORT_COLUMNS = [
  "user",
  "arn",
  "user_creation_time",
  "password_enabled",
  "password_last_used",
  "password_last_changed",
  "password_next_rotation",
  "mfa_active",
  "access_key_1_active",
  "access_key_1_last_rotated",
  "access_key_1_last_used_date",
  "access_key_1_last_used_region",
  "access_key_1_last_used_service",
  "access_key_2_active",
  "access_key_2_last_rotated",
  "access_key_2_last_used_date",
  "access_key_2_last_used_region",
  "access_key_2_last_used_service",
  "cert_1_active",
  "cert_1_last_rotated",
  "cert_2_active",
  "cert_2_last_rotated",
] as const;

/**
 * A credential report column name.
 *
 * @example
 * ```ts
 * const column: CredentialReportColumn = "password_last_used";
 * ```
 */
export type CredentialReportColumn = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

/**
 * The root row of a fresh account: no date known, no password data (`no_information`), root-only fields
 * `not_supported`, every flag `false`.
 *
 * @example
 * ```ts
 * minimalRootRow("111122223333").password_last_used; // "no_information"
 * ```
 */
export function minimalRootRow(accountId: string, partition = "aws"): Record<CredentialReportColumn, string> {
  return {
    user: "<root_account>",
    arn: `arn:${partition}:iam::${accountId}:root`,
    user_creation_time: "N/A",
    password_enabled: "not_supported",
    password_last_used: "no_information",
    password_last_changed: "not_supported",
    password_next_rotation: "not_supported",
    mfa_active: "false",
    access_key_1_active: "false",
    access_key_1_last_rotated: "N/A",
    access_key_1_last_used_date: "N/A",
    access_key_1_last_used_region: "N/A",
    access_key_1_last_used_service: "N/A",
    access_key_2_active: "false",
    access_key_2_last_rotated: "N/A",
    access_key_2_last_used_date: "N/A",
    access_key_2_last_used_region: "N/A",
    access_key_2_last_used_service: "N/A",
    cert_1_active: "false",
    cert_1_last_rotated: "N/A",
    cert_2_active: "false",
    cert_2_last_rotated: "N/A",
  };
}

/**
 * A report with the header and one root row of placeholders (`minimalRootRow`): it says "no root
 * activity known" and is what `GenerateCredentialReport` produces when nothing else was set.
 *
 * @example
 * ```ts
 * minimalRootReport("111122223333");
 * // "user,arn,…\n<root_account>,arn:aws:iam::111122223333:root,N/A,not_supported,no_information,…"
 * ```
 */
export function minimalRootReport(accountId: string, partition = "aws"): string {
  const row = minimalRootRow(accountId, partition);
  const header = CREDENTIAL_REPORT_COLUMNS.join(",");
  const values = CREDENTIAL_REPORT_COLUMNS.map((column) => row[column]).join(",");
  return `${header}\n${values}`;
}
