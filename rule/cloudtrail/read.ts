import type { RuleClients } from "../aws/clients.ts";
import { CloudTrailLookupError } from "../errors.ts";
import type { CloudTrailStats, GatherOptions } from "../evidence/types.ts";
import { CLOUDTRAIL_HISTORY_DAYS } from "../limits.ts";
import { lookupRootEvents } from "./lookup.ts";
import { enabledRegions } from "./regions.ts";
import type { CloudTrailEvidence } from "./types.ts";
import { rootUsernames } from "./usernames.ts";

const DAY_MS = 86_400_000;

/**
 * The CloudTrail part of the evidence: the regions (`cloudTrailRegions`, or every enabled one), root's user names
 * (`root` and the account alias), then the root events of event history in each region. Never throws: a fault is
 * evidence too (`status: "unavailable"`, with the error to fail with). `gatherEvidence` loads this module only
 * when `cloudTrailLookup` is on.
 *
 * @example
 * ```ts
 * const { evidence, stats } = await readCloudTrail(clients, options, AbortSignal.timeout(60_000), Date.now);
 * ```
 */
export async function readCloudTrail(
  clients: Pick<RuleClients, "iam" | "trail">,
  options: GatherOptions,
  signal: AbortSignal,
  clock: () => number,
): Promise<{ evidence: CloudTrailEvidence; stats: CloudTrailStats }> {
  const started = clock();
  let regionCount = options.params.cloudTrailRegions?.length ?? 0;
  try {
    const trail = await clients.trail();
    const [regions, usernames] = await Promise.all([
      options.params.cloudTrailRegions ?? enabledRegions(trail.account, signal),
      rootUsernames(clients.iam, signal),
    ]);
    regionCount = regions.length;
    options.onProgress?.({ kind: "cloudtrail", regions: regions.length });
    const coveredDays = Math.min(options.params.lookbackDays, CLOUDTRAIL_HISTORY_DAYS);
    const { read, stats } = await lookupRootEvents({
      clientFor: (region) => trail.cloudTrail(region),
      regions,
      usernames,
      since: new Date(options.now.getTime() - coveredDays * DAY_MS),
      countCentralized: options.params.countCentralizedRootSessions,
      signal,
    });
    const pages = Object.values(stats.pagesByRegion).reduce((sum, n) => sum + n, 0);
    return {
      evidence: read,
      stats: { regions: regions.length, pages, retries: stats.retries, durationMs: clock() - started },
    };
  } catch (error) {
    const failure =
      error instanceof CloudTrailLookupError ? error : new CloudTrailLookupError("LookupEvents", null, error);
    return {
      evidence: { status: "unavailable", error: failure, problem: failure.problem },
      stats: { regions: regionCount, pages: 0, retries: 0, durationMs: clock() - started },
    };
  }
}
