#!/usr/bin/env node
import { runCli } from "./run.ts";

declare const ROOT_ACTIVITY_VERSION: string | undefined;

/** The `root-activity` command. */
const status = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  version: typeof ROOT_ACTIVITY_VERSION === "string" ? ROOT_ACTIVITY_VERSION : undefined,
  terminal: process.stderr.isTTY
    ? { write: (text) => process.stderr.write(text), columns: process.stderr.columns || 80 }
    : undefined,
});
process.exitCode = status;
