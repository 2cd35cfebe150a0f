// Child of `npm run bench`: evaluate() on one credential report file, in a fresh process.
// argv: <evaluate bundle URL> <report path> <now ISO> <warm runs> <mode: evaluate | parse-all>.
// "parse-all" parses the whole report into row arrays instead: the reference for "holds the report as objects".
// Prints one `@@bench {json}` line.
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

const [url, reportPath, nowIso, warmRuns, mode] = process.argv.slice(2);
const module = await import(url);
const params = { lookbackDays: 30, failOnActiveAccessKeys: false, executionRoleName: undefined };
const now = new Date(nowIso);
const report = readFileSync(reportPath);
const run =
  mode === "parse-all"
    ? () => module.parse(report, { bom: true, skip_empty_lines: true }).length
    : () => module.evaluate(report, now, params).complianceType;

const rssBeforeKiB = peakRssKiB();
const start = performance.now();
const outcome = run();
const firstMs = performance.now() - start;
const rssGrowthKiB = peakRssKiB() - rssBeforeKiB;
// One cold Buffer.indexOf over a fresh copy of the same bytes, for a byte string that is not there: the scan for
// a second root row that evaluate() makes on purpose, on memory as cold as the report's was at its first call.
const copy = readFileSync(reportPath);
const scanStart = performance.now();
copy.indexOf("\u0000<root_account>\u0000");
const scanMs = performance.now() - scanStart;
const warm = [];
for (let i = 0; i < Number(warmRuns); i++) {
  const t = performance.now();
  run();
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
process.stdout.write(
  `@@bench ${JSON.stringify({
    firstMs,
    scanMs,
    warmMs: warm.length ? warm[Math.floor(warm.length / 2)] : null,
    reportBytes: report.byteLength,
    rssBeforeKiB,
    rssGrowthKiB,
    outcome,
  })}\n`,
);
