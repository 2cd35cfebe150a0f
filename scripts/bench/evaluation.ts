/**
 * Evaluation vs. report size: `evaluate()` (rule/evaluate.ts, bundled with esbuild) in fresh processes, on
 * reports of 1, 5 000 and 50 000 IAM users, the root row first (as AWS writes it) and last. Each child times
 * the first call (what a Lambda cold start pays) and the median of warm calls, and measures how far the first
 * call raised the peak RSS above what the process (with the report bytes loaded) had already reached.
 *
 * A reference case parses the whole 50 000-user report into row arrays with csv-parse: what "holding the
 * report as objects" would cost, next to what `evaluate()` does.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { reportWithUsers, rootRow } from "../../test/support/report-builder.ts";
import { commonBuildOptions } from "../build.ts";
import { cleanEnv, median, roundRobin, runChild } from "./measure.ts";

const EVALUATE_PROBE = join(import.meta.dirname, "probes/evaluate.mjs");
const ROOT = join(import.meta.dirname, "../..");

/** Evaluated as of this instant; the root row never used root, so every case is COMPLIANT. */
const NOW = "2026-06-01T00:00:00.000Z";

export interface EvaluationCase {
  readonly id: string;
  readonly users: number;
  readonly rootAt: "first" | "last";
  readonly mode: "evaluate" | "parse-all";
}

/** The cases, in table order. */
export const EVALUATION_CASES: readonly EvaluationCase[] = [1, 5_000, 50_000].flatMap((users) =>
  (["first", "last"] as const).map(
    (rootAt): EvaluationCase => ({ id: `${users}-${rootAt}`, users, rootAt, mode: "evaluate" }),
  ),
);

/** The "whole report as objects" reference. */
export const PARSE_ALL_CASE: EvaluationCase = {
  id: "50000-last-parse-all",
  users: 50_000,
  rootAt: "last",
  mode: "parse-all",
};

export interface EvaluationSummary {
  readonly case: EvaluationCase;
  readonly runs: number;
  readonly reportBytes: number;
  /** Median over processes of the first call's time. */
  readonly firstMs: number;
  /** Median over processes of one cold `Buffer.indexOf` over a fresh copy of the report (a byte string not in it). */
  readonly scanMs: number;
  /** Median over processes of the median warm call. */
  readonly warmMs: number;
  /** Median over processes of the peak RSS growth during the first call. */
  readonly rssGrowthKiB: number;
  readonly outcomes: readonly string[];
}

/**
 * Bundles `evaluate()` (and csv-parse's sync `parse` for the reference) into `dir`, writes the reports, and
 * measures every case in `rounds` fresh processes each, cases in rotating order.
 *
 * @example
 * ```ts
 * const results = await measureEvaluation(workDir, 7);
 * ```
 */
export async function measureEvaluation(dir: string, rounds: number): Promise<EvaluationSummary[]> {
  const bundle = join(dir, "evaluate.mjs");
  await build({
    stdin: {
      contents: 'export { evaluate } from "./rule/evaluate.ts";\nexport { parse } from "csv-parse/sync";\n',
      resolveDir: ROOT,
      loader: "ts",
    },
    outfile: bundle,
    // The shipped bundles' settings, so evaluate() is measured as it runs in Lambda.
    ...commonBuildOptions,
    sourcemap: false,
    logLevel: "error",
  });
  const cases = [...EVALUATION_CASES, PARSE_ALL_CASE];
  const reports = new Map<string, string>();
  for (const c of cases) {
    const key = `${c.users}-${c.rootAt}`;
    if (reports.has(key)) continue;
    const path = join(dir, `report-${key}.csv`);
    writeFileSync(path, reportWithUsers(c.users, c.rootAt, rootRow()));
    reports.set(key, path);
  }
  const env = cleanEnv();
  const samples = await roundRobin(
    rounds,
    cases.map((c) => async () => {
      // Warm calls: enough for a stable median, few where one call parses the whole of a large report.
      const warmRuns = c.rootAt === "first" || c.users < 5_000 ? 25 : c.users < 50_000 ? 5 : 1;
      const { result } = await runChild<{
        firstMs: number;
        scanMs: number;
        warmMs: number;
        reportBytes: number;
        rssGrowthKiB: number;
        outcome: string | number;
      }>(
        [
          EVALUATE_PROBE,
          pathToFileURL(bundle).href,
          reports.get(`${c.users}-${c.rootAt}`) as string,
          NOW,
          String(warmRuns),
          c.mode,
        ],
        env,
      );
      return result;
    }),
  );
  return cases.map((c, i) => {
    const list = samples[i] ?? [];
    return {
      case: c,
      runs: list.length,
      reportBytes: list[0]?.reportBytes ?? 0,
      firstMs: median(list.map((s) => s.firstMs)),
      scanMs: median(list.map((s) => s.scanMs)),
      warmMs: median(list.map((s) => s.warmMs)),
      rssGrowthKiB: median(list.map((s) => s.rssGrowthKiB)),
      outcomes: [...new Set(list.map((s) => String(s.outcome)))],
    };
  });
}
