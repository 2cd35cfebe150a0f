/**
 * AWS Organizations `ListAccounts` (JSON 1.1, `X-Amz-Target: AWSOrganizationsV20161128.ListAccounts`), as the
 * botocore model (organizations/2016-11-28) and the API reference describe it: every account of the organization
 * with `Id`, `Arn`, `Email`, `Name`, `State` (and the older `Status`, kept beside it until AWS retires it),
 * `JoinedMethod` and `JoinedTimestamp`; at most `MaxResults` (1-20, default 20) a page with an opaque `NextToken`.
 * Only the management account or a delegated administrator may call it (`AccessDeniedException` otherwise); an
 * account outside any organization gets `AWSOrganizationsNotInUseException`. Organizations is a global service:
 * the request's region does not matter.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { Caller, WireResponse } from "./types.ts";
import { jsonError, jsonResult } from "./xml.ts";

/** The JSON 1.1 target prefix of Organizations (the model's `targetPrefix`). */
export const ORGANIZATIONS_TARGET_PREFIX = "AWSOrganizationsV20161128.";

/**
 * An account's lifecycle state (`AccountState` in the model). `Status` (`ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`) is
 * the older field AWS is retiring; the server sends both.
 *
 * @example
 * ```ts
 * const state: OrganizationAccountState = "SUSPENDED";
 * ```
 */
export type OrganizationAccountState =
  | "PENDING_ACTIVATION"
  | "ACTIVE"
  | "SUSPENDED"
  | "PENDING_CLOSURE"
  | "CLOSED";

/**
 * One member of the local organization.
 *
 * @example
 * ```ts
 * const account: OrganizationAccountSpec = { id: "444455556666", name: "workloads-prod", state: "ACTIVE" };
 * ```
 */
export interface OrganizationAccountSpec {
  readonly id: string;
  readonly name: string;
  /** Default `ACTIVE`. */
  readonly state?: OrganizationAccountState;
  /** Default `<name>@example.com`. */
  readonly email?: string;
}

/**
 * Options of `LocalAws.setOrganization`.
 *
 * @example
 * ```ts
 * const options: OrganizationOptions = { delegatedAdministrators: ["444455556666"] };
 * ```
 */
export interface OrganizationOptions {
  /** Members that may call ListAccounts besides the management account (the home account). */
  readonly delegatedAdministrators?: readonly string[];
}

const PAGE_MAX = 20;
const ACCOUNT_ID = /^\d{12}$/;

/** `Status` has no value for the states that came with `State`: the closest one, as AWS maps them. */
const STATUS_OF: Record<OrganizationAccountState, string> = {
  PENDING_ACTIVATION: "ACTIVE",
  ACTIVE: "ACTIVE",
  SUSPENDED: "SUSPENDED",
  PENDING_CLOSURE: "PENDING_CLOSURE",
  CLOSED: "SUSPENDED",
};

interface Organization {
  readonly id: string;
  readonly managementAccountId: string;
  readonly delegated: ReadonlySet<string>;
  readonly accounts: readonly Record<string, unknown>[];
}

/**
 * The organization the home account manages, or none.
 *
 * @example
 * ```ts
 * const org = new OrganizationDirectory("111122223333", () => new Date());
 * org.set([{ id: "111122223333", name: "management" }, { id: "444455556666", name: "prod" }]);
 * ```
 */
export class OrganizationDirectory {
  private organization: Organization | undefined;

  constructor(
    private readonly managementAccountId: string,
    private readonly clock: () => Date,
  ) {}

  /**
   * Sets the organization's accounts, in the order ListAccounts lists them; the home account (the management
   * account) is added first when `accounts` leaves it out.
   *
   * @example
   * ```ts
   * org.set([{ id: "444455556666", name: "prod", state: "SUSPENDED" }]);
   * ```
   */
  set(accounts: readonly OrganizationAccountSpec[], options: OrganizationOptions = {}): void {
    const orgId = `o-${randomBytes(5).toString("hex")}`;
    const specs = accounts.some((a) => a.id === this.managementAccountId)
      ? accounts
      : [{ id: this.managementAccountId, name: "management" }, ...accounts];
    const seen = new Set<string>();
    const joined = this.clock();
    const listed = specs.map((spec) => {
      if (!ACCOUNT_ID.test(spec.id)) throw new RangeError(`not a 12-digit account id: ${spec.id}`);
      if (seen.has(spec.id)) throw new RangeError(`account ${spec.id} is listed twice`);
      seen.add(spec.id);
      const state = spec.state ?? "ACTIVE";
      return {
        Id: spec.id,
        Arn: `arn:aws:organizations::${this.managementAccountId}:account/${orgId}/${spec.id}`,
        Email: spec.email ?? `${spec.name.replace(/[^\w.-]/g, "-")}@example.com`,
        Name: spec.name,
        Status: STATUS_OF[state],
        State: state,
        JoinedMethod: spec.id === this.managementAccountId ? "CREATED" : "INVITED",
        // JSON 1.1 timestamps are epoch seconds.
        JoinedTimestamp: Math.floor(joined.getTime() / 1000),
      };
    });
    this.organization = {
      id: orgId,
      managementAccountId: this.managementAccountId,
      delegated: new Set(options.delegatedAdministrators ?? []),
      accounts: listed,
    };
  }

  /** Forgets the organization: the home account is then in none. */
  reset(): void {
    this.organization = undefined;
  }

  /** Answers `ListAccounts` for `caller`. */
  listAccounts(body: unknown, caller: Caller): WireResponse {
    const org = this.organization;
    if (org === undefined || !org.accounts.some((a) => a.Id === caller.accountId)) {
      return jsonError(
        400,
        "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.",
      );
    }
    if (caller.accountId !== org.managementAccountId && !org.delegated.has(caller.accountId)) {
      return jsonError(400, "AccessDeniedException", "You don't have permissions to access this resource.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return jsonError(400, "SerializationException", "Start of structure expected");
    }
    const request = body as Record<string, unknown>;
    const maxResults = request.MaxResults ?? PAGE_MAX;
    if (typeof maxResults !== "number" || !Number.isInteger(maxResults)) {
      return jsonError(400, "SerializationException", "MaxResults must be an integer");
    }
    if (maxResults < 1 || maxResults > PAGE_MAX) {
      return invalidInput(
        maxResults < 1 ? "MIN_VALUE_EXCEEDED" : "MAX_VALUE_EXCEEDED",
        `You provided a value that does not match the required pattern or range: MaxResults must be from 1 to ${PAGE_MAX}.`,
      );
    }
    let offset = 0;
    if (request.NextToken !== undefined) {
      const token = typeof request.NextToken === "string" ? parseToken(request.NextToken, org.id) : undefined;
      if (token === undefined) {
        return invalidInput("INVALID_NEXT_TOKEN", "The NextToken provided is not valid.");
      }
      offset = token;
    }
    const page = org.accounts.slice(offset, offset + maxResults);
    const next = offset + maxResults < org.accounts.length ? offset + maxResults : undefined;
    return jsonResult({
      Accounts: page,
      ...(next === undefined ? {} : { NextToken: makeToken(org.id, next) }),
    });
  }
}

function invalidInput(reason: string, message: string): WireResponse {
  return {
    ...jsonError(400, "InvalidInputException", message),
    body: JSON.stringify({ __type: "InvalidInputException", Message: message, Reason: reason }),
  };
}

/** Opaque to the client, as AWS's are: the organization and the offset, base64. */
function makeToken(orgId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ o: orgId, n: offset })).toString("base64");
}

function parseToken(token: string, orgId: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { o?: unknown; n?: unknown };
    return parsed.o === orgId && typeof parsed.n === "number" && Number.isInteger(parsed.n) && parsed.n >= 0
      ? parsed.n
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Answers an Organizations operation for a known caller; only `ListAccounts` is served.
 *
 * @example
 * ```ts
 * handleOrganizations("ListAccounts", { MaxResults: 20 }, caller, organization);
 * ```
 */
export function handleOrganizations(
  action: string,
  body: unknown,
  caller: Caller,
  organization: OrganizationDirectory,
): WireResponse {
  if (action === "ListAccounts") return organization.listAccounts(body, caller);
  return jsonError(400, "UnknownOperationException", `Operation ${action} is not served here`);
}
