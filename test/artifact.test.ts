/**
 * The function code the Terraform modules deploy, terraform/modules/evaluator/lambda.zip, committed so that a
 * checkout of a tag (a `git::` module source) deploys without Node (issue 19). Rules:
 * - it is byte for byte what `npm run build` makes of this source, and a build made elsewhere (another output
 *   directory, working directory, time zone and locale) makes the same bytes, with no absolute path inside;
 * - it is a Lambda deployment package for `index.handler` on nodejs22.x: ES modules only, `index.mjs` at its root,
 *   world-readable files, every module loading from the unzipped folder alone, within Lambda's size quotas.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMITTED_LAMBDA_ZIP } from "../scripts/build.ts";
import { childEnv } from "./support/cli.ts";
import { nodeRuntimes } from "./support/runtimes.ts";
import { zipEntries } from "./support/zip.ts";

const ROOT = resolve(import.meta.dirname, "..");
const COMMITTED = relative(ROOT, COMMITTED_LAMBDA_ZIP);
const REBUILD = `run \`npm run build\` and commit ${COMMITTED}`;
const TSX_CLI = join(ROOT, "node_modules/tsx/dist/cli.mjs");

let work: string;
/** The fresh build's directory (`--out-dir`): lambda/, lambda.zip, cli/root-activity.mjs. */
let fresh: string;
let committed: Buffer;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "root-activity-artifact-"));
  fresh = join(work, "build");
  mkdirSync(fresh);
  // Elsewhere in every way the committed zip was not made: its own directory as the working directory, a time zone
  // 14 hours from UTC and another locale (collation, dates).
  const run = spawnSync(process.execPath, [TSX_CLI, join(ROOT, "scripts/build.ts"), "--out-dir", fresh], {
    cwd: fresh,
    env: childEnv({ TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" }),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`the fresh build failed (${run.status}): ${run.stderr}`);
  committed = readFileSync(COMMITTED_LAMBDA_ZIP);
}, 150_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Entry names whose bytes differ between two zips, or that only one of them holds. */
function differingEntries(a: Uint8Array, b: Uint8Array): string[] {
  const left = unzipSync(a);
  const right = unzipSync(b);
  const names = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return names.filter((name) => {
    const x = left[name];
    const y = right[name];
    return !x || !y || !Buffer.from(x).equals(Buffer.from(y));
  });
}

describe(`the committed ${COMMITTED}`, () => {
  it("is byte for byte a fresh build of this source, made in another directory, time zone and locale", () => {
    // Act
    const built = readFileSync(join(fresh, "lambda.zip"));
    // Assess
    const same = built.equals(committed);
    expect(
      same,
      same
        ? ""
        : `${COMMITTED} is not the build of this source (entries that differ: ${differingEntries(committed, built).join(", ") || "none: only the zip's own bytes"}): ${REBUILD}`,
    ).toBe(true);
  });

  it("holds no absolute path of the machine that built it, nor does the CLI bundle", () => {
    // Prepare
    const paths = [ROOT, fresh, work];
    const files = {
      ...unzipSync(new Uint8Array(readFileSync(join(fresh, "lambda.zip")))),
      "cli/root-activity.mjs": new Uint8Array(readFileSync(join(fresh, "cli/root-activity.mjs"))),
    };
    // Act
    const found = Object.entries(files).flatMap(([name, bytes]) => {
      const text = Buffer.from(bytes).toString("utf8");
      return paths.filter((path) => text.includes(path)).map((path) => `${name}: ${path}`);
    });
    // Assess
    expect(Object.keys(files).length).toBeGreaterThan(2);
    expect(found).toEqual([]);
  });

  it("is tracked by git, so a checkout of a tag holds it", () => {
    // Act
    const tracked = spawnSync("git", ["-C", ROOT, "ls-files", "--error-unmatch", COMMITTED], {
      encoding: "utf8",
    });
    const ignored = spawnSync("git", ["-C", ROOT, "check-ignore", "-q", "--no-index", COMMITTED]);
    // Assess
    expect(tracked.status, `${COMMITTED} is not tracked: ${REBUILD}`).toBe(0);
    expect(ignored.status, `${COMMITTED} is ignored by .gitignore`).toBe(1);
  });
});

describe("a Lambda deployment package for index.handler on nodejs22.x", () => {
  it("holds ES modules only: index.mjs at its root and its chunks under chunks/, no source map, no directory", () => {
    // Act
    const names = zipEntries(committed).map((entry) => entry.name);
    // Assess
    expect(names).toContain("index.mjs");
    const misplaced = names.filter((name) => name !== "index.mjs" && !/^chunks\/[\w.-]+\.mjs$/.test(name));
    expect(misplaced).toEqual([]);
  });

  // Lambda needs 644 for files (https://docs.aws.amazon.com/lambda/latest/dg/lambda-deploy-functions.html,
  // "Deployment package file permissions"): a zip without a Unix mode leaves the mode to the unzipping tool.
  it("stores every entry as a world-readable regular file made on Unix (0644), at one fixed time, in code point order", () => {
    // Act
    const entries = zipEntries(committed);
    // Assess
    for (const entry of entries) {
      expect({ name: entry.name, madeBy: entry.madeBy, mode: entry.mode.toString(8) }).toEqual({
        name: entry.name,
        madeBy: 3,
        mode: "100644",
      });
    }
    expect(new Set(entries.map((entry) => entry.dosTime))).toEqual(new Set(["2020-01-01T00:00:00"]));
    const names = entries.map((entry) => entry.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("loads from the unzipped folder alone on Node 20 and Node 22: every module imports, index.mjs exports handler", () => {
    // Prepare: unzipped where no node_modules is on the way up, as in Lambda's /var/task.
    const task = join(work, "task");
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(committed)))) {
      mkdirSync(dirname(join(task, name)), { recursive: true });
      writeFileSync(join(task, name), bytes);
    }
    for (let dir = task; dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dir, "node_modules")), `${dir}/node_modules would resolve bare imports`).toBe(
        false,
      );
    }
    const probe = join(work, "probe.mjs");
    writeFileSync(
      probe,
      [
        'import { readdirSync } from "node:fs";',
        'import { join } from "node:path";',
        'import { pathToFileURL } from "node:url";',
        "const task = process.argv[2];",
        'const { handler } = await import(pathToFileURL(join(task, "index.mjs")).href);',
        'const chunks = readdirSync(join(task, "chunks")).sort();',
        'for (const chunk of chunks) await import(pathToFileURL(join(task, "chunks", chunk)).href);',
        "console.log(JSON.stringify({ handler: typeof handler, chunks: chunks.length }));",
      ].join("\n"),
    );
    const runtimes = nodeRuntimes();
    // Act
    const runs = runtimes.map((node) => ({
      node: node.version,
      run: spawnSync(node.path, [probe, task], { encoding: "utf8", env: childEnv(), timeout: 60_000 }),
    }));
    // Assess
    expect(runtimes.map((node) => node.version.split(".")[0])).toEqual(["v20", "v22"]);
    const chunks = zipEntries(committed).length - 1;
    for (const { node, run } of runs) {
      expect({ node, status: run.status, stderr: run.stderr }).toEqual({ node, status: 0, stderr: "" });
      expect(JSON.parse(run.stdout)).toEqual({ handler: "function", chunks });
    }
  });

  // Lambda quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): a .zip uploaded
  // directly, as the modules' `filename` does, at most 50 MB; unzipped at most 250 MB. GetAccountSettings gives
  // them in bytes as CodeSizeZipped 52428800 and CodeSizeUnzipped 262144000.
  it("fits Lambda's deployment package quotas: 50 MB zipped when uploaded directly, 250 MB unzipped", () => {
    // Act
    const unzipped = zipEntries(committed).reduce((sum, entry) => sum + entry.size, 0);
    // Assess
    expect(committed.byteLength).toBeLessThanOrEqual(52_428_800);
    expect(unzipped).toBeLessThanOrEqual(262_144_000);
    expect(unzipped).toBe(
      Object.values(unzipSync(new Uint8Array(committed))).reduce((sum, bytes) => sum + bytes.byteLength, 0),
    );
  });
});
