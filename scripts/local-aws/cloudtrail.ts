/**
 * CloudTrail event history: `LookupEvents` (JSON 1.1, target
 * `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`), per account and region (the region of the
 * request's SigV4 scope), as the API reference and the botocore model (cloudtrail/2013-11-01) describe it: at most
 * one lookup attribute, `StartTime`/`EndTime` inclusive, newest first, at most 50 events a page, an opaque
 * `NextToken` valid only with the same parameters, the last 90 days only, and two requests per second per account
 * and region (more is `ThrottlingException`).
 *
 * @module
 */
import type { CloudTrailRecord } from "./cloudtrail-records.ts";
import type { Caller, WireResponse } from "./types.ts";
import { jsonError, jsonResult } from "./xml.ts";

/**
 * CloudTrail's JSON 1.1 target prefixes: the model's full one (botocore, the AWS CLI) and the short one the
 * JavaScript SDK v3 sends (`CloudTrail_20131101.<Op>`); AWS accepts both.
 */
export const CLOUDTRAIL_TARGET_PREFIXES = [
  "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.",
  "CloudTrail_20131101.",
] as const;

const ATTRIBUTE_KEYS = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

const HISTORY_MS = 90 * 86_400_000;
/** "The rate of lookup requests is limited to two per second, per account, per Region." */
export const LOOKUP_RATE = { requests: 2, perMs: 1_000 } as const;

interface StoredEvent {
  readonly time: number;
  readonly record: CloudTrailRecord;
  readonly json: string;
  /** The summary fields LookupEvents filters on and returns. */
  readonly summary: Readonly<Record<AttributeKey, string>>;
}

/**
 * The `Username` CloudTrail gives an event in its summary: for root, the account alias when the record carries
 * one in `userIdentity.userName` (CloudTrail User Guide, userIdentity element), else `root`; an IAM user's name;
 * an assumed role's session name.
 *
 * @example
 * ```ts
 * summaryUsername({ type: "Root", userName: "my-alias" }); // "my-alias"
 * ```
 */
export function summaryUsername(identity: Record<string, unknown>): string {
  const userName = typeof identity.userName === "string" ? identity.userName : "";
  if (identity.type === "Root") return userName || "root";
  if (identity.type === "AssumedRole" && typeof identity.arn === "string") {
    return identity.arn.slice(identity.arn.lastIndexOf("/") + 1);
  }
  return userName || (typeof identity.principalId === "string" ? identity.principalId : "");
}

/**
 * The event history of every account and region, and the per-region request rate.
 *
 * @example
 * ```ts
 * const history = new EventHistory(() => new Date());
 * history.add("111122223333", [rootConsoleSignIn({ time: new Date() })]);
 * ```
 */
export class EventHistory {
  private readonly events = new Map<string, StoredEvent[]>();
  private readonly requests = new Map<string, number[]>();

  /** `clock(region)`: the time of the per-region request rate (and of the 90-day history, `clock()`). */
  constructor(private readonly clock: (region?: string) => Date) {}

  /** Adds records to `accountId`'s history, each in the region its `awsRegion` names. */
  add(accountId: string, records: readonly CloudTrailRecord[]): void {
    for (const record of records) {
      const key = `${accountId}/${record.awsRegion}`;
      const list = this.events.get(key) ?? [];
      const identity = record.userIdentity;
      list.push({
        time: Date.parse(record.eventTime),
        record,
        json: JSON.stringify(record),
        summary: {
          EventId: record.eventID,
          EventName: record.eventName,
          ReadOnly: typeof record.readOnly === "boolean" ? String(record.readOnly) : "",
          Username: summaryUsername(identity),
          ResourceType: "",
          ResourceName: "",
          EventSource: record.eventSource,
          AccessKeyId: typeof identity.accessKeyId === "string" ? identity.accessKeyId : "",
        },
      });
      // Newest first; among equal times, the one added last first.
      list.sort((a, b) => b.time - a.time);
      this.events.set(key, list);
    }
  }

  /** Forgets every event and the request rate. */
  reset(): void {
    this.events.clear();
    this.requests.clear();
  }

  /**
   * True when a request now stays within two per second for the account and region (and counts it).
   *
   * @example
   * ```ts
   * if (!history.admit("111122223333", "us-east-1")) answerThrottling();
   * ```
   */
  admit(accountId: string, region: string): boolean {
    const key = `${accountId}/${region}`;
    const now = this.clock(region).getTime();
    const recent = (this.requests.get(key) ?? []).filter((at) => now - at < LOOKUP_RATE.perMs);
    if (recent.length >= LOOKUP_RATE.requests) {
      this.requests.set(key, recent);
      return false;
    }
    recent.push(now);
    this.requests.set(key, recent);
    return true;
  }

  /** Answers `LookupEvents` for `caller` in `region`. */
  lookup(body: unknown, caller: Caller, region: string): WireResponse {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return jsonError(400, "SerializationException", "Start of structure expected");
    }
    const request = body as Record<string, unknown>;
    const attributes = request.LookupAttributes ?? [];
    if (!Array.isArray(attributes) || attributes.length > 1) {
      return jsonError(400, "InvalidLookupAttributesException", "You can only specify one lookup attribute.");
    }
    const [attribute] = attributes as Array<Record<string, unknown> | undefined>;
    if (
      attribute !== undefined &&
      (!ATTRIBUTE_KEYS.includes(attribute.AttributeKey as AttributeKey) ||
        typeof attribute.AttributeValue !== "string" ||
        attribute.AttributeValue === "")
    ) {
      return jsonError(400, "InvalidLookupAttributesException", "The lookup attribute is not valid.");
    }
    const maxResults = request.MaxResults ?? 50;
    if (
      typeof maxResults !== "number" ||
      !Number.isInteger(maxResults) ||
      maxResults < 1 ||
      maxResults > 50
    ) {
      return jsonError(400, "InvalidMaxResultsException", "MaxResults must be from 1 to 50.");
    }
    const now = this.clock().getTime();
    // The token binds the parameters it was issued for, and the time of the first page: the pages of one
    // query are one listing, whatever happens after it started.
    const query = JSON.stringify([
      attribute?.AttributeKey,
      attribute?.AttributeValue,
      request.StartTime,
      request.EndTime,
      maxResults,
    ]);
    let offset = 0;
    let asOf = now;
    if (request.NextToken !== undefined) {
      const decoded = decodeToken(request.NextToken);
      if (!decoded || decoded.query !== query) {
        return jsonError(400, "InvalidNextTokenException", "The NextToken is not valid.");
      }
      offset = decoded.offset;
      asOf = decoded.asOf;
    }
    const start = typeof request.StartTime === "number" ? request.StartTime * 1000 : asOf - HISTORY_MS;
    const end = typeof request.EndTime === "number" ? request.EndTime * 1000 : asOf;
    if (start > end) {
      return jsonError(400, "InvalidTimeRangeException", "The start time is after the end time.");
    }
    const key = attribute?.AttributeKey as AttributeKey | undefined;
    const matching = (this.events.get(`${caller.accountId}/${region}`) ?? []).filter(
      (event) =>
        event.time >= Math.max(start, asOf - HISTORY_MS) &&
        event.time <= end &&
        (key === undefined || event.summary[key] === attribute?.AttributeValue),
    );
    const page = matching.slice(offset, offset + maxResults);
    const next =
      offset + maxResults < matching.length ? encodeToken(query, offset + maxResults, asOf) : undefined;
    return jsonResult({
      Events: page.map((event) => ({
        EventId: event.summary.EventId,
        EventName: event.summary.EventName,
        ReadOnly: event.summary.ReadOnly,
        AccessKeyId: event.summary.AccessKeyId,
        EventTime: event.time / 1000,
        EventSource: event.summary.EventSource,
        Username: event.summary.Username,
        Resources: [],
        CloudTrailEvent: event.json,
      })),
      ...(next === undefined ? {} : { NextToken: next }),
    });
  }
}

/**
 * Answers a CloudTrail operation for a known caller in `region`.
 *
 * @example
 * ```ts
 * handleCloudTrail("LookupEvents", { MaxResults: 50 }, caller, "eu-west-1", history);
 * ```
 */
export function handleCloudTrail(
  action: string,
  body: unknown,
  caller: Caller,
  region: string,
  history: EventHistory,
): WireResponse {
  if (action !== "LookupEvents") {
    return jsonError(400, "UnknownOperationException", `Unknown operation ${action}`);
  }
  if (!history.admit(caller.accountId, region)) return jsonError(400, "ThrottlingException", "Rate exceeded");
  return history.lookup(body, caller, region);
}

function encodeToken(query: string, offset: number, asOf: number): string {
  return Buffer.from(JSON.stringify({ query, offset, asOf })).toString("base64");
}

function decodeToken(token: unknown): { query: string; offset: number; asOf: number } | undefined {
  if (typeof token !== "string") return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as {
      query?: unknown;
      offset?: unknown;
      asOf?: unknown;
    };
    return typeof value.query === "string" &&
      typeof value.offset === "number" &&
      typeof value.asOf === "number"
      ? { query: value.query, offset: value.offset, asOf: value.asOf }
      : undefined;
  } catch {
    return undefined;
  }
}
