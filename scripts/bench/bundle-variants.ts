/**
 * The bundling strategies the benchmark compares. Each is built with esbuild into a temporary directory (never
 * `dist/`) and measured side by side with the others; the winner's settings are what `scripts/build.ts` ships.
 * Strategies that would need code changes in `rule/` are measured by applying the change at build time with an
 * esbuild plugin, and reported as proposals.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { commonBuildOptions, lambdaEntry, lambdaZip } from "../build.ts";
import {
  envCredentialsFirst,
  noBrowserUserAgentParser,
  packageJsonVersionOnly,
  sdkXmlTextInOneSlice,
} from "../lambda-plugins.ts";

const ROOT = join(import.meta.dirname, "../..");

export interface BundleVariant {
  readonly id: string;
  /** What was tried, in a few words. */
  readonly summary: string;
  /** Set when the variant may not ship whatever its figures: why. */
  readonly notShippable?: string;
  /** Set when the variant applies a change to `rule/` at build time: the change to propose. */
  readonly proposal?: string;
  /** esbuild settings on top of the shared ones and the output layout. */
  readonly options: BuildOptions;
  /** Resolve bare imports left external from this repository's node_modules at run time. */
  readonly needsNodeModules?: boolean;
}

/** Output layout shared by every variant: `index.mjs`, chunks (when split) under `chunks/`. */
const layout: BuildOptions = {
  entryPoints: [lambdaEntry],
  entryNames: "index",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
};

const trimPlugins = (): Plugin[] => [
  envCredentialsFirst(),
  noBrowserUserAgentParser(),
  packageJsonVersionOnly(),
];

/**
 * Rewrites `rule/aws/sts.ts` at build time so that `@aws-sdk/client-sts` is imported on the first
 * AssumeRole, not at init (only organization rules assume a role). Fails the build when the source no longer
 * has the lines it rewrites.
 */
function lazyStsPlugin(): Plugin {
  return {
    name: "lazy-sts",
    setup(b) {
      b.onLoad({ filter: /[\\/]rule[\\/]aws[\\/]sts\.ts$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        const edits: Array<[string, string]> = [
          [
            'import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";',
            'import type { STSClient } from "@aws-sdk/client-sts";',
          ],
          [
            "export function createStsClient(settings: ClientSettings = CLIENT_SETTINGS, maxAttempts = 3): STSClient {\n  return new STSClient(",
            'export async function createStsClient(settings: ClientSettings = CLIENT_SETTINGS, maxAttempts = 3): Promise<STSClient> {\n  const { STSClient } = await import("@aws-sdk/client-sts");\n  return new STSClient(',
          ],
          [
            "function sharedSts(): STSClient {\n  sts ??= createStsClient();",
            "async function sharedSts(): Promise<STSClient> {\n  sts ??= await createStsClient();",
          ],
          [
            "const client = input.client ?? sharedSts();",
            "const client = input.client ?? (await sharedSts());",
          ],
          ["new AssumeRoleCommand({", 'new (await import("@aws-sdk/client-sts")).AssumeRoleCommand({'],
          [
            "const sts = input.client ?? createStsClient();",
            "const sts = input.client ?? (await createStsClient());",
          ],
          [
            "new GetCallerIdentityCommand({})",
            'new (await import("@aws-sdk/client-sts")).GetCallerIdentityCommand({})',
          ],
        ];
        let contents = source;
        for (const [from, to] of edits) {
          if (!contents.includes(from)) throw new Error(`lazy-sts: ${args.path} no longer contains ${from}`);
          contents = contents.replace(from, to);
        }
        return { contents, loader: "ts" };
      });
    },
  };
}

/**
 * Replaces `rule/logger.ts` (Powertools Logger) with a bare JSON line writer: not a proposal as such, it
 * measures what the Powertools logger costs at init, the most any change to how it is loaded could save.
 */
function bareLoggerPlugin(): Plugin {
  const contents = `
const service = process.env.POWERTOOLS_SERVICE_NAME ?? "root-activity";
const write = (level, message, extra) =>
  process.stdout.write(JSON.stringify({ level, message, timestamp: new Date().toISOString(), service, ...extra }) + "\\n");
export const logger = {
  info: (message, extra) => write("INFO", message, extra),
  error: (message, extra) => write("ERROR", message, extra),
  debug: () => {},
};
`;
  return {
    name: "bare-logger",
    setup(b) {
      b.onLoad({ filter: /[\\/]rule[\\/]logger\.ts$/ }, () => ({ contents, loader: "js" }));
    },
  };
}

/** Every strategy tried, the one before this work first. */
export const BUNDLE_VARIANTS: readonly BundleVariant[] = [
  {
    id: "single-minified",
    summary: "one minified file (the build before this benchmark)",
    options: {},
  },
  {
    id: "single-unminified",
    summary: "one file, not minified",
    options: { minify: false },
  },
  {
    id: "single-cjs-dist",
    summary: "one minified file from the SDK's CommonJS builds (esbuild's default `main` first)",
    options: { mainFields: ["main", "module"] },
  },
  {
    id: "single-trimmed",
    summary:
      "one minified file; credential chain beyond the environment loaded on demand, no browser UA parser, package.json trimmed to its version",
    options: { plugins: trimPlugins() },
  },
  {
    id: "single-xml-patched",
    summary: "one minified file; the SDK's XML parser reads text nodes in one slice (build-time patch)",
    options: { plugins: [sdkXmlTextInOneSlice()] },
  },
  {
    id: "split",
    summary: "code splitting: what the SDK loads with `import()` goes to chunks that init never reads",
    options: { splitting: true },
  },
  {
    id: "split-trimmed",
    summary: "code splitting + the trims (the credential chain beyond the environment becomes a lazy chunk)",
    options: { splitting: true, plugins: trimPlugins() },
  },
  {
    id: "split-trimmed-xml",
    summary: "code splitting + the trims + the XML parser patch",
    options: { splitting: true, plugins: [...trimPlugins(), sdkXmlTextInOneSlice()] },
  },
  {
    id: "split-trimmed-xml-lazy-sts",
    summary: "split-trimmed-xml + `@aws-sdk/client-sts` imported on the first AssumeRole (rule/ change)",
    proposal:
      'rule/aws/sts.ts: `import type { STSClient }` at the top and `const { AssumeRoleCommand, STSClient } = await import("@aws-sdk/client-sts")` in assumeMemberRole, so single-account rules never load STS',
    options: { splitting: true, plugins: [...trimPlugins(), sdkXmlTextInOneSlice(), lazyStsPlugin()] },
  },
  {
    id: "split-trimmed-xml-bare-logger",
    summary:
      "split-trimmed-xml with Powertools Logger replaced by a bare JSON writer (measures the logger's share)",
    notShippable:
      "drops Powertools (log format, levels, Lambda context keys); measured to size the logger's cost",
    options: { splitting: true, plugins: [...trimPlugins(), sdkXmlTextInOneSlice(), bareLoggerPlugin()] },
  },
  {
    id: "runtime-sdk",
    summary:
      "`@aws-sdk/*` and `@smithy/*` left external, loaded unbundled from node_modules as the runtime's SDK would be",
    notShippable:
      "the runtime's SDK version is not published and changes under the function; DEVELOPERS guidance is to bundle our own pinned SDK",
    options: { external: ["@aws-sdk/*", "@smithy/*"] },
    needsNodeModules: true,
  },
];

/** A variant, built. */
export interface BuiltVariant {
  readonly variant: BundleVariant;
  /** `index.mjs`, the module Lambda imports. */
  readonly entry: string;
  /** Size of `index.mjs`. */
  readonly entryBytes: number;
  /** Size of the code read at init: `index.mjs` and the chunks it imports statically. */
  readonly initBytes: number;
  /** Size of every `.mjs` of the bundle. */
  readonly totalBytes: number;
  /** Size of the deployment zip (every `.mjs`). */
  readonly zipBytes: number;
  readonly files: number;
}

/**
 * Builds `variant` into `dir/<id>/` with the shared settings, and sizes it.
 *
 * @example
 * ```ts
 * const built = await buildVariant(BUNDLE_VARIANTS[0], "/tmp/bench/variants");
 * ```
 */
export async function buildVariant(variant: BundleVariant, dir: string): Promise<BuiltVariant> {
  const outdir = join(dir, variant.id);
  mkdirSync(outdir, { recursive: true });
  if (variant.needsNodeModules) symlinkSync(join(ROOT, "node_modules"), join(outdir, "node_modules"), "dir");
  await build({
    ...commonBuildOptions,
    ...layout,
    ...variant.options,
    outdir,
    logLevel: "error",
  });
  const files = readdirSync(outdir, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".mjs") && !f.startsWith("node_modules"),
  );
  return {
    variant,
    entry: join(outdir, "index.mjs"),
    entryBytes: statSync(join(outdir, "index.mjs")).size,
    initBytes: initCodeBytes(join(outdir, "index.mjs")),
    totalBytes: files.reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0),
    zipBytes: lambdaZip(outdir).byteLength,
    files: files.length,
  };
}

/**
 * Bytes Node reads at init when it imports `entry`: the file and every file it imports statically, followed
 * through relative `import … from "./x"` (and bare `import "./x"`); `import("./x")` is not followed.
 *
 * @example
 * ```ts
 * initCodeBytes("dist/lambda/index.mjs"); // index.mjs + its static chunks
 * ```
 */
export function initCodeBytes(entry: string): number {
  const seen = new Set<string>();
  const visit = (file: string): number => {
    if (seen.has(file)) return 0;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    let bytes = Buffer.byteLength(code);
    for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\.?\/[^"']+)["']/g)) {
      bytes += visit(resolve(dirname(file), match[1] as string));
    }
    return bytes;
  };
  return visit(resolve(entry));
}
