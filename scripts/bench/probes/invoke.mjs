// Child of `npm run bench`: a cold start and one invocation, as Lambda does it: import the bundle, call its
// handler once with the Config event in BENCH_EVENT. argv: <bundle URL>. Prints one `@@bench {json}` line.
import { readFileSync } from "node:fs";

// Peak RSS of this process in KiB: VmHWM, the high-water mark of this process's own memory. Not
// resourceUsage().maxRSS: on Linux that also counts the parent's RSS at fork time, carried over exec.
function peakRssKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}

const url = process.argv[2];
const event = JSON.parse(process.env.BENCH_EVENT ?? "{}");
const start = performance.now();
const { handler } = await import(url);
const imported = performance.now();
const rssAfterImportKiB = peakRssKiB();
const deadline = Date.now() + 60_000;
let outcome;
try {
  const result = await handler(event, {
    awsRequestId: "bench",
    functionName: "root-activity",
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
  outcome = result.complianceType;
} catch (error) {
  outcome = `error ${error?.name}`;
}
const done = performance.now();
const usage = process.resourceUsage();
process.stdout.write(
  `@@bench ${JSON.stringify({
    importMs: imported - start,
    handlerMs: done - imported,
    startMs: start,
    rssAfterImportKiB,
    maxRssKiB: peakRssKiB(),
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    outcome,
  })}\n`,
);
// The SDK keeps sockets alive; a Lambda would freeze here. Leave now.
process.exit(0);
