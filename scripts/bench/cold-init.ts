/**
 * Cold init: a fresh Node process that imports a module, against one that imports an empty module, measured in
 * alternation. Wall time is the parent's (spawn to exit: Node's own start, the import, exit); import time and
 * peak RSS are the child's.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cleanEnv, median, roundRobin, runChild } from "./measure.ts";

const IMPORT_PROBE = join(import.meta.dirname, "probes/import.mjs");

/** One fresh process that imported one module. */
export interface ImportSample {
  readonly wallMs: number;
  readonly importMs: number;
  readonly maxRssKiB: number;
  readonly cpuMs: number;
}

/** Medians of the samples of one module. */
export interface ImportSummary {
  readonly id: string;
  readonly runs: number;
  readonly wallMs: number;
  readonly importMs: number;
  readonly maxRssKiB: number;
  readonly cpuMs: number;
  /** Every sample's wall time and peak RSS, in round order (sample i of every module comes from round i). */
  readonly samples: readonly ImportSample[];
}

/**
 * The median over rounds of `a`'s figure divided by `b`'s in the same round: paired, so a slow stretch of the
 * machine weighs on both sides of each ratio.
 *
 * @example
 * ```ts
 * pairedRatio(bundle, empty, (s) => s.wallMs); // 2.3
 * ```
 */
export function pairedRatio(a: ImportSummary, b: ImportSummary, figure: (s: ImportSample) => number): number {
  const ratios = a.samples.map((sample, i) => {
    const other = b.samples[i];
    return other ? figure(sample) / figure(other) : Number.NaN;
  });
  return median(ratios);
}

/**
 * Writes an empty ES module into `dir` and returns its path: the baseline every cold init is compared with.
 *
 * @example
 * ```ts
 * const empty = writeEmptyModule(workDir);
 * ```
 */
export function writeEmptyModule(dir: string): string {
  const path = join(dir, "empty.mjs");
  writeFileSync(path, "export {};\n");
  return path;
}

/**
 * Imports each module in `rounds` fresh processes, the modules in rotating order, and returns each module's
 * medians.
 *
 * @example
 * ```ts
 * const [empty, bundle] = await measureColdInit([{ id: "empty", path: e }, { id: "bundle", path: b }], 15);
 * ```
 */
export async function measureColdInit(
  modules: ReadonlyArray<{ readonly id: string; readonly path: string }>,
  rounds: number,
): Promise<ImportSummary[]> {
  // No AWS settings: importing must not need them (nothing may be done at init that needs AWS).
  const env = cleanEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  const samples = await roundRobin(
    rounds,
    modules.map((module) => async (): Promise<ImportSample> => {
      const { wallMs, result } = await runChild<Omit<ImportSample, "wallMs">>(
        [IMPORT_PROBE, pathToFileURL(module.path).href],
        env,
      );
      return { wallMs, ...result };
    }),
  );
  return modules.map((module, i) => summarize(module.id, samples[i] ?? []));
}

function summarize(id: string, samples: readonly ImportSample[]): ImportSummary {
  return {
    id,
    runs: samples.length,
    wallMs: median(samples.map((s) => s.wallMs)),
    importMs: median(samples.map((s) => s.importMs)),
    maxRssKiB: median(samples.map((s) => s.maxRssKiB)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    samples,
  };
}
