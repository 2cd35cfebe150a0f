import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { CLIENT_SETTINGS, requestHandlerOptions } from "../../aws/settings.ts";
import { OrganizationListError } from "../../errors.ts";

/** One account of the organization, as `ListAccounts` lists it. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
  /** `State` (`ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`, `PENDING_ACTIVATION`), else the older `Status`. */
  readonly state: string;
}

/** SDK attempts for the organization's calls: many accounts share one caller's STS and Organizations quotas. */
export const ORGANIZATION_MAX_ATTEMPTS = 6;

/**
 * Every account of the organization, all pages of Organizations `ListAccounts`, with the current credentials (the
 * management account or a delegated administrator). Organizations is global: the SDK signs for its home region.
 * Throws {@link OrganizationListError}. `retries` counts the SDK's retries (throttling, 5xx).
 *
 * @example
 * ```ts
 * const { accounts } = await listOrganizationAccounts({ abortSignal: AbortSignal.timeout(60_000) });
 * ```
 */
export async function listOrganizationAccounts(input: {
  readonly abortSignal?: AbortSignal;
}): Promise<{ accounts: OrganizationAccount[]; pages: number; retries: number }> {
  const client = new OrganizationsClient({
    retryMode: "standard",
    maxAttempts: ORGANIZATION_MAX_ATTEMPTS,
    requestHandler: requestHandlerOptions(CLIENT_SETTINGS),
  });
  const accounts: OrganizationAccount[] = [];
  let pages = 0;
  let retries = 0;
  try {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListAccountsCommand(nextToken ? { NextToken: nextToken } : {}),
        input.abortSignal ? { abortSignal: input.abortSignal } : {},
      );
      pages += 1;
      nextToken = page.NextToken;
      retries += Math.max(0, (page.$metadata.attempts ?? 1) - 1);
      for (const account of page.Accounts ?? []) {
        if (!account.Id) continue;
        accounts.push({
          id: account.Id,
          name: account.Name ?? "",
          state: account.State ?? account.Status ?? "",
        });
      }
      // "NextToken is null only when there are no more results": an empty page with a token is not the end.
    } while (nextToken);
    return { accounts, pages, retries };
  } catch (error) {
    throw new OrganizationListError(error);
  } finally {
    client.destroy();
  }
}
