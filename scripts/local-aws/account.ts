/**
 * The Account API's `ListRegions` (REST-JSON, `POST /listRegions`), as the SDK's model (client-account) and the
 * API reference describe it: every region with its opt status, filtered by `RegionOptStatusContains`, at most
 * `MaxResults` (1-50, default 20) a page with `NextToken`. Errors are REST-JSON: the status, an
 * `x-amzn-ErrorType` header and `{"message"}`.
 *
 * @module
 */
import type { Caller, WireResponse } from "./types.ts";

/** The regions enabled by default in a commercial-partition account (17). */
export const DEFAULT_ENABLED_REGIONS = [
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-north-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
] as const;

/** Opt-in regions: listed as `DISABLED` unless an account enables them. */
export const OPT_IN_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
] as const;

export type RegionOptStatus = "ENABLED" | "ENABLING" | "DISABLING" | "DISABLED" | "ENABLED_BY_DEFAULT";

const STATUSES: readonly RegionOptStatus[] = [
  "ENABLED",
  "ENABLING",
  "DISABLING",
  "DISABLED",
  "ENABLED_BY_DEFAULT",
];

/**
 * A REST-JSON error, as the Account API answers them.
 *
 * @example
 * ```ts
 * restJsonError(403, "AccessDeniedException", "User is not authorized to perform: account:ListRegions");
 * ```
 */
export function restJsonError(status: number, code: string, message: string): WireResponse {
  return {
    status,
    contentType: "application/json",
    headers: { "x-amzn-ErrorType": code },
    body: JSON.stringify({ message }),
    errorCode: code,
  };
}

/**
 * The regions of every account: the 17 default regions enabled, the opt-in ones disabled, unless set.
 *
 * @example
 * ```ts
 * const regions = new RegionDirectory();
 * regions.set("111122223333", { "eu-central-2": "ENABLED" });
 * ```
 */
export class RegionDirectory {
  private readonly overrides = new Map<string, Record<string, RegionOptStatus>>();

  /** Sets the status of some regions of `accountId` (others keep their defaults). */
  set(accountId: string, statuses: Record<string, RegionOptStatus>): void {
    this.overrides.set(accountId, { ...this.overrides.get(accountId), ...statuses });
  }

  /** Every region of `accountId` with its status, sorted by name. */
  list(accountId: string): Array<{ RegionName: string; RegionOptStatus: RegionOptStatus }> {
    const statuses: Record<string, RegionOptStatus> = {};
    for (const region of DEFAULT_ENABLED_REGIONS) statuses[region] = "ENABLED_BY_DEFAULT";
    for (const region of OPT_IN_REGIONS) statuses[region] = "DISABLED";
    Object.assign(statuses, this.overrides.get(accountId));
    return Object.entries(statuses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([RegionName, RegionOptStatus]) => ({ RegionName, RegionOptStatus }));
  }

  /** True when requests to `region` work for `accountId` (enabled, or enabled by default). */
  isEnabled(accountId: string, region: string): boolean {
    const status = this.list(accountId).find((entry) => entry.RegionName === region)?.RegionOptStatus;
    return status === "ENABLED" || status === "ENABLED_BY_DEFAULT";
  }

  /** Forgets every override. */
  reset(): void {
    this.overrides.clear();
  }
}

/**
 * Answers an Account API operation (`POST /listRegions` is `ListRegions`) for a known caller.
 *
 * @example
 * ```ts
 * handleAccount("ListRegions", { RegionOptStatusContains: ["ENABLED"] }, caller, regions);
 * ```
 */
export function handleAccount(
  action: string,
  body: unknown,
  caller: Caller,
  regions: RegionDirectory,
): WireResponse {
  if (action !== "ListRegions")
    return restJsonError(404, "UnknownOperationException", `No operation ${action}`);
  const request = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (request.AccountId !== undefined && request.AccountId !== caller.accountId) {
    return restJsonError(
      403,
      "AccessDeniedException",
      "Only the management account can list the regions of another account",
    );
  }
  const wanted = request.RegionOptStatusContains;
  if (
    wanted !== undefined &&
    (!Array.isArray(wanted) || wanted.some((status) => !STATUSES.includes(status as RegionOptStatus)))
  ) {
    return restJsonError(400, "ValidationException", "RegionOptStatusContains has a value that is not valid");
  }
  const maxResults = request.MaxResults ?? 20;
  if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
    return restJsonError(400, "ValidationException", "MaxResults must be from 1 to 50");
  }
  const offset = request.NextToken === undefined ? 0 : Number(request.NextToken);
  if (!Number.isInteger(offset) || offset < 0) {
    return restJsonError(400, "ValidationException", "The NextToken is not valid");
  }
  const listed = regions
    .list(caller.accountId)
    .filter((entry) => wanted === undefined || (wanted as string[]).includes(entry.RegionOptStatus));
  const page = listed.slice(offset, offset + maxResults);
  const next = offset + maxResults < listed.length ? String(offset + maxResults) : undefined;
  return {
    status: 200,
    contentType: "application/json",
    body: JSON.stringify({ Regions: page, ...(next === undefined ? {} : { NextToken: next }) }),
  };
}
