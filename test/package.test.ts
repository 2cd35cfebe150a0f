/**
 * The CLI as npm publishes it (issue 19), packed from a fresh checkout and installed in an empty folder. Rules:
 * - `npm pack` builds the CLI itself (prepack): a checkout without dist/ packs;
 * - the tarball holds the CLI bundle, package.json, README, LICENSE, CHANGELOG and SECURITY, nothing else (no test,
 *   source, Terraform, node_modules or source map);
 * - its manifest is ready to publish: not private, an executable bin, `engines` matching the bundle's target, no
 *   runtime dependency and no script that an install from the registry runs;
 * - installed from the tarball alone (offline: no registry), it adds no other package, and `npx root-activity`
 *   answers `--help`, `--version` and `evaluate --report` on Node 20 and on Node 22.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commonBuildOptions } from "../scripts/build.ts";
import { childEnv } from "./support/cli.ts";
import { nodeRuntimes } from "./support/runtimes.ts";

const ROOT = resolve(import.meta.dirname, "..");
const SAMPLE_REPORT = join(ROOT, "scripts/demo/sample-credential-report.csv");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/** What npm's `package.json` says about a package, as far as these rules look. */
interface Manifest {
  readonly name?: string;
  readonly version?: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly bin?: Record<string, string>;
  readonly engines?: Record<string, string>;
  readonly scripts?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** The environment of an npm or npx child: a user's shell, without what an outer `npm run` or AWS set. */
function userEnv(path?: string): NodeJS.ProcessEnv {
  const env = childEnv({ npm_config_update_notifier: "false" });
  for (const name of Object.keys(env)) {
    if (/^npm_(?!config_update_notifier$)/i.test(name)) delete env[name];
  }
  if (path) env.PATH = `${path}${delimiter}${env.PATH ?? ""}`;
  return env;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env = userEnv(),
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
}

/** Every file under `dir`, relative, `/`-separated, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split("\\").join("/"))
    .sort();
}

let work: string;
let checkout: string;
let hadDist: boolean;
let pack: SpawnSyncReturns<string>;
let tarball: string;
/** The tarball, unpacked: its `package/` directory. */
let unpacked: string;
let manifest: Manifest;
let app: string;
let install: SpawnSyncReturns<string>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "root-activity-package-"));
  // A fresh checkout of this working tree: what git tracks or would track (no dist/, no node_modules), with the
  // repository's installed node_modules beside it, as `npm ci` would leave it.
  checkout = join(work, "checkout");
  const listed = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT).stdout;
  for (const path of listed.split("\0").filter((p) => p && existsSync(join(ROOT, p)))) {
    mkdirSync(dirname(join(checkout, path)), { recursive: true });
    copyFileSync(join(ROOT, path), join(checkout, path));
  }
  symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
  hadDist = existsSync(join(checkout, "dist"));

  const out = join(work, "out");
  mkdirSync(out);
  pack = run("npm", ["pack", "--json", "--pack-destination", out], checkout);
  if (pack.status !== 0) throw new Error(`npm pack failed (${pack.status}): ${pack.stderr}`);
  // prepack's build prints on the same stdout before npm's JSON.
  const json = pack.stdout.slice(pack.stdout.search(/^\[/m));
  const [packed] = JSON.parse(json) as [{ filename: string }];
  tarball = join(out, packed.filename);
  mkdirSync(join(work, "unpacked"));
  const untar = run("tar", ["-xzf", tarball, "-C", join(work, "unpacked")], work);
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  unpacked = join(work, "unpacked/package");
  manifest = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8")) as Manifest;

  app = join(work, "app");
  mkdirSync(app);
  install = run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], app);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm pack of a fresh checkout", () => {
  it("builds the CLI first (prepack): a checkout without dist/ packs it", () => {
    // Assess
    expect(hadDist).toBe(false);
    expect(pack.status).toBe(0);
    expect(existsSync(join(unpacked, "dist/cli/root-activity.mjs"))).toBe(true);
  });

  it("holds the CLI bundle, package.json, README, LICENSE, CHANGELOG and SECURITY, nothing else", () => {
    // Act
    const files = filesUnder(unpacked);
    // Assess: no test, source, Terraform, node_modules or source map.
    expect(files).toEqual([
      "CHANGELOG.md",
      "LICENSE",
      "README.md",
      "SECURITY.md",
      "dist/cli/root-activity.mjs",
      "package.json",
    ]);
  });
});

describe("the packed manifest", () => {
  it("is publishable: named, this version, not private, Apache-2.0 with the license's full text", () => {
    // Assess
    expect({ name: manifest.name, version: manifest.version, private: manifest.private }).toEqual({
      name: "root-activity",
      version,
      private: undefined,
    });
    expect(manifest.license).toBe("Apache-2.0");
    const license = readFileSync(join(unpacked, "LICENSE"), "utf8");
    expect(license.trim()).toMatch(/^Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain("END OF TERMS AND CONDITIONS");
  });

  it("has a root-activity bin: an executable file that starts with #!/usr/bin/env node", () => {
    // Act
    const bin = manifest.bin?.["root-activity"] ?? "";
    const file = join(unpacked, bin);
    // Assess
    expect(Object.keys(manifest.bin ?? {})).toEqual(["root-activity"]);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o111).toBe(0o111);
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("asks for the Node the bundle is built for (esbuild's target), and no later one", () => {
    // Prepare
    const target = /^node(\d+)$/.exec(String(commonBuildOptions.target))?.[1];
    // Assess
    expect(target).toBeDefined();
    expect(manifest.engines).toEqual({ node: `>=${target}` });
  });

  // npm runs preinstall, install and postinstall of a package installed from the registry, and prepare only for
  // git, file and directory sources (https://docs.npmjs.com/cli/v11/using-npm/scripts#npm-install).
  it("has no runtime dependency and no script that an install from the registry runs", () => {
    // Assess
    for (const field of ["dependencies", "optionalDependencies", "peerDependencies", "bundleDependencies"]) {
      expect({ field, value: manifest[field] ?? {} }).toEqual({ field, value: {} });
    }
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => /^(pre|post)?install$/.test(name))).toEqual(
      [],
    );
  });
});

describe("installed from the tarball into an empty folder", () => {
  it("installs offline and adds no other package", () => {
    // Assess
    expect(install.status, install.stderr).toBe(0);
    expect(readdirSync(join(app, "node_modules")).filter((name) => !name.startsWith("."))).toEqual([
      "root-activity",
    ]);
    expect(readdirSync(join(app, "node_modules/.bin"))).toEqual(["root-activity"]);
  });

  for (const node of nodeRuntimes()) {
    it(`runs on Node ${node.version} (first on PATH): npx root-activity --help, --version, evaluate --report`, () => {
      // Prepare
      const env = userEnv(node.dir);
      // Act
      const shebangNode = run("/usr/bin/env", ["node", "--version"], app, env);
      const help = run("npx", ["--no", "--", "root-activity", "--help"], app, env);
      const versionRun = run("npx", ["--no", "--", "root-activity", "--version"], app, env);
      const evaluate = run(
        "npx",
        [
          "--no",
          "--",
          "root-activity",
          "evaluate",
          "--report",
          SAMPLE_REPORT,
          "--now",
          "2026-11-30T00:00:00Z",
          "--json",
        ],
        app,
        env,
      );
      // Assess
      expect(shebangNode.stdout.trim()).toBe(node.version);
      expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: "" });
      expect(help.stdout).toContain("root-activity evaluate --report <file|->");
      expect({ status: versionRun.status, stdout: versionRun.stdout, stderr: versionRun.stderr }).toEqual({
        status: 0,
        stdout: `${version}\n`,
        stderr: "",
      });
      // The sample's root access key was used 2026-11-17, inside the 30-day window: NON_COMPLIANT, exit 1.
      expect({ status: evaluate.status, stderr: evaluate.stderr }).toEqual({ status: 1, stderr: "" });
      expect(JSON.parse(evaluate.stdout)).toMatchObject({
        complianceType: "NON_COMPLIANT",
        resourceType: "AWS::::Account",
        resourceId: "111122223333",
        reason: "used-in-window",
        lastUse: { credential: "access key 1", at: "2026-11-17T09:12:44.000Z" },
      });
    });
  }
});
