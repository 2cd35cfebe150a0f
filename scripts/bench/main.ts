/**
 * `npm run bench` (after `npm run build`): measures the built Lambda bundle — cold init, first invocation,
 * evaluation vs. report size, API calls, bundle size — and every bundling strategy side by side; prints the
 * headline table, writes docs/benchmarks.md and exits non-zero when a budget (budgets.ts) is missed.
 *
 * Options: `--quick` (fewer rounds: a smoke run, figures are rougher), `--write` (rewrite docs/benchmarks.md with
 * the figures of this run; without it the tracked document is left alone).
 * Every figure is a median over fresh processes; figures that are compared are measured in the same rounds.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { lambdaZip } from "../build.ts";
import { startLocalAws } from "../local-aws/server.ts";
import { countApiCalls } from "./api-calls.ts";
import { type BudgetInputs, checkBudgets } from "./budgets.ts";
import { BUNDLE_VARIANTS, type BuiltVariant, buildVariant, initCodeBytes } from "./bundle-variants.ts";
import { measureCli } from "./cli-process.ts";
import { expectedCloudTrailCalls, pacedFloorMs } from "./cloudtrail.ts";
import { measureColdInit, pairedRatio, writeEmptyModule } from "./cold-init.ts";
import { measureEvaluation } from "./evaluation.ts";
import { LAMBDA_MEMORY_MB, measureInvocations, SCENARIOS } from "./first-invocation.ts";
import { mib } from "./measure.ts";
import { BASELINE_VARIANT, type BenchResults, consoleSummary, markdownReport } from "./report.ts";

const ROOT = join(import.meta.dirname, "../..");
const DIST_LAMBDA = join(ROOT, "dist/lambda");
const DIST_CLI = join(ROOT, "dist/cli/root-activity.mjs");
const DOC = join(ROOT, "docs/benchmarks.md");

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const rounds = quick
  ? { coldInit: 5, invocation: 3, reportSize: 2, evaluation: 2, apiCalls: 1, cli: 5, cloudTrail: 1 }
  : { coldInit: 15, invocation: 9, reportSize: 5, evaluation: 5, apiCalls: 2, cli: 15, cloudTrail: 3 };

const log = (text: string) => process.stderr.write(`${text}\n`);

function scenario(id: string) {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(`no ${id} scenario`);
  return found;
}

if (!existsSync(join(DIST_LAMBDA, "index.mjs")) || !existsSync(DIST_CLI)) {
  log("dist/ is missing: run `npm run build` first (`npm run bench` does).");
  process.exit(2);
}

const started = Date.now();
const workDir = mkdtempSync(join(tmpdir(), "root-activity-bench-"));
// Measure a copy: a concurrent `npm run build` elsewhere in the tree must not pull the bundle from under us.
const distCopy = join(workDir, "dist-lambda");
cpSync(DIST_LAMBDA, distCopy, { recursive: true });
const DIST_BUNDLE = join(distCopy, "index.mjs");
const aws = await startLocalAws();
try {
  log(`bench: ${quick ? "quick" : "full"} run, work dir ${workDir}`);

  log("building the bundling strategies…");
  const variants: BuiltVariant[] = [];
  for (const variant of BUNDLE_VARIANTS)
    variants.push(await buildVariant(variant, join(workDir, "variants")));

  log(`cold init: ${rounds.coldInit} rounds × ${variants.length + 2} modules…`);
  const empty = writeEmptyModule(workDir);
  const coldInit = await measureColdInit(
    [
      { id: "empty", path: empty },
      { id: "dist", path: DIST_BUNDLE },
      ...variants.map((v) => ({ id: v.variant.id, path: v.entry })),
    ],
    rounds.coldInit,
  );

  const fresh = scenario("fresh");
  log(`first invocation: ${rounds.invocation} rounds × ${variants.length + 1} bundles…`);
  const invocations = await measureInvocations(
    aws,
    [
      { id: "dist", bundle: DIST_BUNDLE, scenario: fresh },
      ...variants.map((v) => ({ id: v.variant.id, bundle: v.entry, scenario: fresh })),
    ],
    rounds.invocation,
  );

  log(`first invocation vs. report size: ${rounds.reportSize} rounds…`);
  const before = variants.find((v) => v.variant.id === BASELINE_VARIANT);
  if (!before) throw new Error(`no ${BASELINE_VARIANT} variant`);
  const bySize = await measureInvocations(
    aws,
    [
      ...[1, 5_000, 20_000, 50_000].map((users) => ({
        id: `dist-${users}`,
        bundle: DIST_BUNDLE,
        scenario: fresh,
        users,
      })),
      // The build before this benchmark runs out of memory well before 50 000 users at 128 MB.
      ...[5_000, 20_000].map((users) => ({
        id: `before-${users}`,
        bundle: before.entry,
        scenario: fresh,
        users,
      })),
    ],
    rounds.reportSize,
  );

  log(`CloudTrail: ${rounds.cloudTrail} rounds × 3 scenarios…`);
  const cloudTrail = await measureInvocations(
    aws,
    ["fresh", "cloudtrail-clean", "cloudtrail-centralized"].map((id) => ({
      id,
      bundle: DIST_BUNDLE,
      scenario: scenario(id),
    })),
    rounds.cloudTrail,
  );

  log("API calls per scenario…");
  const apiCalls = await countApiCalls(aws, DIST_BUNDLE, rounds.apiCalls);

  log(`evaluation vs. report size: ${rounds.evaluation} rounds…`);
  const evaluation = await measureEvaluation(workDir, rounds.evaluation);

  log(`CLI process vs. report size: ${rounds.cli} rounds…`);
  const cli = await measureCli(DIST_CLI, workDir, rounds.cli);

  const results: BenchResults = {
    quick,
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${process.arch}, Node ${process.version}`,
    rounds,
    coldInit,
    invocations,
    bySize,
    apiCalls,
    evaluation,
    cli,
    cloudTrail,
    variants,
    // The zip is rebuilt from the copy: the build's zip is deterministic, the bytes are the same.
    bundle: {
      bytes: statSync(DIST_BUNDLE).size,
      initBytes: initCodeBytes(DIST_BUNDLE),
      zipBytes: lambdaZip(distCopy).byteLength,
    },
    memorySizeMb: LAMBDA_MEMORY_MB,
    budgets: [],
    seconds: 0,
  };

  const get = <T extends { id: string }>(list: readonly T[], id: string): T => {
    const found = list.find((item) => item.id === id);
    if (!found) throw new Error(`missing result ${id}`);
    return found;
  };
  const evalCase = (id: string) => {
    const found = evaluation.find((e) => e.case.id === id);
    if (!found) throw new Error(`missing evaluation ${id}`);
    return found;
  };
  const cliCase = (id: string) => {
    const found = cli.find((c) => c.case.id === id);
    if (!found) throw new Error(`missing CLI case ${id}`);
    return found;
  };
  const freshCalls = apiCalls.find((c) => c.scenario === "fresh");
  const orgCalls = apiCalls.find((c) => c.scenario === "fresh-organization");
  const cleanCalls = apiCalls.find((c) => c.scenario === "cloudtrail-clean");
  const busyCalls = apiCalls.find((c) => c.scenario === "cloudtrail-centralized");
  const inputs: BudgetInputs = {
    coldInitWallRatio: pairedRatio(get(coldInit, "dist"), get(coldInit, "empty"), (s) => s.wallMs),
    coldInitRssRatio: pairedRatio(get(coldInit, "dist"), get(coldInit, "empty"), (s) => s.maxRssKiB),
    initCodeKiB: results.bundle.initBytes / 1024,
    evaluation5000vs1: evalCase("5000-first").firstMs / evalCase("1-first").firstMs,
    evaluation50000OverScan:
      (evalCase("50000-first").firstMs - evalCase("1-first").firstMs) / evalCase("50000-first").scanMs,
    firstInvocationPeakRssMiB: mib(get(bySize, "dist-5000").maxRssKiB),
    evaluationRootLastGrowthMiB: mib(evalCase("50000-last").rssGrowthKiB),
    cliRootLast5000vs1: cliCase("5000-last").wallMs / cliCase("1").wallMs,
    freshPathCalls: freshCalls?.total ?? Number.NaN,
    freshPathCallsStable: freshCalls?.stable ?? false,
    freshOrganizationPathCalls: orgCalls?.total ?? Number.NaN,
    freshOrganizationPathCallsStable: orgCalls?.stable ?? false,
    cloudTrailCleanCalls: cleanCalls?.total ?? Number.NaN,
    cloudTrailCleanCallsExpected: expectedCloudTrailCalls("cloudtrail-clean"),
    cloudTrailCleanCallsStable: cleanCalls?.stable ?? false,
    cloudTrailCentralizedCalls: busyCalls?.total ?? Number.NaN,
    cloudTrailCentralizedCallsExpected: expectedCloudTrailCalls("cloudtrail-centralized"),
    cloudTrailCentralizedCallsStable: busyCalls?.stable ?? false,
    cloudTrailCleanVsReportOnly:
      get(cloudTrail, "cloudtrail-clean").handlerMs / get(cloudTrail, "fresh").handlerMs,
    cloudTrailCentralizedVsPacedFloor: get(cloudTrail, "cloudtrail-centralized").handlerMs / pacedFloorMs(),
  };
  const budgets = checkBudgets(inputs);
  const final: BenchResults = { ...results, budgets, seconds: (Date.now() - started) / 1000 };

  process.stdout.write(consoleSummary(final));
  if (args.has("--write")) {
    mkdirSync(dirname(DOC), { recursive: true });
    writeFileSync(DOC, markdownReport(final));
    log(`wrote ${DOC}`);
  }
  const missed = budgets.filter((b) => !b.ok);
  if (missed.length > 0) {
    log(`budget missed: ${missed.map((b) => `${b.what} ${b.measured} (limit ${b.limit})`).join("; ")}`);
    process.exitCode = 1;
  }
} finally {
  await aws.close();
  rmSync(workDir, { recursive: true, force: true });
}
