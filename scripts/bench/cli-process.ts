/**
 * The whole CLI process vs. report size: `node dist/cli/root-activity.mjs evaluate --report <file> --json` on
 * reports of 1 user and of 5 000 users with the root row first and last, timed from spawn to exit by the parent,
 * all cases in the same rounds. The budget: 5 000 users with the root row last within 1.3× of 1 user, which holds
 * only if the root row is read at byte-scan speed wherever it is.
 */
import { spawn } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { reportWithUsers, rootRow } from "../../test/support/report-builder.ts";
import { cleanEnv, median, roundRobin } from "./measure.ts";

const NOW = "2026-06-01T00:00:00Z";

export interface CliCase {
  readonly id: string;
  readonly users: number;
  readonly rootAt: "first" | "last";
}

/**
 * The cases, in table order.
 *
 * @example
 * ```ts
 * CLI_CASES.map((c) => c.id); // ["1", "5000-first", "5000-last"]
 * ```
 */
export const CLI_CASES: readonly CliCase[] = [
  { id: "1", users: 1, rootAt: "first" },
  { id: "5000-first", users: 5_000, rootAt: "first" },
  { id: "5000-last", users: 5_000, rootAt: "last" },
];

export interface CliSummary {
  readonly case: CliCase;
  readonly runs: number;
  readonly reportBytes: number;
  /** Median wall time of the process, spawn to exit. */
  readonly wallMs: number;
  readonly outcomes: readonly string[];
}

/**
 * Copies the CLI bundle into `dir` (a concurrent build must not change it under the benchmark), writes the reports,
 * and runs every case `rounds` times, in rotating order.
 *
 * @example
 * ```ts
 * const results = await measureCli("dist/cli/root-activity.mjs", workDir, 9);
 * ```
 */
export async function measureCli(bundle: string, dir: string, rounds: number): Promise<CliSummary[]> {
  const cli = join(dir, "root-activity.mjs");
  copyFileSync(bundle, cli);
  const reports = CLI_CASES.map((c) => {
    const path = join(dir, `cli-report-${c.id}.csv`);
    const content = reportWithUsers(c.users, c.rootAt, rootRow());
    writeFileSync(path, content);
    return { path, bytes: Buffer.byteLength(content) };
  });
  const env = cleanEnv();
  const samples = await roundRobin(
    rounds,
    CLI_CASES.map((_, i) => () => runOnce(cli, (reports[i] as { path: string }).path, env)),
  );
  return CLI_CASES.map((c, i) => {
    const list = samples[i] ?? [];
    return {
      case: c,
      runs: list.length,
      reportBytes: reports[i]?.bytes ?? 0,
      wallMs: median(list.map((s) => s.wallMs)),
      outcomes: [...new Set(list.map((s) => s.outcome))],
    };
  });
}

function runOnce(
  cli: string,
  report: string,
  env: NodeJS.ProcessEnv,
): Promise<{ wallMs: number; outcome: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, "evaluate", "--report", report, "--now", NOW, "--json"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) {
        reject(new Error(`CLI exited with ${code} on ${report}: ${stderr.slice(-500)}`));
        return;
      }
      resolve({ wallMs, outcome: String(JSON.parse(stdout).complianceType) });
    });
  });
}
