/**
 * Whether the built bundles are older than what they are built from, so a plain `vitest` run after an edit of
 * `rule/` never tests a stale bundle.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** What `npm run build` reads, relative to the repository root: directories are walked. */
export const BUILD_INPUTS = [
  "rule",
  "scripts/build.ts",
  "scripts/lambda-plugins.ts",
  "package.json",
  "package-lock.json",
];

/** What `npm run build` writes. */
export const BUILD_OUTPUTS = ["dist/lambda/index.mjs", "dist/cli/root-activity.mjs", "dist/lambda.zip"];

/**
 * Why the build must run again (an output missing, or the input newer than the oldest output), or null.
 *
 * @example
 * ```ts
 * if (staleBuild(process.cwd())) execFileSync("npm", ["run", "build"]);
 * ```
 */
export function staleBuild(
  root: string,
  inputs: readonly string[] = BUILD_INPUTS,
  outputs: readonly string[] = BUILD_OUTPUTS,
): string | null {
  let oldestOutput = Number.POSITIVE_INFINITY;
  for (const output of outputs) {
    const path = join(root, output);
    if (!existsSync(path)) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, statSync(path).mtimeMs);
  }
  for (const input of inputs) {
    const newer = newerThan(join(root, input), oldestOutput);
    if (newer) return `${newer.slice(root.length + 1)} is newer than the build`;
  }
  return null;
}

/** The first file under `path` (or `path` itself) modified after `mtimeMs`. */
function newerThan(path: string, mtimeMs: number): string | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs > mtimeMs ? path : undefined;
  for (const entry of readdirSync(path)) {
    const found = newerThan(join(path, entry), mtimeMs);
    if (found) return found;
  }
  return undefined;
}
