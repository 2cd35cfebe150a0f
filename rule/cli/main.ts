#!/usr/bin/env node
import { VERSION } from "../version.ts";
import { runCli } from "./run.ts";

/**
 * The `root-activity` command: runs the CLI with the process's streams and exits with its status.
 *
 * - A reader that closes early (`| head -n 1`) ends the output quietly: writes to a closed stream are dropped
 *   (Node ignores SIGPIPE and reports EPIPE), and the exit status stays the verdict's.
 * - Ctrl-C ends the process with 130, except while a command that asked for it (the organization scan) can still
 *   print what it found: then the first Ctrl-C stops that command, and a second one ends the process.
 */
const closed = { stdout: false, stderr: false };
const write = (stream: "stdout" | "stderr") => (text: string) => {
  if (!closed[stream]) process[stream].write(`${text}\n`);
};
for (const stream of ["stdout", "stderr"] as const) {
  process[stream].on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed[stream] = true;
  });
}

const interrupt = new AbortController();
let interruptCaught = false;
process.on("SIGINT", () => {
  if (!interruptCaught || interrupt.signal.aborted) process.exit(130);
  interrupt.abort(new DOMException("interrupted (Ctrl-C)", "AbortError"));
});

const status = await runCli(process.argv.slice(2), {
  stdout: write("stdout"),
  stderr: write("stderr"),
  version: VERSION,
  terminal: process.stderr.isTTY
    ? { write: (text) => !closed.stderr && process.stderr.write(text), columns: process.stderr.columns || 80 }
    : undefined,
  catchInterrupt: () => {
    interruptCaught = true;
    return interrupt.signal;
  },
});
process.exitCode = status;
