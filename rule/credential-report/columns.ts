/** The marker IAM writes in the `user` column of the account root user's row. */
export const ROOT_USER = "<root_account>";

/** Columns the evaluation reads. Located by header name, never by position. */
export const COLUMNS = {
  user: "user",
  arn: "arn",
  passwordLastUsed: "password_last_used",
  accessKey1Active: "access_key_1_active",
  accessKey1LastUsed: "access_key_1_last_used_date",
  accessKey2Active: "access_key_2_active",
  accessKey2LastUsed: "access_key_2_last_used_date",
  mfaActive: "mfa_active",
} as const;

export type ColumnKey = keyof typeof COLUMNS;

/** Without these the root user's activity cannot be verified. `mfa_active` is informational only. */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = [
  "user",
  "arn",
  "passwordLastUsed",
  "accessKey1Active",
  "accessKey1LastUsed",
  "accessKey2Active",
  "accessKey2LastUsed",
];

/** Values that mean "no use", compared case-insensitively after trimming. */
const NO_USE = new Set(["", "n/a", "no_information", "not_supported"]);

/**
 * True when a date cell means "never used / no data" rather than a timestamp.
 *
 * @example
 * ```ts
 * isNoUsePlaceholder("No_Information"); // true
 * isNoUsePlaceholder("2024-01-01T00:00:00+00:00"); // false
 * ```
 */
export function isNoUsePlaceholder(value: string): boolean {
  return NO_USE.has(value.trim().toLowerCase());
}
