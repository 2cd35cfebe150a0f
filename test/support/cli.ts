/**
 * Runs the built CLI (`dist/cli/root-activity.mjs`) in a child process, as users run it: input from a file, from a
 * real pipe filled by a slow writer (a shell pipeline, never a buffer handed to the child), or a file descriptor.
 * Input files live in a temporary directory.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";

export const CLI = resolve(import.meta.dirname, "../../dist/cli/root-activity.mjs");
export const SLOW_WRITER = resolve(import.meta.dirname, "slow-writer.mjs");

/** How a CLI run ended, and what it printed. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** A file descriptor to hand over as standard input (default: none, standard input is closed at once). */
  readonly stdin?: number;
  /** Added to the environment. */
  readonly env?: Record<string, string>;
}

/**
 * The environment children get: this process's, without any AWS setting (a developer's profile or credentials must
 * not leak into a test) and without the SDK's switch for its Node-version warning (the CLI must handle that).
 *
 * @example
 * ```ts
 * spawn("node", [CLI], { env: childEnv({ AWS_REGION: "us-east-1" }) });
 * ```
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("AWS_")) env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs the CLI with `args` and waits for it to exit.
 *
 * @example
 * ```ts
 * const { status, stdout } = await runCli(["evaluate", "--report", path, "--json"]);
 * ```
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return runChild(process.execPath, [CLI, ...args], options.env ?? {}, options.stdin);
}

/**
 * Runs a bash script (`bash -c script _ ...args`) and waits for it to exit: pipelines and process substitution as a
 * shell makes them, with real pipes. The script finds the CLI in `$CLI`, node in `$NODE`, the slow writer in `$WRITER`.
 *
 * @example
 * ```ts
 * await runShell('"$NODE" "$WRITER" "$1" 1000 | "$NODE" "$CLI" evaluate --report -', [path]);
 * ```
 */
export function runShell(
  script: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<CliRun> {
  return runChild("bash", ["-c", script, "_", ...args], {
    NODE: process.execPath,
    CLI,
    WRITER: SLOW_WRITER,
    ...env,
  });
}

/** How the slow writer feeds the pipe. */
export interface SlowWrite {
  /** Silence before the first byte, ms. */
  readonly delayMs?: number;
  /** Bytes per write (default 64 KiB). */
  readonly chunkBytes?: number;
  /** Silence between two writes, ms. */
  readonly pauseMs?: number;
}

/**
 * Pipes the file at `path` into the CLI through a shell pipeline, `writer | root-activity <args>`, the writer
 * waiting and pausing as told.
 *
 * @example
 * ```ts
 * await pipeInto(path, ["evaluate", "--report", "-", "--json"], { delayMs: 2000 });
 * ```
 */
export function pipeInto(
  path: string,
  args: readonly string[],
  write: SlowWrite = {},
  env: Record<string, string> = {},
): Promise<CliRun> {
  return runShell(
    'f=$1 d=$2 c=$3 p=$4; shift 4; "$NODE" "$WRITER" "$f" "$d" "$c" "$p" | "$NODE" "$CLI" "$@"',
    [path, ...writerArgs(write), ...args],
    env,
  );
}

/**
 * The slow writer's arguments after the file: delay, chunk size, pause.
 *
 * @example
 * ```ts
 * writerArgs({ delayMs: 500 }); // ["500", "65536", "0"]
 * ```
 */
export function writerArgs(write: SlowWrite): [string, string, string] {
  return [String(write.delayMs ?? 0), String(write.chunkBytes ?? 65_536), String(write.pauseMs ?? 0)];
}

function runChild(
  command: string,
  args: readonly string[],
  extraEnv: Record<string, string>,
  stdin?: number,
): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      env: childEnv(extraEnv),
      stdio: [stdin ?? "pipe", "pipe", "pipe"],
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
    if (stdin === undefined) child.stdin?.end();
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
