/**
 * API calls per invocation: each scenario run cold against the local endpoint, the calls it saw counted by
 * service and action. Counts must not vary between runs; a run that differs is reported.
 */
import type { LocalAws } from "../local-aws/server.ts";
import { invokeOnce, SCENARIOS } from "./first-invocation.ts";

/** What one scenario cost in calls. */
export interface ApiCallCount {
  readonly scenario: string;
  readonly title: string;
  /** `service:Action` → count. */
  readonly calls: Readonly<Record<string, number>>;
  readonly total: number;
  readonly outcome: string;
  /** False when runs of the scenario made different calls. */
  readonly stable: boolean;
}

/**
 * Runs every scenario `runs` times with `bundle` and counts the calls.
 *
 * @example
 * ```ts
 * const counts = await countApiCalls(aws, "dist/lambda/index.mjs", 2);
 * ```
 */
export async function countApiCalls(aws: LocalAws, bundle: string, runs: number): Promise<ApiCallCount[]> {
  const counts: ApiCallCount[] = [];
  for (const scenario of SCENARIOS) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await invokeOnce(aws, bundle, scenario));
    const first = samples[0];
    if (!first) continue;
    const key = (calls: Readonly<Record<string, number>>) => JSON.stringify(Object.entries(calls).sort());
    counts.push({
      scenario: scenario.id,
      title: scenario.title,
      calls: first.calls,
      total: Object.values(first.calls).reduce((sum, n) => sum + n, 0),
      outcome: first.outcome,
      stable: samples.every((s) => key(s.calls) === key(first.calls) && s.outcome === first.outcome),
    });
  }
  return counts;
}

/** `iam:GetCredentialReport` → `IAM GetCredentialReport`, for tables. */
export function callLabel(key: string): string {
  const [service = "", action = ""] = key.split(":");
  return `${service.toUpperCase()} ${action}`;
}
