import type { OrganizationAccount } from "../../aws/organizations.ts";

/** The accounts of a scan: those to evaluate, those skipped, and `--accounts` ids the organization lacks. */
export interface AccountSelection {
  /** Active accounts, in the order listed. */
  readonly evaluate: readonly OrganizationAccount[];
  /** Suspended, closing, closed or not yet active: listed, never evaluated. */
  readonly skipped: readonly OrganizationAccount[];
  /** Ids given to `--accounts` that ListAccounts does not list. */
  readonly missing: readonly string[];
}

/**
 * Only an `ACTIVE` account can be evaluated: a suspended or closed one cannot be signed in to (its report says
 * nothing current), and one pending activation has no IAM yet.
 *
 * @example
 * ```ts
 * isActive({ id: "444455556666", name: "prod", state: "SUSPENDED" }); // false
 * ```
 */
export function isActive(account: OrganizationAccount): boolean {
  return account.state === "ACTIVE";
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
