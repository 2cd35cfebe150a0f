import { type AccountClient, ListRegionsCommand } from "@aws-sdk/client-account";
import { CloudTrailLookupError } from "../errors.ts";
import { deadlineAware } from "./lookup.ts";

/**
 * The regions enabled in the account of `account`'s credentials (`account:ListRegions`, statuses `ENABLED` and
 * `ENABLED_BY_DEFAULT`, every page), sorted. Root activity is logged in the region it happens in, so each of
 * them must be searched. Throws {@link CloudTrailLookupError}.
 *
 * @example
 * ```ts
 * const regions = await enabledRegions(trail.account, AbortSignal.timeout(10_000)); // ["ap-northeast-1", …]
 * ```
 */
export async function enabledRegions(
  account: Pick<AccountClient, "send">,
  signal: AbortSignal,
): Promise<string[]> {
  const regions: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const output = await account.send(
        new ListRegionsCommand({
          RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"],
          MaxResults: 50,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        { abortSignal: signal },
      );
      for (const region of output.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
      nextToken = output.NextToken;
    } while (nextToken);
  } catch (error) {
    throw new CloudTrailLookupError("ListRegions", null, deadlineAware(error, signal));
  }
  // No region at all cannot be true of a real account: searching none would prove nothing.
  if (regions.length === 0)
    throw new CloudTrailLookupError("ListRegions", null, "the account lists no enabled region");
  return [...new Set(regions)].sort();
}
