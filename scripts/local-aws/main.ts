/**
 * Runs the local AWS server standalone and prints the environment to export, for manual use
 * with the real AWS CLI. Stops on Ctrl-C.
 *
 * @example
 * ```sh
 * npx tsx scripts/local-aws/main.ts --port 4566
 * # in another shell, paste the printed export lines, then:
 * aws iam generate-credential-report && aws iam get-credential-report
 * ```
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startLocalAws } from "./server.ts";

/**
 * Quotes a value for a POSIX shell.
 *
 * @example
 * ```ts
 * shellQuote("a'b"); // "'a'\\''b'"
 * ```
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Parses the command line (`--port N`), starts the server and prints `export` lines.
 *
 * @example
 * ```ts
 * await main(["--port", "4566"]);
 * ```
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: "string", default: "0" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad --port: ${values.port}`);
  const aws = await startLocalAws({ port });
  const lines = [
    `# local AWS (IAM credential report, STS, Config) on ${aws.url}; home account ${aws.homeAccountId}`,
    ...Object.entries(aws.env).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    "unset AWS_PROFILE AWS_MAX_ATTEMPTS",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const stop = (): void => {
    void aws.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
