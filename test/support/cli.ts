/**
 * Runs the built CLI (`dist/cli/root-activity.mjs`) in a child process, as users run it, with input files in a
 * temporary directory.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";

export const CLI = resolve(import.meta.dirname, "../../dist/cli/root-activity.mjs");

/** How a CLI run ended, and what it printed. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Text to pipe in (default: none, standard input is closed at once), or a file descriptor to hand over. */
  readonly stdin?: string | Buffer | number;
  /** Added to this process's environment. */
  readonly env?: Record<string, string>;
}

/**
 * Runs the CLI with `args` and waits for it to exit. The SDK's Node 20 warning is turned off, so stderr holds only
 * what the CLI writes.
 *
 * @example
 * ```ts
 * const { status, stdout } = await runCli(["evaluate", "--report", "-", "--json"], { stdin: csv });
 * ```
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const stdin = options.stdin ?? "";
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...options.env },
      stdio: [typeof stdin === "number" ? stdin : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (status) => resolveRun({ status, stdout, stderr }));
    if (typeof stdin !== "number") child.stdin?.end(stdin);
  });
}

/** A directory for one test file's input files, and a way to write them there. */
export interface TempFiles {
  readonly dir: string;
  /** Writes `content` to `name` in `dir`; returns the file's path. */
  file(name: string, content: string | Buffer): string;
}

/**
 * Creates a temporary directory now, and registers its removal after the tests of the file (or of the `describe`
 * it is called in).
 *
 * @example
 * ```ts
 * const { file } = useTempFiles("root-activity-cli-");
 * const path = file("report.csv", csv);
 * ```
 */
export function useTempFiles(prefix: string): TempFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}
