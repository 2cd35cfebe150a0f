/**
 * The CloudTrail part of an invocation (README "CloudTrail evidence"): a clean account, whose 17 enabled regions
 * each answer one empty page, and an account with 1 000 events of centralized root sessions in one region, which
 * do not count by default, so every page of that region is read at LookupEvents' 2 requests per second.
 */
import { Pacer } from "../../rule/cloudtrail/pacer.ts";
import { DEFAULT_ENABLED_REGIONS } from "../local-aws/account.ts";
import { centralizedRootSessionEvent } from "../local-aws/cloudtrail-records.ts";
import type { Scenario } from "./first-invocation.ts";

const WITH_CLOUDTRAIL = JSON.stringify({ lookbackDays: "30", cloudTrailLookup: "true" });
const MINUTE = 60_000;

/** Events of centralized root sessions in the busy scenario, and the region that holds them. */
export const CENTRALIZED_EVENTS = 1_000;
export const BUSY_REGION = "us-east-1";
/** LookupEvents' page size. */
export const PAGE_SIZE = 50;

/**
 * What the CloudTrail scenarios must cost, from AWS's limits rather than from a run: the report-only path's two
 * calls, `ListRegions` and `ListAccountAliases`, and one `LookupEvents` per region, plus the busy region's extra
 * pages. Nothing is retried: a throttled call would show here as one call too many.
 *
 * @example
 * ```ts
 * expectedCloudTrailCalls("cloudtrail-clean"); // 21
 * ```
 */
export function expectedCloudTrailCalls(id: "cloudtrail-clean" | "cloudtrail-centralized"): number {
  const regions = DEFAULT_ENABLED_REGIONS.length;
  const pages = id === "cloudtrail-clean" ? regions : regions - 1 + Math.ceil(CENTRALIZED_EVENTS / PAGE_SIZE);
  return 2 + 2 + pages;
}

/**
 * The floor of the busy scenario's wall time: its region's pages one pacing interval apart (the first at once).
 *
 * @example
 * ```ts
 * pacedFloorMs(); // 19 × 550 ms = 10 450 ms
 * ```
 */
export function pacedFloorMs(): number {
  return (Math.ceil(CENTRALIZED_EVENTS / PAGE_SIZE) - 1) * new Pacer(2).intervalMs;
}

/**
 * The scenarios, with the rule's defaults (`cloudTrailLookup=true`, every enabled region).
 *
 * @example
 * ```ts
 * SCENARIOS.filter((s) => CLOUDTRAIL_SCENARIOS.includes(s));
 * ```
 */
export const CLOUDTRAIL_SCENARIOS: readonly Scenario[] = [
  {
    id: "cloudtrail-clean",
    title: `fresh report + CloudTrail, clean account, ${DEFAULT_ENABLED_REGIONS.length} enabled regions`,
    users: 100,
    prepare: (aws, csv) => {
      aws.setReport(csv);
      return { accountId: aws.homeAccountId, ruleParameters: WITH_CLOUDTRAIL };
    },
  },
  {
    id: "cloudtrail-centralized",
    title: `fresh report + CloudTrail, ${CENTRALIZED_EVENTS.toLocaleString("en-US")} centralized-session events in ${BUSY_REGION}`,
    users: 100,
    prepare: (aws, csv) => {
      aws.setReport(csv);
      const now = Date.now();
      // One event every 30 minutes, the newest a minute ago: 100 sessions of 10 actions, all inside 30 days.
      aws.addCloudTrailEvents(
        Array.from({ length: CENTRALIZED_EVENTS }, (_, i) =>
          centralizedRootSessionEvent({
            accountId: aws.homeAccountId,
            time: new Date(now - MINUTE - i * 30 * MINUTE),
            region: BUSY_REGION,
            eventName: "GetUser",
            sessionKey: `ASIABENCHSESSION${String(Math.floor(i / 10)).padStart(4, "0")}`,
          }),
        ),
      );
      return { accountId: aws.homeAccountId, ruleParameters: WITH_CLOUDTRAIL };
    },
  },
];
