/**
 * `npm test`'s Node 22 pass: runs the wire tests of the built Lambda bundle and the CLI tests (vitest.node22.config.ts)
 * with vitest itself under Node 22, so the bundle is imported, and the CLI's child processes run, on the runtime
 * Lambda's nodejs22.x runs. Fails on linux-x64 when Node 22 is missing; elsewhere says it skips, and why.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findNode22 } from "./binary.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const node22 = findNode22(process.env, process.platform, process.arch);
if (!node22.found) {
  if (node22.required) {
    process.stderr.write(`Node 22 pass: cannot run: ${node22.why}\n`);
    process.exit(1);
  }
  process.stdout.write(`Node 22 pass: SKIPPED: ${node22.why}\n`);
  process.exit(0);
}

const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
process.stdout.write(`Node 22 pass: ${node22.version} from ${node22.from} (${node22.path})\n`);
const child = spawn(
  node22.path,
  [vitest, "run", "--config", "vitest.node22.config.ts", ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
