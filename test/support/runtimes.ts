/**
 * The Node versions a shipped file must run on: this process's Node (20 on this machine, the CLI's oldest
 * supported) and Node 22 (Lambda's nodejs22.x), found as `npm test`'s Node 22 pass finds it
 * (scripts/node22/binary.ts).
 */
import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { findNode22 } from "../../scripts/node22/binary.ts";

/** One Node binary: its path, its directory (to put first on PATH) and what `--version` says. */
export interface NodeRuntime {
  readonly path: string;
  readonly dir: string;
  readonly version: string;
}

/**
 * This process's Node and Node 22 (once, if this is Node 22), each with its version. Throws when Node 22 is
 * required on this platform (linux-x64, where `npm ci` installs it) and missing; elsewhere leaves it out only if
 * `ROOT_ACTIVITY_NODE22` names none.
 *
 * @example
 * ```ts
 * for (const node of nodeRuntimes()) spawnSync(node.path, ["bundle.mjs"]);
 * ```
 */
export function nodeRuntimes(): NodeRuntime[] {
  const current = execFileSync(process.execPath, ["--version"], { encoding: "utf8" }).trim();
  const runtimes: NodeRuntime[] = [
    { path: process.execPath, dir: dirname(process.execPath), version: current },
  ];
  const node22 = findNode22(process.env, process.platform, process.arch);
  if (!node22.found) {
    if (node22.required) throw new Error(`Node 22 is missing: ${node22.why}`);
    return runtimes;
  }
  if (node22.version !== current) {
    runtimes.push({ path: node22.path, dir: dirname(node22.path), version: node22.version });
  }
  return runtimes;
}
