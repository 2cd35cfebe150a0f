/**
 * The performance budgets `npm run bench` enforces (it exits non-zero when one is missed). Time budgets are
 * ratios of figures measured side by side in the same run, so they hold on a slow or busy machine; memory and
 * call budgets are absolute.
 */

/** One budget, checked. */
export interface BudgetResult {
  readonly id: string;
  readonly what: string;
  /** The limit, as written in docs/benchmarks.md. */
  readonly limit: string;
  /** The figure measured, formatted. */
  readonly measured: string;
  readonly ok: boolean;
}

/** The limits. Changing one is a decision: say why in docs/benchmarks.md (scripts/bench/report.ts). */
export const BUDGETS = {
  /** Fresh process importing dist/lambda/index.mjs vs. importing an empty module, wall time (paired median). */
  coldInitWallRatio: 2.8,
  /** Peak RSS of that process vs. the empty one. */
  coldInitRssRatio: 1.35,
  /** Code Node reads and compiles at init: index.mjs and the chunks it imports statically, KiB. */
  initCodeKiB: 400,
  /** evaluate() first call, 5 000 users vs. 1 user, root row first. */
  evaluation5000vs1: 1.5,
  /**
   * evaluate() first call, 50 000 users, root row first: what it takes more than for 1 user, over one cold
   * Buffer.indexOf of the same 11 MB (the byte scan for a second root row, which evaluate() makes on purpose).
   */
  evaluation50000OverScan: 2,
  /** Peak RSS of a cold first invocation with a 5 000-user report at 128 MB's heap limits, MiB. */
  firstInvocationPeakRssMiB: 80,
  /** Peak RSS growth of evaluate() on a 50 000-user report with the root row last, MiB (no report as objects). */
  evaluationRootLastGrowthMiB: 48,
  /** The whole CLI process on a 5 000-user report with the root row last vs. a 1-user report, wall time. */
  cliRootLast5000vs1: 1.3,
  /** Calls on the fresh-report path: one IAM GetCredentialReport, one Config PutEvaluations. */
  freshPathCalls: 2,
  /** The same for an organization rule: one STS AssumeRole more. */
  freshOrganizationPathCalls: 3,
  /** Handler time with CloudTrail in a clean account (17 regions) vs. the report-only path, same run. */
  cloudTrailCleanVsReportOnly: 4,
  /** Handler time with 1 000 centralized-session events in one region vs. its paced floor (19 intervals). */
  cloudTrailCentralizedVsPacedFloor: 1.15,
} as const;

/** What the budgets are checked against. */
export interface BudgetInputs {
  readonly coldInitWallRatio: number;
  readonly coldInitRssRatio: number;
  readonly initCodeKiB: number;
  readonly evaluation5000vs1: number;
  readonly evaluation50000OverScan: number;
  readonly firstInvocationPeakRssMiB: number;
  readonly evaluationRootLastGrowthMiB: number;
  readonly cliRootLast5000vs1: number;
  readonly freshPathCalls: number;
  readonly freshPathCallsStable: boolean;
  readonly freshOrganizationPathCalls: number;
  readonly freshOrganizationPathCallsStable: boolean;
  readonly cloudTrailCleanCalls: number;
  readonly cloudTrailCleanCallsExpected: number;
  readonly cloudTrailCleanCallsStable: boolean;
  readonly cloudTrailCentralizedCalls: number;
  readonly cloudTrailCentralizedCallsExpected: number;
  readonly cloudTrailCentralizedCallsStable: boolean;
  readonly cloudTrailCleanVsReportOnly: number;
  readonly cloudTrailCentralizedVsPacedFloor: number;
}

/**
 * Checks every budget.
 *
 * @example
 * ```ts
 * const failed = checkBudgets(inputs).filter((b) => !b.ok);
 * ```
 */
export function checkBudgets(m: BudgetInputs): BudgetResult[] {
  const ratio = (v: number) => `${v.toFixed(2)}×`;
  const mib = (v: number) => `${v.toFixed(1)} MiB`;
  return [
    {
      id: "cold-init-wall",
      what: "Cold init wall time, bundle ÷ empty module",
      limit: `≤ ${BUDGETS.coldInitWallRatio}×`,
      measured: ratio(m.coldInitWallRatio),
      ok: m.coldInitWallRatio <= BUDGETS.coldInitWallRatio,
    },
    {
      id: "cold-init-rss",
      what: "Cold init peak RSS, bundle ÷ empty module",
      limit: `≤ ${BUDGETS.coldInitRssRatio}×`,
      measured: ratio(m.coldInitRssRatio),
      ok: m.coldInitRssRatio <= BUDGETS.coldInitRssRatio,
    },
    {
      id: "init-code",
      what: "Code read at init (index.mjs + static chunks)",
      limit: `≤ ${BUDGETS.initCodeKiB} KiB`,
      measured: `${m.initCodeKiB.toFixed(0)} KiB`,
      ok: m.initCodeKiB <= BUDGETS.initCodeKiB,
    },
    {
      id: "evaluation-5000",
      what: "evaluate() first call, 5 000 users ÷ 1 user (root first)",
      limit: `≤ ${BUDGETS.evaluation5000vs1}×`,
      measured: ratio(m.evaluation5000vs1),
      ok: m.evaluation5000vs1 <= BUDGETS.evaluation5000vs1,
    },
    {
      id: "evaluation-50000",
      what: "evaluate() first call, 50 000 users − 1 user (root first) ÷ one cold scan of the 50 000-user report",
      limit: `≤ ${BUDGETS.evaluation50000OverScan}×`,
      measured: ratio(m.evaluation50000OverScan),
      ok: m.evaluation50000OverScan <= BUDGETS.evaluation50000OverScan,
    },
    {
      id: "first-invocation-rss",
      what: "Peak RSS, cold first invocation, 5 000-user report (128 MB heap limits)",
      limit: `≤ ${BUDGETS.firstInvocationPeakRssMiB} MiB`,
      measured: mib(m.firstInvocationPeakRssMiB),
      ok: m.firstInvocationPeakRssMiB <= BUDGETS.firstInvocationPeakRssMiB,
    },
    {
      id: "evaluation-root-last-rss",
      what: "evaluate() peak RSS growth, 50 000 users, root last",
      limit: `≤ ${BUDGETS.evaluationRootLastGrowthMiB} MiB`,
      measured: mib(m.evaluationRootLastGrowthMiB),
      ok: m.evaluationRootLastGrowthMiB <= BUDGETS.evaluationRootLastGrowthMiB,
    },
    {
      id: "cli-root-last",
      what: "CLI process, 5 000 users with the root row last ÷ 1 user",
      limit: `≤ ${BUDGETS.cliRootLast5000vs1}×`,
      measured: ratio(m.cliRootLast5000vs1),
      ok: m.cliRootLast5000vs1 <= BUDGETS.cliRootLast5000vs1,
    },
    exactCalls(
      "fresh-path-calls",
      "API calls, fresh report",
      BUDGETS.freshPathCalls,
      m.freshPathCalls,
      m.freshPathCallsStable,
    ),
    exactCalls(
      "fresh-organization-path-calls",
      "API calls, fresh report, organization rule",
      BUDGETS.freshOrganizationPathCalls,
      m.freshOrganizationPathCalls,
      m.freshOrganizationPathCallsStable,
    ),
    exactCalls(
      "cloudtrail-clean-calls",
      "API calls, fresh report + CloudTrail, clean account, 17 regions",
      m.cloudTrailCleanCallsExpected,
      m.cloudTrailCleanCalls,
      m.cloudTrailCleanCallsStable,
      "2 + ListRegions + ListAccountAliases + 1 per region",
    ),
    exactCalls(
      "cloudtrail-centralized-calls",
      "API calls, fresh report + CloudTrail, 1 000 centralized-session events in one region",
      m.cloudTrailCentralizedCallsExpected,
      m.cloudTrailCentralizedCalls,
      m.cloudTrailCentralizedCallsStable,
      "20 pages there, 1 elsewhere; no throttled retry",
    ),
    {
      id: "cloudtrail-clean-time",
      what: "Handler time, CloudTrail in a clean account ÷ report only",
      limit: `≤ ${BUDGETS.cloudTrailCleanVsReportOnly}×`,
      measured: ratio(m.cloudTrailCleanVsReportOnly),
      ok: m.cloudTrailCleanVsReportOnly <= BUDGETS.cloudTrailCleanVsReportOnly,
    },
    {
      id: "cloudtrail-centralized-time",
      what: "Handler time, 1 000 centralized-session events ÷ the paced floor (19 × the pacing interval)",
      limit: `≤ ${BUDGETS.cloudTrailCentralizedVsPacedFloor}×`,
      measured: ratio(m.cloudTrailCentralizedVsPacedFloor),
      ok: m.cloudTrailCentralizedVsPacedFloor <= BUDGETS.cloudTrailCentralizedVsPacedFloor,
    },
  ];
}

/** A call count that must be exactly `expected`, and the same in every run; `why` says where the number comes from. */
function exactCalls(
  id: string,
  what: string,
  expected: number,
  measured: number,
  stable: boolean,
  why?: string,
): BudgetResult {
  return {
    id,
    what,
    limit: `= ${expected}${why ? ` (${why})` : ""}, same every run`,
    measured: `${measured}${stable ? "" : " (varied)"}`,
    ok: measured === expected && stable,
  };
}
