/**
 * The real AWS CLI the end-to-end tests drive: whichever this machine has, found on PATH (v1 or v2), and what it
 * offers. The tests check the local endpoint's answers and the root-activity CLI against it, not against a copy.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** An AWS CLI found on this machine. */
export interface AwsCli {
  readonly path: string;
  /** What `aws --version` prints: `aws-cli/1.45.11 Python/3.11.7 Linux/… botocore/1.43.11`. */
  readonly version: string;
  /** 1 or 2. */
  readonly major: number;
  /** The `--output` formats it accepts, as its own error message lists them (v1 has no `yaml`). */
  readonly outputs: readonly string[];
  /**
   * The exit status of a command whose request AWS answered with an error: 254 for v2, 255 for v1 (AWS CLI User
   * Guide, "Command line return codes": v2 uses 254 for a service error, v1 returns 255 for any error).
   */
  readonly serviceErrorStatus: number;
}

/** Where an AWS CLI may be: every directory of PATH, then Debian's package's own path. */
function candidates(path: string | undefined): string[] {
  const dirs = (path ?? "").split(delimiter).filter((dir) => dir !== "");
  return [...new Set([...dirs.map((dir) => join(dir, "aws")), "/usr/bin/aws"])];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first AWS CLI on PATH (else `/usr/bin/aws`) that runs, with its version and output formats; undefined when
 * there is none.
 *
 * @example
 * ```ts
 * const cli = findAwsCli(); // { path: "/usr/bin/aws", major: 2, outputs: ["json", "text", "table", "yaml", "yaml-stream"], … }
 * ```
 */
export function findAwsCli(env: NodeJS.ProcessEnv = process.env): AwsCli | undefined {
  for (const path of candidates(env.PATH)) {
    if (!executable(path)) continue;
    const run = (args: string[]) => {
      try {
        return execFileSync(path, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
      } catch (error) {
        const failed = error as { stdout?: string; stderr?: string };
        return `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
      }
    };
    const version = run(["--version"]).trim();
    const major = Number(/^aws-cli\/(\d+)\./.exec(version)?.[1]);
    if (!major) continue;
    // "argument --output: Invalid choice, valid choices are:\n\njson | text\ntable" (v1), or with yaml (v2).
    const listed = /valid choices are:([\s\S]*)$/.exec(
      run(["--output", "none-such", "sts", "get-caller-identity"]),
    );
    const outputs = (listed?.[1] ?? "").split(/[\s|]+/).filter((word) => /^[a-z-]+$/.test(word));
    return { path, version, major, outputs, serviceErrorStatus: major >= 2 ? 254 : 255 };
  }
  return undefined;
}

/**
 * One line that says which AWS CLI the tests use.
 *
 * @example
 * ```ts
 * console.log(describeAwsCli(cli)); // "AWS CLI v1 at /root/.pyenv/shims/aws (aws-cli/1.45.11 …; --output json, text, table)"
 * ```
 */
export function describeAwsCli(cli: AwsCli): string {
  return `AWS CLI v${cli.major} at ${cli.path} (${cli.version}; --output ${cli.outputs.join(", ")})`;
}
