/**
 * esbuild plugins the benchmark picked (docs/benchmarks.md). Most are for the Lambda bundle only: they keep out
 * of its init path what a Lambda function never runs, and the CLI needs the SDK's whole credential chain. The
 * XML parser patch applies to both bundles. `scripts/build.ts` ships them; `scripts/bench/bundle-variants.ts`
 * measures each.
 */
import { join } from "node:path";
import type { Plugin } from "esbuild";

const NAMESPACE = "root-activity-lambda";
/** Where the stubs resolve their own imports from: the repository root (its node_modules). */
const ROOT = join(import.meta.dirname, "..");

/**
 * The SDK's default credential chain, environment first, the rest loaded on demand.
 *
 * Lambda gives the function its execution role's credentials in the environment (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), and the default chain tries the environment first unless
 * `AWS_PROFILE` is set. This provider does the same, but keeps the rest of the chain (profiles, SSO, process,
 * web identity, container and instance metadata) behind a dynamic `import()`: with code splitting it sits in
 * a chunk that is never read unless the environment has no credentials.
 */
const ENV_FIRST_PROVIDER = `
import { fromEnv } from "@aws-sdk/credential-provider-env";
export const defaultProvider = (init = {}) => {
  let chain;
  return async (props) => {
    if (!process.env.AWS_PROFILE && process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY) {
      return fromEnv(init)(props);
    }
    chain ??= import("@aws-sdk/credential-provider-node").then((m) => m.defaultProvider(init));
    return (await chain)(props);
  };
};
`;

/**
 * Loads the SDK's default credential chain only when the environment holds no credentials (see
 * {@link ENV_FIRST_PROVIDER}).
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [envCredentialsFirst()] });
 * ```
 */
export function envCredentialsFirst(): Plugin {
  return {
    name: "env-credentials-first",
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) =>
        // The provider itself imports the real chain: let that one through.
        args.namespace === NAMESPACE ? undefined : { path: "env-first-provider", namespace: NAMESPACE },
      );
      build.onLoad({ filter: /^env-first-provider$/, namespace: NAMESPACE }, () => ({
        contents: ENV_FIRST_PROVIDER,
        loader: "js",
        resolveDir: ROOT,
      }));
    },
  };
}

/**
 * Replaces `bowser`, the browser user-agent parser the SDK's core reaches through a dynamic import that only
 * runs in a browser, with an empty parser.
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [noBrowserUserAgentParser()] });
 * ```
 */
export function noBrowserUserAgentParser(): Plugin {
  return {
    name: "no-browser-user-agent-parser",
    setup(build) {
      build.onResolve({ filter: /^bowser$/ }, () => ({ path: "bowser", namespace: NAMESPACE }));
      build.onLoad({ filter: /^bowser$/, namespace: NAMESPACE }, () => ({
        contents: "export const parse = () => ({}); export default { parse };",
        loader: "js",
      }));
    },
  };
}

/**
 * Keeps only `name` and `version` of the SDK packages' `package.json`, which their code imports whole to read
 * `version` (for the User-Agent header).
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [packageJsonVersionOnly()] });
 * ```
 */
export function packageJsonVersionOnly(): Plugin {
  return {
    name: "package-json-version-only",
    setup(build) {
      build.onLoad(
        { filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ },
        async (args) => {
          const { readFile } = await import("node:fs/promises");
          const pkg = JSON.parse(await readFile(args.path, "utf8")) as { name: string; version: string };
          return { contents: JSON.stringify({ name: pkg.name, version: pkg.version }), loader: "json" };
        },
      );
    },
  };
}

/** The loop of the SDK's XML parser that reads a text node one character at a time. */
const XML_TEXT_LOOP = `                let text = "";
                while (p.i < p.z && p.x[p.i] !== "<") {
                    text += p.x[p.i++];
                }`;

/** The same text, read with one `indexOf` and one `slice`. */
const XML_TEXT_SLICE = `                const end = p.x.indexOf("<", p.i);
                const stop = end === -1 ? p.z : end;
                const text = p.x.slice(p.i, stop);
                p.i = stop;`;

/**
 * Patches the AWS SDK's XML parser (`@aws-sdk/xml-builder`, used for IAM's and STS's query protocol) at build
 * time so that it reads a text node with one `indexOf` and `slice` instead of appending one character at a
 * time. The result is the same string; the per-character appends build a rope of millions of one-character
 * pieces for `GetCredentialReport`'s `Content` (the whole report, base64), which made a 5 000-user report cost
 * about 80 MiB and 300 ms to parse (see docs/benchmarks.md).
 *
 * Fails the build when the parser no longer has that loop (an SDK update): rerun `npm run bench`, then update
 * or drop this patch.
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [sdkXmlTextInOneSlice()] });
 * ```
 */
export function sdkXmlTextInOneSlice(): Plugin {
  return {
    name: "sdk-xml-text-in-one-slice",
    setup(build) {
      build.onLoad(
        { filter: /[\\/]@aws-sdk[\\/]xml-builder[\\/]dist-es[\\/]xml-parser\.js$/ },
        async (args) => {
          const { readFile } = await import("node:fs/promises");
          const source = await readFile(args.path, "utf8");
          if (source.split(XML_TEXT_LOOP).length !== 2) {
            throw new Error(
              `${args.path}: the SDK's XML parser changed (the text loop this build patches is gone); rerun npm run bench and update or drop sdkXmlTextInOneSlice in scripts/lambda-plugins.ts`,
            );
          }
          return { contents: source.replace(XML_TEXT_LOOP, XML_TEXT_SLICE), loader: "js" };
        },
      );
    },
  };
}
