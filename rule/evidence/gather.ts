import { setMaxListeners } from "node:events";
import type { RuleClients } from "../aws/clients.ts";
import {
  type FetchedReport,
  type FetchReportOptions,
  fetchCredentialReport,
  type ReportProgress,
} from "../credential-report/fetch.ts";
import type { RuleParameters } from "../params.ts";
import type { CloudTrailStats, Evidence, GatherOptions } from "./types.ts";

/** One account's evidence, and what it took to get it. */
export interface GatheredEvidence {
  readonly evidence: Evidence;
  readonly report: FetchedReport;
  /** Null when CloudTrail was not asked for (`cloudTrailLookup=false`). */
  readonly cloudTrail: CloudTrailStats | null;
}

/**
 * Gathers the evidence `evaluate` decides from, for the account of `clients`' credentials: the credential report
 * (generated and waited for when needed) and, unless `cloudTrailLookup` is false, the root events of CloudTrail
 * event history in every enabled region (or `cloudTrailRegions`), both at once and both bound by `deadline`.
 * The Lambda, `evaluate --live` and the organization scan all call it. A report that cannot be fetched throws
 * (and stops the CloudTrail part); CloudTrail that cannot be read is evidence too (`status: "unavailable"`):
 * `evaluate` decides whether the report alone is enough.
 *
 * @example
 * ```ts
 * const gathered = await gatherEvidence(clients, { params, now, deadline: Date.now() + 60_000 });
 * const verdict = evaluate(gathered.evidence, now, params);
 * ```
 */
export async function gatherEvidence(
  clients: Pick<RuleClients, "iam" | "trail">,
  options: GatherOptions,
): Promise<GatheredEvidence> {
  const clock = options.clock ?? Date.now;
  // One controller, aborted at the deadline by a timer that holds it: Node 20 drops the timer of an
  // AbortSignal.timeout() held only by AbortSignal.any() at the next garbage collection (nodejs/node#57736), and a
  // region that never answers would then hold the invocation until Lambda kills it.
  const stop = new AbortController();
  const atDeadline = setTimeout(
    () => stop.abort(new DOMException("the deadline of the evidence passed", "TimeoutError")),
    Math.max(1, options.deadline - clock()),
  );
  // Every region's requests and paced waits listen to it at once (17 regions and more): not a leak.
  setMaxListeners(1_000, stop.signal);
  try {
    return await gatherWithin(clients, options, clock, stop);
  } finally {
    clearTimeout(atDeadline);
  }
}

async function gatherWithin(
  clients: Pick<RuleClients, "iam" | "trail">,
  options: GatherOptions,
  clock: () => number,
  stop: AbortController,
): Promise<GatheredEvidence> {
  // Loaded only when the parameters ask for CloudTrail: its SDKs stay out of the function's init.
  const trail = options.params.cloudTrailLookup
    ? import("../cloudtrail/read.ts").then((m) => m.readCloudTrail(clients, options, stop.signal, clock))
    : null;
  let report: FetchedReport;
  try {
    report = await fetchCredentialReport(clients.iam, {
      deadline: options.deadline,
      clock,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (error) {
    stop.abort(error);
    await trail;
    throw error;
  }
  const read = await trail;
  return {
    evidence: {
      report: { content: report.content, generatedTime: report.generatedTime },
      cloudTrail: read?.evidence ?? null,
    },
    report,
    cloudTrail: read?.stats ?? null,
  };
}
