/**
 * The global setup's rule for rebuilding (test/support/stale-build.ts): any input newer than the oldest output, or a
 * missing output, means build again.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { staleBuild } from "./support/stale-build.ts";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository with `rule/credential-report/root-row.ts` and `scripts/build.ts` at `inputAt`, the outputs at `outputAt`. */
function repo(inputAt: number, outputAt: number, missing: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), "stale-build-"));
  roots.push(root);
  const write = (path: string, at: number) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), "x");
    utimesSync(join(root, path), at / 1000, at / 1000);
  };
  write("rule/credential-report/root-row.ts", inputAt);
  write("scripts/build.ts", inputAt);
  for (const output of ["dist/lambda/index.mjs", "dist/cli/root-activity.mjs"]) {
    if (!missing.includes(output)) write(output, outputAt);
  }
  return root;
}

const inputs = ["rule", "scripts/build.ts"];
const outputs = ["dist/lambda/index.mjs", "dist/cli/root-activity.mjs"];

describe("staleBuild", () => {
  it("is null when every output is newer than every input", () => {
    expect(staleBuild(repo(1_000_000, 2_000_000), inputs, outputs)).toBeNull();
  });

  it("names a file deep under rule/ that is newer than the build", () => {
    expect(staleBuild(repo(3_000_000, 2_000_000), inputs, outputs)).toBe(
      "rule/credential-report/root-row.ts is newer than the build",
    );
  });

  it("names scripts/build.ts when only it changed", () => {
    const root = repo(1_000_000, 2_000_000);
    utimesSync(join(root, "scripts/build.ts"), 3_000, 3_000);
    expect(staleBuild(root, inputs, outputs)).toBe("scripts/build.ts is newer than the build");
  });

  it("compares with the oldest output, and names a missing one", () => {
    const root = repo(2_000_000, 3_000_000);
    utimesSync(join(root, "dist/cli/root-activity.mjs"), 1_000, 1_000);
    expect(staleBuild(root, inputs, outputs)).toBe(
      "rule/credential-report/root-row.ts is newer than the build",
    );
    expect(staleBuild(repo(1_000_000, 2_000_000, ["dist/cli/root-activity.mjs"]), inputs, outputs)).toBe(
      "dist/cli/root-activity.mjs is missing",
    );
  });
});
