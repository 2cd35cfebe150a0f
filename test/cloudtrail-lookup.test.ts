/**
 * The CloudTrail lookup's own rules (README "CloudTrail evidence"): which pages it reads, when it stops, what it
 * asks for, and how it fails. The wire tests drive the same code through the bundle; these pin the paging logic.
 */
import { CloudTrailClient, type Event, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { lookupRootEvents } from "../rule/cloudtrail/lookup.ts";
import { Pacer } from "../rule/cloudtrail/pacer.ts";
import { CloudTrailLookupError } from "../rule/errors.ts";
import {
  type CloudTrailRecord,
  centralizedRootSessionEvent,
  iamUserConsoleSignIn,
  rootApiCall,
  rootConsoleSignIn,
} from "./support/cloudtrail.ts";
import { NOW } from "./support/evaluation.ts";

const SINCE = new Date(NOW.getTime() - 30 * 86_400_000);
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000);

const ct = mockClient(CloudTrailClient);
afterEach(() => ct.reset());

function asEvent(record: CloudTrailRecord): Event {
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    EventTime: new Date(record.eventTime),
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** Serves `records` (newest first) in pages of `pageSize` for one region and username. */
function serve(region: string, username: string, records: CloudTrailRecord[], pageSize = 50) {
  const pages = [];
  for (let i = 0; i < Math.max(1, records.length); i += pageSize) pages.push(records.slice(i, i + pageSize));
  pages.forEach((page, index) => {
    ct.on(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: "Username", AttributeValue: username }],
      ...(index === 0 ? {} : { NextToken: `${region}-${username}-${index}` }),
    }).callsFake(() => {
      return {
        Events: page.map(asEvent),
        ...(index + 1 < pages.length ? { NextToken: `${region}-${username}-${index + 1}` } : {}),
        $metadata: { attempts: 1 },
      };
    });
  });
}

function lookup(regions: string[], options: { usernames?: string[]; countCentralized?: boolean } = {}) {
  const client = new CloudTrailClient({ region: "us-east-1" });
  return lookupRootEvents({
    clientFor: () => client,
    regions,
    usernames: options.usernames ?? ["root"],
    since: SINCE,
    countCentralized: options.countCentralized ?? false,
    signal: AbortSignal.timeout(10_000),
  });
}

const calls = () => ct.commandCalls(LookupEventsCommand).map((call) => call.args[0].input);

describe("lookupRootEvents", () => {
  it("asks for Username = each root name, newest first, 50 a page, from the start of the window", async () => {
    // Prepare
    serve("us-east-1", "root", []);
    serve("us-east-1", "example-corp", []);
    // Act
    await lookup(["us-east-1"], { usernames: ["root", "example-corp"] });
    // Assess
    expect(calls()).toEqual([
      {
        LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "root" }],
        StartTime: SINCE,
        MaxResults: 50,
      },
      {
        LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "example-corp" }],
        StartTime: SINCE,
        MaxResults: 50,
      },
    ]);
  });

  it("stops at the first page holding a countable root event (it is the newest)", async () => {
    // Prepare: 120 non-root events named root, a root sign-in on page 2, more pages after it.
    const noise = Array.from({ length: 60 }, (_, i) =>
      iamUserConsoleSignIn({ time: minutesAgo(i + 1), userName: "root" }),
    );
    const signIn = rootConsoleSignIn({ time: minutesAgo(61) });
    const older = Array.from({ length: 100 }, (_, i) => rootApiCall({ time: minutesAgo(100 + i) }));
    serve("us-east-1", "root", [...noise, signIn, ...older]);
    // Act
    const { read, stats } = await lookup(["us-east-1"]);
    // Assess
    expect(stats.pagesByRegion).toEqual({ "us-east-1": 2 });
    expect(read.complete).toBe(false);
    expect(read.events[0]?.eventName).toBe("ConsoleLogin");
  });

  it("reads every page of centralized sessions when they do not count, and stops at the first when they do", async () => {
    // Prepare
    const sessions = Array.from({ length: 120 }, (_, i) =>
      centralizedRootSessionEvent({ time: minutesAgo(i + 1), sessionKey: `ASIASESSION${i % 7}` }),
    );
    serve("eu-west-1", "root", sessions);
    // Act
    const all = await lookup(["eu-west-1"]);
    ct.resetHistory();
    const counted = await lookup(["eu-west-1"], { countCentralized: true });
    // Assess
    expect(all.stats.pagesByRegion).toEqual({ "eu-west-1": 3 });
    expect(all.read.events).toHaveLength(120);
    expect(all.read.complete).toBe(true);
    expect(counted.stats.pagesByRegion).toEqual({ "eu-west-1": 1 });
    expect(counted.read.complete).toBe(false);
  });

  it("stops a region once its pages are older than the newest countable event found in another", async () => {
    // Prepare: eu-west-1 has a root API call a minute ago; us-east-1 has 200 centralized events, all older.
    const slowPages = Array.from({ length: 200 }, (_, i) =>
      centralizedRootSessionEvent({ time: minutesAgo(10 + i) }),
    );
    let usEastPages = 0;
    const regional = (region: string) => ({
      send: async (command: LookupEventsCommand) => {
        if (region === "eu-west-1")
          return { Events: [asEvent(rootApiCall({ time: minutesAgo(1) }))], $metadata: {} };
        const page = Number(command.input.NextToken ?? 0);
        usEastPages += 1;
        // us-east-1 answers after eu-west-1 has.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return {
          Events: slowPages.slice(page * 50, page * 50 + 50).map(asEvent),
          ...(page < 3 ? { NextToken: String(page + 1) } : {}),
          $metadata: {},
        };
      },
    });
    // Act
    const { read } = await lookupRootEvents({
      clientFor: regional as never,
      regions: ["eu-west-1", "us-east-1"],
      usernames: ["root"],
      since: SINCE,
      countCentralized: false,
      signal: AbortSignal.timeout(10_000),
    });
    // Assess
    expect(usEastPages).toBe(1);
    expect(read.complete).toBe(false);
    expect(read.regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("fails naming the region and the fault, and the region of an unreadable record", async () => {
    // Prepare
    ct.on(LookupEventsCommand).rejects(
      Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }),
    );
    // Act
    const throttled = await lookup(["ap-south-1"]).catch((error: unknown) => error);
    ct.reset();
    ct.on(LookupEventsCommand).resolves({ Events: [{ EventId: "e1", CloudTrailEvent: "{broken" }] });
    const unreadable = await lookup(["sa-east-1"]).catch((error: unknown) => error);
    // Assess
    expect(throttled).toBeInstanceOf(CloudTrailLookupError);
    expect(throttled).toMatchObject({
      operation: "LookupEvents",
      region: "ap-south-1",
      message: "CloudTrail LookupEvents failed in ap-south-1: ThrottlingException: Rate exceeded.",
    });
    expect((unreadable as CloudTrailLookupError).problem).toBe(
      "LookupEvents in sa-east-1: event e1: its CloudTrailEvent is not JSON",
    );
  });
});

describe("Pacer", () => {
  it("spaces turns at least 550 ms apart for two per second, from the first turn on", async () => {
    // Prepare
    let now = 0;
    const waits: number[] = [];
    const pacer = new Pacer(
      2,
      () => now,
      async (ms) => {
        waits.push(ms);
      },
    );
    // Act
    await Promise.all([pacer.turn(), pacer.turn(), pacer.turn()]);
    now = 5_000;
    await pacer.turn();
    // Assess
    expect(pacer.intervalMs).toBe(550);
    expect(waits).toEqual([550, 1_100]);
  });

  it("stops waiting when the signal aborts, with the signal's reason", async () => {
    // Prepare
    const pacer = new Pacer(2);
    await pacer.turn();
    const controller = new AbortController();
    // Act
    const waiting = pacer.turn(controller.signal);
    controller.abort(new Error("deadline"));
    // Assess
    await expect(waiting).rejects.toThrow("deadline");
  });
});
