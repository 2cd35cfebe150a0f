/**
 * `npm run build`: bundles the Lambda (`dist/lambda/index.mjs`, zipped as `dist/lambda.zip` with `index.mjs` at
 * its root) and the CLI (`dist/cli/root-activity.mjs`). Minified ESM with source maps; the zip is deterministic
 * (fixed timestamps), so Terraform's `source_code_hash` changes only when the code does.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build } from "esbuild";
import { zipSync } from "fflate";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

/** Some bundled CommonJS code calls require() for Node built-ins; ESM output needs a real one. */
const requireShim = 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** The bundle settings the benchmark chose (see docs/benchmarks.md). */
export const lambdaBuildOptions: BuildOptions = {
  entryPoints: [join(root, "rule/index.ts")],
  outfile: join(dist, "lambda/index.mjs"),
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

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  await build(lambdaBuildOptions);
  await build({
    ...lambdaBuildOptions,
    entryPoints: [join(root, "rule/cli/main.ts")],
    outfile: join(dist, "cli/root-activity.mjs"),
    // main.ts starts with its own shebang, which esbuild keeps first.
    define: { ROOT_ACTIVITY_VERSION: JSON.stringify(pkg.version) },
  });
  chmodSync(join(dist, "cli/root-activity.mjs"), 0o755);

  const code = readFileSync(join(dist, "lambda/index.mjs"));
  // Fixed date: the same code gives the same zip bytes.
  const zip = zipSync({ "index.mjs": [code, { mtime: new Date("2020-01-01T00:00:00Z"), level: 9 }] });
  writeFileSync(join(dist, "lambda.zip"), zip);
  mkdirSync(dist, { recursive: true });
  const kib = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
  process.stdout.write(
    `built dist/lambda/index.mjs (${kib(join(dist, "lambda/index.mjs"))}), dist/lambda.zip (${kib(join(dist, "lambda.zip"))}), dist/cli/root-activity.mjs\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
