// Child of `npm run bench`: imports one module in a fresh Node process and reports what it cost.
// argv: <module URL>. Prints one `@@bench {json}` line.
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
const start = performance.now();
await import(url);
const importMs = performance.now() - start;
const usage = process.resourceUsage();
process.stdout.write(
  `@@bench ${JSON.stringify({
    importMs,
    startMs: start,
    maxRssKiB: peakRssKiB(),
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  })}\n`,
);
