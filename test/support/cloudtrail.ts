/**
 * CloudTrail evidence for `evaluate()` tests, built from real-shaped CloudTrail records (the local endpoint's
 * builders) through the rule's own classifier, as `gatherEvidence` builds it.
 */
import { classifyCloudTrailRecord } from "../../rule/cloudtrail/root-event.ts";
import type { CloudTrailRead, RootEvent } from "../../rule/cloudtrail/types.ts";
import type { CloudTrailRecord } from "../../scripts/local-aws/cloudtrail-records.ts";

export * from "../../scripts/local-aws/cloudtrail-records.ts";

/**
 * The root event a record is, or a failed assertion if it is none.
 *
 * @example
 * ```ts
 * rootEventOf(rootConsoleSignIn({ time: NOW }));
 * ```
 */
export function rootEventOf(record: CloudTrailRecord): RootEvent {
  const c = classifyCloudTrailRecord(JSON.stringify(record), record.awsRegion);
  if (c.kind !== "root") throw new Error(`not a root event: ${c.kind}`);
  return c.event;
}

/**
 * CloudTrail evidence holding the root events among `records`, searched since `since` in `regions`.
 *
 * @example
 * ```ts
 * evaluate({ report, cloudTrail: trail([rootConsoleSignIn({ time })], { since }) }, NOW, params());
 * ```
 */
export function trail(
  records: readonly CloudTrailRecord[],
  options: { since: Date; regions?: readonly string[]; complete?: boolean },
): CloudTrailRead {
  const events = records
    .map((record) => classifyCloudTrailRecord(JSON.stringify(record), record.awsRegion))
    .flatMap((c) => (c.kind === "root" ? [c.event] : []))
    .sort((a, b) => b.time.getTime() - a.time.getTime());
  return {
    status: "read",
    regions: options.regions ?? ["eu-west-1", "us-east-1"],
    since: options.since,
    events,
    complete: options.complete ?? true,
  };
}
