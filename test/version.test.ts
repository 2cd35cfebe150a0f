/**
 * One version per release (issue 19): package.json's `version` is what the CLI's `--version` prints, what every
 * log line of the deployed function carries, the tag every `?ref=` module source of the READMEs points at, and the
 * newest release of CHANGELOG.md. Code run from source says it is not a release.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { SOURCE_VERSION, VERSION } from "../rule/version.ts";
import { COMMITTED_LAMBDA_ZIP } from "../scripts/build.ts";
import { CLI, childEnv } from "./support/cli.ts";

const ROOT = resolve(import.meta.dirname, "..");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
const TAG = `v${version}`;

const work = mkdtempSync(join(tmpdir(), "root-activity-version-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every README.md under `dir`, as paths relative to the repository. */
function readmesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((path) => path === "README.md" || path.endsWith("/README.md"))
    .filter((path) => !path.split("/").some((part) => part === ".terraform" || part === "node_modules"))
    .map((path) => join(dir, path))
    .sort();
}

/** The `ref` of every module source with a `?ref=` (or `&ref=`) in `path`. */
function refsIn(path: string): string[] {
  const text = readFileSync(join(ROOT, path), "utf8");
  return [...text.matchAll(/[?&]ref=([^\s"'`)\]&#]+)/g)].map((match) => match[1] as string);
}

describe("the release version", () => {
  it("is a semantic version (semver.org 2.0.0)", () => {
    // Assess: the regular expression semver.org suggests.
    expect(version).toMatch(
      /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/,
    );
  });

  it("is what the built CLI's --version prints", () => {
    // Act
    const run = spawnSync(process.execPath, [CLI, "--version"], { encoding: "utf8", env: childEnv() });
    // Assess
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: `${version}\n`,
      stderr: "",
    });
  });

  it("is on every log line of the committed function, as `version`", () => {
    // Prepare: the deployed code, unzipped; an event without an account fails before any AWS call, and logs.
    const task = join(work, "task");
    for (const [name, bytes] of Object.entries(
      unzipSync(new Uint8Array(readFileSync(COMMITTED_LAMBDA_ZIP))),
    )) {
      mkdirSync(dirname(join(task, name)), { recursive: true });
      writeFileSync(join(task, name), bytes);
    }
    const probe = join(work, "invoke.mjs");
    writeFileSync(
      probe,
      [
        'import { pathToFileURL } from "node:url";',
        'const { handler } = await import(pathToFileURL(process.argv[2] + "/index.mjs").href);',
        'await handler({}, { getRemainingTimeInMillis: () => 60_000, awsRequestId: "version-test" }).catch(() => {});',
      ].join("\n"),
    );
    // Act
    const run = spawnSync(process.execPath, [probe, task], {
      encoding: "utf8",
      env: childEnv({ AWS_REGION: "us-east-1", AWS_LAMBDA_FUNCTION_NAME: "root-activity" }),
    });
    // Assess
    expect(run.status, run.stderr).toBe(0);
    const lines = `${run.stdout}\n${run.stderr}`
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const logLines = lines.filter((line) => "level" in line && "message" in line);
    expect(logLines.map((line) => line.message)).toEqual(["evaluation failed, nothing posted"]);
    expect(
      logLines.map((line) => line.version),
      `the function's log lines do not carry ${version}: run \`npm run build\` and commit the zip`,
    ).toEqual([version]);
  });

  it("is the tag every ?ref= of README.md and terraform/**/README.md points at, and each example shows one", () => {
    // Prepare
    const readmes = ["README.md", ...readmesUnder("terraform")];
    const examples = readdirSync(join(ROOT, "terraform/examples"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `terraform/examples/${entry.name}/README.md`);
    // Act
    const refs = Object.fromEntries(readmes.map((path) => [path, refsIn(path)]));
    // Assess
    const wrong = Object.entries(refs).flatMap(([path, found]) =>
      found.filter((ref) => ref !== TAG).map((ref) => `${path}: ?ref=${ref}`),
    );
    expect(wrong, `every ?ref= must be ${TAG}, package.json's version`).toEqual([]);
    expect(examples.length).toBeGreaterThan(0);
    const without = ["README.md", ...examples].filter((path) => (refs[path] ?? []).length === 0);
    expect(without, `these READMEs show no module source with ?ref=${TAG}`).toEqual([]);
  });

  it("is the newest release of CHANGELOG.md (Keep a Changelog 1.1.0), with its link", () => {
    // Prepare
    const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");
    // Act
    const releases = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)].map(
      (match) => ({
        name: match[1],
        date: match[2],
      }),
    );
    const links = new Map(
      [...changelog.matchAll(/^\[([^\]]+)\]: (\S+)$/gm)].map((match) => [match[1]?.toLowerCase(), match[2]]),
    );
    // Assess
    expect(releases[0]).toEqual({ name: "Unreleased", date: undefined });
    expect(releases[1]?.name).toBe(version);
    expect(Number.isNaN(Date.parse(`${releases[1]?.date}T00:00:00Z`))).toBe(false);
    expect(links.get(version)).toMatch(new RegExp(`/${TAG.replaceAll(".", "\\.")}$`));
    expect(links.get("unreleased")).toMatch(new RegExp(`/${TAG.replaceAll(".", "\\.")}\\.\\.\\.HEAD$`));
  });
});

describe("code run from source", () => {
  it(`says ${SOURCE_VERSION}, a pre-release no tag will carry, never a release's version`, () => {
    // Assess: vitest runs rule/ from source, without the build's define.
    expect(VERSION).toBe(SOURCE_VERSION);
    expect(SOURCE_VERSION).not.toBe(version);
  });
});
