import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { staleBuild } from "./support/stale-build.ts";

/**
 * Wire and CLI tests drive the built bundles: build them when they are missing or older than `rule/`,
 * `scripts/build.ts` or what else the build reads, so a plain `vitest` run after an edit tests the edit. Into
 * dist/ only: a test run never rewrites the committed Lambda zip, which test/artifact.test.ts holds to the source.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const why = staleBuild(root.replace(/\/$/, ""));
  if (why) {
    process.stderr.write(`global setup: building, ${why}\n`);
    execFileSync("npm", ["run", "build:dist", "--silent"], { stdio: "inherit", cwd: root });
  }
}
