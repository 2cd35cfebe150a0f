import type { OrganizationAccount } from "./list-accounts.ts";

/** The accounts of a scan: those to evaluate, those skipped, and `--accounts` ids the organization lacks. */
export interface AccountSelection {
  /** Accounts to evaluate (every state but the inactive ones), in the order listed. */
  readonly evaluate: readonly OrganizationAccount[];
  /** Suspended, closing, closed or not yet active: listed, never evaluated. */
  readonly skipped: readonly OrganizationAccount[];
  /** Ids given to `--accounts` that ListAccounts does not list. */
  readonly missing: readonly string[];
}

/** States in which an account cannot be evaluated: it cannot be signed in to, or has no IAM yet. */
export const INACTIVE_STATES: ReadonlySet<string> = new Set([
  "SUSPENDED",
  "PENDING_CLOSURE",
  "CLOSED",
  "PENDING_ACTIVATION",
]);

/**
 * Whether an account is evaluated: every account but a suspended, closing, closed or not yet activated one. A state
 * this code does not know (one AWS adds later, or none at all) is evaluated, not skipped: skipping an account that
 * works would let the scan exit 0 without having looked at it.
 *
 * @example
 * ```ts
 * isActive({ id: "444455556666", name: "prod", state: "SUSPENDED" }); // false
 * ```
 */
export function isActive(account: OrganizationAccount): boolean {
  return !INACTIVE_STATES.has(account.state);
}

/**
 * Picks the accounts of a scan from what ListAccounts listed: only `accounts` when given, never `exclude`.
 *
 * @example
 * ```ts
 * selectAccounts(listed, { accounts: undefined, exclude: ["444455556666"] }).evaluate;
 * ```
 */
export function selectAccounts(
  listed: readonly OrganizationAccount[],
  filter: { readonly accounts: readonly string[] | undefined; readonly exclude: readonly string[] },
): AccountSelection {
  const wanted = filter.accounts === undefined ? undefined : new Set(filter.accounts);
  const excluded = new Set(filter.exclude);
  const seen = new Set<string>();
  const chosen = listed.filter((account) => {
    // A list can hold an account twice only by mistake (pages shifting under a change): evaluate it once.
    if (seen.has(account.id)) return false;
    seen.add(account.id);
    return (wanted === undefined || wanted.has(account.id)) && !excluded.has(account.id);
  });
  return {
    evaluate: chosen.filter(isActive),
    skipped: chosen.filter((account) => !isActive(account)),
    missing: [...(wanted ?? [])].filter((id) => !seen.has(id) && !excluded.has(id)),
  };
}
