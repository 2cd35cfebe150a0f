/**
 * `npm run build`: bundles the Lambda (`dist/lambda/index.mjs` and its lazily loaded `chunks/`, zipped as
 * `dist/lambda.zip` with `index.mjs` at its root) and the CLI (`dist/cli/root-activity.mjs`). Minified ESM with
 * source maps (left out of the zip); the zip is deterministic (fixed timestamps), so Terraform's
 * `source_code_hash` changes only when the code does.
 */
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
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
 * A deterministic zip of every `.mjs` under `dir` (source maps left out), paths relative to `dir`: the Lambda
 * deployment package, `index.mjs` at its root.
 *
 * @example
 * ```ts
 * writeFileSync("dist/lambda.zip", lambdaZip("dist/lambda"));
 * ```
 */
export function lambdaZip(dir: string): Uint8Array {
  const files: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".mjs")) {
        // Fixed date: the same code gives the same zip bytes.
        files[relative(dir, path).split(sep).join("/")] = [
          readFileSync(path),
          { mtime: new Date("2020-01-01T00:00:00Z"), level: 9 },
        ];
      }
    }
  };
  walk(dir);
  return zipSync(files);
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  await build(lambdaBuildOptions);
  await build({
    ...commonBuildOptions,
    entryPoints: [join(root, "rule/cli/main.ts")],
    outfile: join(dist, "cli/root-activity.mjs"),
    // One file, the SDK's whole credential chain (profiles, SSO): only the XML parser patch applies.
    plugins: [sdkXmlTextInOneSlice()],
    // main.ts starts with its own shebang, which esbuild keeps first.
    define: { ROOT_ACTIVITY_VERSION: JSON.stringify(pkg.version) },
  });
  chmodSync(join(dist, "cli/root-activity.mjs"), 0o755);

  writeFileSync(join(dist, "lambda.zip"), lambdaZip(join(dist, "lambda")));
  const kib = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
  process.stdout.write(
    `built dist/lambda/index.mjs (${kib(join(dist, "lambda/index.mjs"))}), dist/lambda.zip (${kib(join(dist, "lambda.zip"))}), dist/cli/root-activity.mjs\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
