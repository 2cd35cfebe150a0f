import { setMaxListeners } from "node:events";
import { type CloudTrailClient, type Event, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CloudTrailLookupError } from "../errors.ts";
import { classifyCloudTrailRecord } from "./root-event.ts";
import type { CloudTrailRead, RootEvent } from "./types.ts";

/** What one lookup needs. */
export interface RootEventLookup {
  /** The CloudTrail client of a region (paced to two requests per second). */
  readonly clientFor: (region: string) => Pick<CloudTrailClient, "send">;
  readonly regions: readonly string[];
  /** The `Username` values a root event can carry in event history: `root`, and the account alias if any. */
  readonly usernames: readonly string[];
  /** Start of the searched range. */
  readonly since: Date;
  /** Whether events of centralized root sessions count as root use (then the first one ends the search). */
  readonly countCentralized: boolean;
  /** Aborts every request at the invocation's deadline. */
  readonly signal: AbortSignal;
}

/** What the lookup cost. */
export interface LookupStats {
  /** LookupEvents requests that answered (pages read), per region. */
  readonly pagesByRegion: Readonly<Record<string, number>>;
  /** Retries the SDK made inside them. */
  readonly retries: number;
}

/**
 * Reads the root events of event history in every region of `lookup.regions`, in parallel, each region's requests
 * paced by its client. Asks for `Username` = each of `lookup.usernames` (the summary's user name is `root`, or the
 * account alias when one is set), newest first, 50 a page, and decides from each full record
 * ({@link classifyCloudTrailRecord}), so a user who merely has such a name never counts. Reads as few pages as
 * the verdict needs: a series stops at its first countable event (the newest), and any series stops once its
 * pages are older than the newest countable event found anywhere. Throws {@link CloudTrailLookupError} naming the
 * region and the fault.
 *
 * @example
 * ```ts
 * const { read } = await lookupRootEvents({ clientFor, regions: ["us-east-1"], usernames: ["root"], since,
 *   countCentralized: false, signal: AbortSignal.timeout(60_000) });
 * ```
 */
export async function lookupRootEvents(
  lookup: RootEventLookup,
): Promise<{ readonly read: CloudTrailRead; readonly stats: LookupStats }> {
  const found = new Map<string, RootEvent>();
  let newestCountable = Number.NEGATIVE_INFINITY;
  let complete = true;
  let retries = 0;
  const pagesByRegion: Record<string, number> = {};
  const countable = (event: RootEvent) => !event.centralized || lookup.countCentralized;
  const stop = new AbortController();
  const signal = AbortSignal.any([lookup.signal, stop.signal]);
  setMaxListeners(1_000, signal);

  const series = async (region: string, username: string): Promise<void> => {
    const client = lookup.clientFor(region);
    let nextToken: string | undefined;
    do {
      let events: Event[];
      try {
        const output = await client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: "Username", AttributeValue: username }],
            StartTime: lookup.since,
            MaxResults: 50,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
          { abortSignal: signal },
        );
        retries += Math.max(0, (output.$metadata?.attempts ?? 1) - 1);
        events = output.Events ?? [];
        nextToken = output.NextToken;
      } catch (error) {
        retries += Math.max(
          0,
          ((error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) - 1,
        );
        throw new CloudTrailLookupError("LookupEvents", region, deadlineAware(error, lookup.signal));
      }
      pagesByRegion[region] = (pagesByRegion[region] ?? 0) + 1;
      let seriesFound = false;
      let oldest = Number.POSITIVE_INFINITY;
      for (const event of events) {
        const c = classifyCloudTrailRecord(event.CloudTrailEvent ?? "", region);
        if (c.kind === "unreadable") {
          throw new CloudTrailLookupError(
            "LookupEvents",
            region,
            `event ${event.EventId ?? "?"}: ${c.problem}`,
          );
        }
        const time = event.EventTime?.getTime() ?? (c.kind === "root" ? c.event.time.getTime() : oldest);
        oldest = Math.min(oldest, time);
        if (c.kind !== "root") continue;
        found.set(c.event.eventId || `${region}/${found.size}`, c.event);
        if (countable(c.event)) {
          seriesFound = true;
          newestCountable = Math.max(newestCountable, c.event.time.getTime());
        }
      }
      // Newest first: nothing further down can be newer than what this page ended with.
      if (nextToken && (seriesFound || oldest < newestCountable)) {
        complete = false;
        return;
      }
    } while (nextToken);
  };

  // The first failure stops every other region, and nothing is left running once this returns.
  const outcomes = await Promise.allSettled(
    lookup.regions.map(async (region) => {
      try {
        for (const username of lookup.usernames) await series(region, username);
      } catch (error) {
        stop.abort(error);
        throw error;
      }
    }),
  );
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw stop.signal.reason ?? failed.reason;
  return {
    read: {
      status: "read",
      regions: [...lookup.regions].sort(),
      since: lookup.since,
      events: [...found.values()].sort((a, b) => b.time.getTime() - a.time.getTime()),
      complete,
    },
    stats: { pagesByRegion, retries },
  };
}

/**
 * An abort at the invocation's deadline says so, instead of the SDK's bare "Request aborted".
 *
 * @example
 * ```ts
 * throw new CloudTrailLookupError("LookupEvents", region, deadlineAware(error, signal));
 * ```
 */
export function deadlineAware(error: unknown, signal: AbortSignal): unknown {
  return signal.aborted ? "no answer before the invocation's deadline" : error;
}
