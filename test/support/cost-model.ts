/**
 * What the examples cost per month, line by line, from AWS's public prices (us-east-1, the region the benchmark
 * priced), the benchmark's figures (docs/benchmarks.md, written by `npm run bench -- --write`) and what the plan of
 * the example creates (alarms and their metrics by region, keys, the function's memory, the rule's frequency, the
 * StackSets' alarms per member account). The examples' READMEs show the same lines; test/cost.test.ts recomputes
 * them here so neither the prices' arithmetic nor the counts can drift from the modules and the benchmark.
 */
import { readFile } from "node:fs/promises";
import type { Instance, Plan } from "./plan.ts";

/**
 * Unit prices in US East (N. Virginia), list prices before the free tier, each from its service's pricing page.
 */
export const PRICES = {
  /** AWS Config, "Config rule evaluations", first 100,000 per account and region: https://aws.amazon.com/config/pricing/ */
  configRuleEvaluation: 0.001,
  /** AWS Config, continuous recording, per configuration item recorded: https://aws.amazon.com/config/pricing/ */
  configItem: 0.003,
  /** AWS Lambda, Arm, per GB-second: https://aws.amazon.com/lambda/pricing/ */
  lambdaGbSecond: 0.0000133334,
  /** AWS Lambda, per request ($0.20 per million): https://aws.amazon.com/lambda/pricing/ */
  lambdaRequest: 0.0000002,
  /** Amazon CloudWatch, standard resolution alarm, per alarm metric per month: https://aws.amazon.com/cloudwatch/pricing/ */
  alarmMetric: 0.1,
  /** Amazon CloudWatch, custom metric per month (first 10,000), prorated by the hour: https://aws.amazon.com/cloudwatch/pricing/ */
  customMetricMonth: 0.3,
  /** Amazon CloudWatch Logs, standard log ingestion per GB: https://aws.amazon.com/cloudwatch/pricing/ */
  logIngestionGb: 0.5,
  /** AWS KMS, customer managed key per month: https://aws.amazon.com/kms/pricing/ */
  kmsKeyMonth: 1,
  /** Amazon SNS, e-mail notification ($2.00 per 100,000): https://aws.amazon.com/sns/pricing/ */
  snsEmail: 0.00002,
  /** Amazon EventBridge, event delivered to a bus in another account or region ($1.00 per million): https://aws.amazon.com/eventbridge/pricing/ */
  eventBridgeCrossBusEvent: 0.000001,
  /** AWS Step Functions, Standard, per state transition ($0.025 per 1,000): https://aws.amazon.com/step-functions/pricing/ */
  stateTransition: 0.000025,
} as const;

/** Hours in a month as AWS prices them (730). */
export const HOURS_PER_MONTH = 730;
/** Days in a month for evaluations of a periodic rule. */
export const DAYS_PER_MONTH = 30;
/** Log data one evaluation writes, an estimate (START/END/REPORT lines, a few JSON lines, two EMF blobs). */
export const LOG_BYTES_PER_EVALUATION = 10_000;
/** State transitions of one re-evaluation (the terraform/README.md figure for its four-state definition). */
export const TRANSITIONS_PER_REEVALUATION = 4;
/** AWS Config rule evaluations per period of each frequency. */
const PERIOD_HOURS: Record<string, number> = {
  One_Hour: 1,
  Three_Hours: 3,
  Six_Hours: 6,
  Twelve_Hours: 12,
  TwentyFour_Hours: 24,
};

/** The benchmark's figures the costs use. */
export interface BenchmarkFigures {
  /** The upper bound of one evaluation's billed duration at 128 MB (ms): the report path. */
  readonly upperBoundMs: number;
  /** The CloudTrail path's handler time ÷ the report path's (clean account, 17 regions). */
  readonly cloudTrailRatio: number;
}

/** Reads the figures from docs/benchmarks.md ("Memory size and cost", "CloudTrail evidence"). */
export async function benchmarkFigures(path = "docs/benchmarks.md"): Promise<BenchmarkFigures> {
  const text = await readFile(path, "utf8");
  const upper = /\| upper bound:[^|]*\| ([\d.]+) ms \|/.exec(text)?.[1];
  const ratio =
    /\| fresh report \+ CloudTrail, clean account, 17 enabled regions \| [\d.]+ ms \| ([\d.]+)× \|/.exec(
      text,
    )?.[1];
  if (upper === undefined || ratio === undefined) throw new Error("docs/benchmarks.md: figures not found");
  return { upperBoundMs: Number(upper), cloudTrailRatio: Number(ratio) };
}

/** Custom metrics the function publishes (rule/metrics.ts): each addMetric name, one series each. */
export async function customMetricNames(path = "rule/metrics.ts"): Promise<string[]> {
  const source = await readFile(path, "utf8");
  return [...new Set([...source.matchAll(/addMetric\("([A-Za-z]+)"/g)].map(([, name = ""]) => name))];
}

/** Alarm metrics of an alarm: each metric of its metric math, or its one metric. */
export function alarmMetrics(alarm: Instance): number {
  const queries = (alarm.values.metric_query ?? []) as { metric?: unknown[] }[];
  return queries.length === 0 ? 1 : queries.filter((query) => (query.metric ?? []).length > 0).length;
}

/** The alarms of a plan by region: count and alarm metrics. */
export function alarmsByRegion(plan: Plan): Record<string, { alarms: number; metrics: number }> {
  const regions: Record<string, { alarms: number; metrics: number }> = {};
  for (const alarm of plan.resources.filter((resource) => resource.type === "aws_cloudwatch_metric_alarm")) {
    const region = regions[alarm.region] ?? { alarms: 0, metrics: 0 };
    region.alarms += 1;
    region.metrics += alarmMetrics(alarm);
    regions[alarm.region] = region;
  }
  return regions;
}

/** One line of a cost table. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly dollars: number;
}

/** Evaluations per account per month at a rule frequency. */
export const evaluationsPerMonth = (frequency: string): number =>
  (DAYS_PER_MONTH * 24) / (PERIOD_HOURS[frequency] ?? Number.NaN);

/** Lambda GB-seconds of one evaluation, at most: the benchmark's upper bound, times the CloudTrail ratio when it is on. */
export function gbSecondsPerEvaluation(
  figures: BenchmarkFigures,
  memoryMb: number,
  cloudTrail: boolean,
): number {
  const ms = figures.upperBoundMs * (cloudTrail ? figures.cloudTrailRatio : 1);
  return (memoryMb / 1024) * (ms / 1000);
}

/** The lines every deployment has: the evaluations (in each evaluated account) and the function's runs. */
export function evaluationLines(evaluations: number, gbSeconds: number): CostLine[] {
  return [
    {
      item: "AWS Config rule evaluations",
      quantity: evaluations,
      unit: "evaluations",
      dollars: evaluations * PRICES.configRuleEvaluation,
    },
    {
      item: "Lambda compute",
      quantity: evaluations * gbSeconds,
      unit: "GB-s",
      dollars: evaluations * gbSeconds * PRICES.lambdaGbSecond,
    },
    {
      item: "Lambda requests",
      quantity: evaluations,
      unit: "requests",
      dollars: evaluations * PRICES.lambdaRequest,
    },
    {
      item: "CloudWatch Logs ingestion",
      quantity: (evaluations * LOG_BYTES_PER_EVALUATION) / 1e9,
      unit: "GB",
      dollars: ((evaluations * LOG_BYTES_PER_EVALUATION) / 1e9) * PRICES.logIngestionGb,
    },
  ];
}

/** Custom metrics: each series billed for the hours it gets a datapoint, at most every hour of the month. */
export function customMetricLine(series: number, hoursEach: number): CostLine {
  const hours = series * Math.min(hoursEach, HOURS_PER_MONTH);
  return {
    item: "CloudWatch custom metrics",
    quantity: hours,
    unit: "metric-hours",
    dollars: (hours / HOURS_PER_MONTH) * PRICES.customMetricMonth,
  };
}

/** Alarm metrics and keys. */
export const alarmLine = (metrics: number): CostLine => ({
  item: "CloudWatch alarm metrics",
  quantity: metrics,
  unit: "alarm metrics",
  dollars: metrics * PRICES.alarmMetric,
});
export const keyLine = (keys: number): CostLine => ({
  item: "KMS key",
  quantity: keys,
  unit: "keys",
  dollars: keys * PRICES.kmsKeyMonth,
});

/** The sum of lines' dollars. */
export const total = (lines: readonly CostLine[]): number =>
  lines.reduce((sum, line) => sum + line.dollars, 0);

/** Dollars as the READMEs write them: four decimals. */
export const dollars = (value: number): string => `$${value.toFixed(4)}`;

/** A quantity as the READMEs write it: at most four decimals, the unit singular for one. */
export const quantityText = (line: CostLine): string => {
  const amount = Number(line.quantity.toFixed(4));
  return `${amount} ${amount === 1 ? line.unit.replace(/s$/, "") : line.unit}`;
};
