/**
 * Bundles the Lambda (`lambda/index.mjs` and its lazily loaded `chunks/`, zipped as `lambda.zip` with `index.mjs`
 * at its root) and the CLI (`cli/root-activity.mjs`). Minified ESM with source maps (left out of the zip).
 *
 * - `npm run build` (no option): into `dist/`, then copies `dist/lambda.zip` to the committed
 *   `terraform/modules/evaluator/lambda.zip`, the function code the Terraform modules deploy.
 * - `--dist-only` (`npm start`, `npm test`, `npm pack`): into `dist/` only; the committed zip is left alone, so
 *   test/artifact.test.ts can tell when it no longer matches the source.
 * - `--out-dir <dir>`: into `<dir>` only (the artifact test's fresh build).
 *
 * The build is reproducible: the same source gives the same bytes whatever the directory, the working directory,
 * the time zone or the locale (no absolute path in a bundle, fixed zip timestamps and file modes, entries in code
 * point order), so the committed zip changes, and Terraform's `source_code_hash` with it, only when the code does.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BuildOptions, build } from "esbuild";
import { zipSync } from "fflate";
import {
  envCredentialsFirst,
  noBrowserUserAgentParser,
  packageJsonVersionOnly,
  sdkXmlTextInOneSlice,
} from "./lambda-plugins.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

/**
 * The function code the Terraform modules deploy by default, committed so that a `git::` module source needs no
 * Node: `npm run build` rewrites it, test/artifact.test.ts fails when it differs from a fresh build.
 */
export const COMMITTED_LAMBDA_ZIP = join(root, "terraform/modules/evaluator/lambda.zip");

/** Some bundled CommonJS code calls require() for Node built-ins; ESM output needs a real one. */
export const requireShim =
  'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** The Lambda's entry module (exports `handler`). */
export const lambdaEntry = join(root, "rule/index.ts");

/** What every bundle of this repository shares, the Lambda's and the CLI's. */
export const commonBuildOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  // Runs on nodejs22.x in Lambda and on Node 20 here.
  target: "node20",
  minify: true,
  // Error class names are part of the contract (logs, tests, Config's failure message).
  keepNames: true,
  sourcemap: true,
  legalComments: "none",
  mainFields: ["module", "main"],
  banner: { js: requireShim },
  // The release's version (package.json), read by rule/version.ts: the CLI's --version, the function's log lines.
  define: { ROOT_ACTIVITY_VERSION: JSON.stringify(pkg.version) },
  // Paths in source maps and chunk names are relative to the repository, whichever directory the build runs from.
  absWorkingDir: root,
  logLevel: "warning",
};

/**
 * The bundle settings the benchmark chose (`split-trimmed-xml` in docs/benchmarks.md): code splitting, so what
 * the SDK reaches only through `import()` lands in chunks that init never reads; the SDK's credential chain
 * beyond the environment's made one of those chunks; no browser user-agent parser; the SDK's XML parser patched
 * to read a text node in one slice. `index.mjs` exports `handler`; chunks go to `chunks/`.
 */
export const lambdaBuildOptions: BuildOptions = {
  ...commonBuildOptions,
  entryPoints: [lambdaEntry],
  outdir: join(dist, "lambda"),
  entryNames: "index",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  splitting: true,
  plugins: [
    envCredentialsFirst(),
    noBrowserUserAgentParser(),
    packageJsonVersionOnly(),
    sdkXmlTextInOneSlice(),
  ],
};

/**
 * The CLI: one executable file, `cli/root-activity.mjs`, what the npm package ships. The SDK's whole credential
 * chain (profiles, SSO): only the XML parser patch applies. rule/cli/main.ts starts with its own shebang, which
 * esbuild keeps first.
 */
export const cliBuildOptions: BuildOptions = {
  ...commonBuildOptions,
  entryPoints: [join(root, "rule/cli/main.ts")],
  outfile: join(dist, "cli/root-activity.mjs"),
  plugins: [sdkXmlTextInOneSlice()],
};

/**
 * Every zip entry's modification time. A zip stores local date and time fields, and fflate fills them from the
 * Date's local-time getters: a Date made from local fields reads the same in every time zone (an instant such as
 * `2020-01-01T00:00:00Z` would not: the zip's bytes would change with `TZ`).
 */
const ZIP_ENTRY_TIME = new Date(2020, 0, 1, 0, 0, 0);

/** Unix file mode of every entry (`os` 3): a regular file, `rw-r--r--`, the world-readable mode Lambda needs. */
const ZIP_ENTRY_ATTRS = (0o100644 << 16) >>> 0;

/**
 * A deterministic zip of every `.mjs` under `dir` (source maps left out), paths relative to `dir`: the Lambda
 * deployment package, `index.mjs` at its root. Entries in code point order of their path (not the locale's),
 * each with the same time and mode.
 *
 * @example
 * ```ts
 * writeFileSync("dist/lambda.zip", lambdaZip("dist/lambda"));
 * ```
 */
export function lambdaZip(dir: string): Uint8Array {
  const paths: string[] = [];
  // Not readdirSync's `recursive`, which follows symbolic links (a bench variant links node_modules beside its code).
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith(".mjs"))
        paths.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number; level: 9 }]> = {};
  for (const path of paths) {
    files[path] = [
      readFileSync(join(dir, path)),
      { mtime: ZIP_ENTRY_TIME, os: 3, attrs: ZIP_ENTRY_ATTRS, level: 9 },
    ];
  }
  return zipSync(files);
}

/** What {@link buildInto} wrote. */
export interface BuildOutputs {
  /** The Lambda's entry module; its chunks are beside it under `chunks/`. */
  readonly lambdaEntry: string;
  /** The Lambda deployment package. */
  readonly lambdaZip: string;
  /** The CLI, one executable file. */
  readonly cli: string;
}

/**
 * Runs esbuild as if writing into `dist/` and writes what it gives under `outDir` instead. A bundle's bytes then
 * never depend on where it is written: the source maps hold paths relative to their own directory, and esbuild's
 * chunk names hash the maps too, so an esbuild `outdir` elsewhere (a temporary directory) would rename every chunk.
 * Source maps written outside `dist/` point as if they were in `dist/`.
 */
async function buildAsIfInDist(options: BuildOptions, outDir: string): Promise<void> {
  const { outputFiles } = await build({ ...options, write: false });
  for (const file of outputFiles) {
    const path = join(outDir, relative(dist, file.path));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
  }
}

/**
 * Builds both bundles and the Lambda zip into `outDir` (`dist/` by default): `lambda/`, `lambda.zip`,
 * `cli/root-activity.mjs`, the same bytes whatever `outDir` is. What a former build left there is removed first;
 * nothing else in `outDir` is touched.
 *
 * @example
 * ```ts
 * const { lambdaZip } = await buildInto(mkdtempSync(join(tmpdir(), "build-")));
 * ```
 */
export async function buildInto(outDir: string = dist): Promise<BuildOutputs> {
  const out = resolve(outDir);
  const lambdaDir = join(out, "lambda");
  const cli = join(out, "cli/root-activity.mjs");
  const zip = join(out, "lambda.zip");
  for (const former of [lambdaDir, dirname(cli), zip]) rmSync(former, { recursive: true, force: true });
  await buildAsIfInDist(lambdaBuildOptions, out);
  await buildAsIfInDist(cliBuildOptions, out);
  chmodSync(cli, 0o755);
  writeFileSync(zip, lambdaZip(lambdaDir));
  return { lambdaEntry: join(lambdaDir, "index.mjs"), lambdaZip: zip, cli };
}

/**
 * Copies the built zip to {@link COMMITTED_LAMBDA_ZIP} when its bytes differ, and says which happened.
 *
 * @example
 * ```ts
 * updateCommittedZip("dist/lambda.zip"); // "updated" or "unchanged"
 * ```
 */
export function updateCommittedZip(builtZip: string): "updated" | "unchanged" {
  const bytes = readFileSync(builtZip);
  if (existsSync(COMMITTED_LAMBDA_ZIP) && readFileSync(COMMITTED_LAMBDA_ZIP).equals(bytes))
    return "unchanged";
  mkdirSync(dirname(COMMITTED_LAMBDA_ZIP), { recursive: true });
  writeFileSync(COMMITTED_LAMBDA_ZIP, bytes);
  return "updated";
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "dist-only": { type: "boolean", default: false }, "out-dir": { type: "string" } },
  });
  const built = await buildInto(values["out-dir"]);
  const shown = (path: string) => relative(process.cwd(), path) || ".";
  const kib = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
  const lines = [
    `built ${shown(built.lambdaEntry)} (${kib(built.lambdaEntry)}), ${shown(built.lambdaZip)} (${kib(built.lambdaZip)}), ${shown(built.cli)}`,
  ];
  if (!values["dist-only"] && values["out-dir"] === undefined) {
    const committed = updateCommittedZip(built.lambdaZip);
    lines.push(
      committed === "updated"
        ? `updated ${shown(COMMITTED_LAMBDA_ZIP)}: commit it (the Terraform modules deploy it)`
        : `${shown(COMMITTED_LAMBDA_ZIP)} unchanged`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
