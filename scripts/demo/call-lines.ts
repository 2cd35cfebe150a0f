import type { RecordedCall } from "../local-aws/server.ts";

/**
 * The demo's "AWS calls made" list: consecutive calls of one action with one outcome on one line, saying why they
 * repeat — one per region in parallel (CloudTrail's lookup), or polls of the same call in one region (the report
 * while IAM generates it).
 *
 * @example
 * ```ts
 * callLines(aws.calls); // ["   1. IAM GetCredentialReport        -> HTTP 410 ReportNotPresent", …]
 * ```
 */
export function callLines(calls: readonly RecordedCall[]): string[] {
  return groupCalls(calls).map((group, i) => {
    const first = group[0] as RecordedCall;
    const what = `${first.service.toUpperCase()} ${first.action}`.padEnd(30);
    return `  ${String(i + 1).padStart(2)}. ${what} -> ${outcome(first)}${repeats(group)}`;
  });
}

function repeats(group: readonly RecordedCall[]): string {
  if (group.length === 1) return "";
  const regions = new Set(group.map((call) => call.region));
  const why = regions.size === group.length ? "one per enabled region, in parallel" : "polled again";
  return ` x${group.length} (${why})`;
}

function groupCalls(calls: readonly RecordedCall[]): RecordedCall[][] {
  const groups: RecordedCall[][] = [];
  for (const call of calls) {
    const last = groups.at(-1)?.[0];
    if (
      last &&
      last.service === call.service &&
      last.action === call.action &&
      outcome(last) === outcome(call)
    ) {
      groups.at(-1)?.push(call);
    } else groups.push([call]);
  }
  return groups;
}

function outcome(call: RecordedCall): string {
  if (call.errorCode) return `HTTP ${call.status} ${call.errorCode}`;
  if (call.action === "GenerateCredentialReport") return `HTTP ${call.status}`;
  return `HTTP ${call.status} OK`;
}
