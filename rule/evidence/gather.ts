import { setMaxListeners } from "node:events";
import type { RuleClients } from "../aws/clients.ts";
import { type FetchedReport, fetchCredentialReport } from "../credential-report/fetch.ts";
import { abortAfter, type DeadlineSignal } from "../deadline.ts";
import type { GatheredEvidence, GatherOptions } from "./types.ts";

/**
 * Gathers the evidence `evaluate` decides from, for the account of `clients`' credentials: the credential report
 * (generated and waited for when needed) and, unless `cloudTrailLookup` is false, the root events of CloudTrail
 * event history in every enabled region (or `cloudTrailRegions`), both at once and both bound by `deadline`.
 * `evaluateAccount` calls it for every surface (the Lambda, `evaluate --live`, the organization scan). A report
 * that cannot be fetched throws (and stops the CloudTrail part); CloudTrail that cannot be read is evidence too
 * (`status: "unavailable"`): `evaluate` decides whether the report alone is enough.
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
  const stop = abortAfter(options.deadline - clock(), options.signal);
  // Every region's requests and paced waits listen to it at once (17 regions and more): not a leak.
  setMaxListeners(1_000, stop.signal);
  try {
    return await gatherWithin(clients, options, clock, stop);
  } finally {
    stop.dispose();
  }
}

async function gatherWithin(
  clients: Pick<RuleClients, "iam" | "trail">,
  options: GatherOptions,
  clock: () => number,
  stop: DeadlineSignal,
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
      signal: stop.signal,
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
