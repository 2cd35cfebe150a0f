import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository's root folder. */
export const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Every `.ts` file under `dir` (relative to the repository root), sorted, relative to the root.
 *
 * @example
 * ```ts
 * sourceFiles("rule"); // ["rule/annotation.ts", "rule/aws/clients.ts", …]
 * ```
 */
export function sourceFiles(dir: string): string[] {
  const walk = (at: string): string[] =>
    readdirSync(join(ROOT, at), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(at, entry.name))
        : entry.name.endsWith(".ts")
          ? [join(at, entry.name)]
          : [],
    );
  return walk(dir).sort();
}
