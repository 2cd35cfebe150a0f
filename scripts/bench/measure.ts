/**
 * Measurement helpers of `npm run bench`: fresh Node child processes, timed from the parent, that print one
 * result line; medians; a round-robin runner so that subjects compared with each other are measured side by
 * side in the same run (this machine is noisy: only figures taken together are compared).
 */
import { spawn } from "node:child_process";

/** The line a probe prints its result on, so log lines of the code under test can share stdout. */
export const RESULT_MARKER = "@@bench ";

/** What one child process reported, with the wall time the parent saw (spawn to exit). */
export interface ChildRun<T> {
  readonly wallMs: number;
  readonly result: T;
}

/**
 * Runs `node ...args` with exactly `env` (nothing inherited but what is passed), waits for it to exit and
 * returns its result line, parsed. Throws with the child's stderr when it fails or prints no result.
 *
 * @example
 * ```ts
 * const { wallMs, result } = await runChild<{ importMs: number }>([probe, moduleUrl], { PATH: process.env.PATH });
 * ```
 */
export function runChild<T>(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<ChildRun<T>> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      // Let the pipes drain: 'exit' can come before the last 'data'.
      setImmediate(() => {
        const stdout = Buffer.concat(out).toString("utf8");
        const line = stdout
          .split("\n")
          .reverse()
          .find((l) => l.startsWith(RESULT_MARKER));
        if (code !== 0 || line === undefined) {
          const stderr = Buffer.concat(err).toString("utf8").slice(-2_000);
          reject(
            new Error(
              `child ${args.join(" ")} exited with ${signal ?? code}${line ? "" : ", no result line"}\n${stderr}${stdout.slice(-1_000)}`,
            ),
          );
          return;
        }
        resolve({ wallMs, result: JSON.parse(line.slice(RESULT_MARKER.length)) as T });
      });
    });
  });
}

/**
 * The median (mean of the two middle values for an even count) of the values that are numbers.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  // A sample a crashed process could not report is NaN: it does not count.
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `rounds` rounds; each round runs every subject once, in an order rotated every round, so no subject
 * always comes first (after a pause) or last. Returns each subject's samples in subject order.
 *
 * @example
 * ```ts
 * const [a, b] = await roundRobin(9, [() => measureA(), () => measureB()]);
 * ```
 */
export async function roundRobin<T>(
  rounds: number,
  subjects: ReadonlyArray<() => Promise<T>>,
): Promise<T[][]> {
  const samples: T[][] = subjects.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      samples[i]?.push(await (subjects[i] as () => Promise<T>)());
    }
  }
  return samples;
}

/** Environment for a child: only what Node needs, never the caller's AWS settings or credentials. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** KiB (as `maxRSS` reports it) to MiB. */
export function mib(kib: number): number {
  return kib / 1024;
}

/** Formats a number with a fixed count of decimals, or "–" when it is not a number. */
export function fmt(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : "–";
}
