/**
 * The Cost sections of the examples' READMEs, recomputed: each line from AWS's unit prices (test/support/cost-model.ts,
 * each citing its pricing page), the benchmark's figures (docs/benchmarks.md) and what the example's plan creates
 * (alarms and alarm metrics by region, keys, the function's memory, the rule's frequency, the StackSets' alarms and
 * regions). A change to any of them that the README does not follow fails here.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  alarmLine,
  alarmMetrics,
  alarmsByRegion,
  benchmarkFigures,
  type CostLine,
  customMetricLine,
  customMetricNames,
  dollars,
  evaluationLines,
  evaluationsPerMonth,
  gbSecondsPerEvaluation,
  HOURS_PER_MONTH,
  keyLine,
  quantityText,
  total,
} from "./support/cost-model.ts";
import { loadModule } from "./support/hcl.ts";
import { type Plan, renderPlan, WORLD } from "./support/plan.ts";

const figures = await benchmarkFigures();
const metricNames = await customMetricNames();

/** The Cost section's tables: each a list of rows of cells, without header and separator. */
async function costTables(example: string): Promise<string[][][]> {
  const readme = await readFile(join("terraform", "examples", example, "README.md"), "utf8");
  const section = readme.split("## Cost\n")[1]?.split("\n## ")[0] ?? "";
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of section.split("\n")) {
    if (!line.startsWith("|")) {
      current = undefined;
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split("|")
      .map((cell) => cell.trim());
    if (current === undefined) {
      current = [];
      tables.push(current);
      continue; // the header
    }
    if (/^-+$/.test(cells[0] ?? "")) continue;
    current.push(cells);
  }
  return tables;
}

/** The README row for a line: the one whose item cell starts with the line's item. */
function expectRow(table: readonly string[][], line: CostLine): string[] {
  const row = table.find((cells) => (cells[0] ?? "").startsWith(line.item));
  expect(row, line.item).toBeDefined();
  expect(row?.[1], `${line.item}: quantity`).toBe(quantityText(line));
  expect(row?.[3], `${line.item}: dollars`).toBe(dollars(line.dollars));
  return row ?? [];
}

/** The bold total of a table. */
function expectTotal(table: readonly string[][], lines: readonly CostLine[]): void {
  const row = table.find((cells) => (cells[0] ?? "").startsWith("**Total"));
  expect(row?.[3]).toBe(`**${dollars(total(lines))}**`);
  // Every other row is one of the lines.
  expect(table.filter((cells) => !(cells[0] ?? "").startsWith("**Total")).length).toBe(lines.length);
}

/** The rule's frequency and the function's memory as the example's module call sets them. */
async function exampleSettings(example: string): Promise<{ frequency: string; memory: number }> {
  const module = await loadModule(join("terraform", "examples", example));
  const call = module.modules.root_activity ?? {};
  const plan = await renderPlan(join("terraform", "examples", example), {});
  const fn = plan.resources.find((resource) => resource.type === "aws_lambda_function");
  return { frequency: String(call.maximum_execution_frequency), memory: Number(fn?.values.memory_size) };
}

/** The label an alarm row carries: `N alarms in this region (M metrics)`, then one count per other region. */
function alarmLabel(plan: Plan): string {
  const regions = alarmsByRegion(plan);
  const here = regions[WORLD.region] ?? { alarms: 0, metrics: 0 };
  const others = Object.entries(regions)
    .filter(([region]) => region !== WORLD.region)
    .map(([region, { alarms }]) => `${alarms} alarm${alarms === 1 ? "" : "s"} in ${region}`);
  return [`${here.alarms} alarms in this region (${here.metrics} metrics)`, ...others].join(", ");
}

describe("terraform/examples/single-account/README.md, Cost", () => {
  it("every line, with every switch of the example on, is the unit price times what the example creates", async () => {
    const { frequency, memory } = await exampleSettings("single-account");
    const plan = await renderPlan(join("terraform", "examples", "single-account"), {
      notification_emails: ["security@example.com"],
      create_config_recorder: true,
    });
    const evaluations = evaluationsPerMonth(frequency);
    const gbSeconds = gbSecondsPerEvaluation(figures, memory, true);
    const keys = plan.resources.filter((resource) => resource.type === "aws_kms_key").length;
    const alarmMetricCount = Object.values(alarmsByRegion(plan)).reduce(
      (sum, region) => sum + region.metrics,
      0,
    );
    const lines = [
      ...evaluationLines(evaluations, gbSeconds),
      // One datapoint per evaluation: each metric billed for the hours of the evaluations.
      customMetricLine(metricNames.length, evaluations),
      alarmLine(alarmMetricCount),
      keyLine(keys),
    ];
    const [table = []] = await costTables("single-account");
    for (const line of lines) expectRow(table, line);
    expectTotal(table, lines);
    // The alarm row names the alarms the example creates, by region.
    expect(table.find((cells) => (cells[0] ?? "").startsWith("CloudWatch alarm metrics"))?.[0]).toContain(
      alarmLabel(plan),
    );
    expect(table.find((cells) => (cells[0] ?? "").startsWith("Lambda compute"))?.[0]).toContain(
      `at most ${gbSeconds.toFixed(4)} GB-s per evaluation`,
    );
  });

  it("the rule alone is the evaluation and metric lines, and the example creates no alarm and no key without e-mails", async () => {
    const { frequency, memory } = await exampleSettings("single-account");
    const plan = await renderPlan(join("terraform", "examples", "single-account"), {});
    expect(
      plan.resources.filter((resource) =>
        ["aws_cloudwatch_metric_alarm", "aws_kms_key"].includes(resource.type),
      ),
    ).toEqual([]);
    const evaluations = evaluationsPerMonth(frequency);
    const lines = [
      ...evaluationLines(evaluations, gbSecondsPerEvaluation(figures, memory, true)),
      customMetricLine(metricNames.length, evaluations),
    ];
    const readme = await readFile(join("terraform", "examples", "single-account", "README.md"), "utf8");
    expect(readme).toContain(`the first five lines, **${dollars(total(lines))}** a month`);
  });
});

describe("terraform/examples/organization/README.md, Cost", () => {
  it("per account: its evaluations, the function's runs for it, and the StackSet's forwarding alarm in each alert region", async () => {
    const { frequency, memory } = await exampleSettings("organization");
    const plan = await renderPlan(join("terraform", "examples", "organization"), {
      notification_emails: ["security@example.com"],
    });
    // What each member account gets: the alarms of the regional StackSet's template, once per region it deploys to.
    const stackSet = plan.resources.find((resource) =>
      resource.address.endsWith("aws_cloudformation_stack_set.root_alerts[0]"),
    );
    const template = JSON.parse(String(stackSet?.values.template_body)) as {
      Resources: Record<string, { Type: string }>;
    };
    const alarmsPerRegion = Object.values(template.Resources).filter(
      (resource) => resource.Type === "AWS::CloudWatch::Alarm",
    ).length;
    const regions = plan.resources.filter(
      (resource) =>
        (resource.type === "aws_cloudformation_stack_set_instance" ||
          resource.type === "aws_cloudformation_stack_instances") &&
        resource.values.stack_set_name === stackSet?.values.name,
    );
    const regionCount = regions.flatMap((resource) =>
      resource.type === "aws_cloudformation_stack_instances"
        ? ((resource.values.regions ?? [resource.region]) as string[])
        : [String(resource.values.stack_set_instance_region ?? resource.region)],
    ).length;
    const lines = [
      ...evaluationLines(evaluationsPerMonth(frequency), gbSecondsPerEvaluation(figures, memory, true)),
      alarmLine(alarmsPerRegion * regionCount),
    ];
    const [perAccount = []] = await costTables("organization");
    for (const line of lines) expectRow(perAccount, line);
    expectTotal(perAccount, lines);
    expect(
      perAccount.find((cells) => (cells[0] ?? "").startsWith("CloudWatch alarm metrics"))?.[0],
    ).toContain(`in each of ${regionCount} alert regions`);
  });

  it("once: the custom metrics at most every hour, this account's alarms by region, the key", async () => {
    const plan = await renderPlan(join("terraform", "examples", "organization"), {
      notification_emails: ["security@example.com"],
    });
    const alarms = plan.resources.filter((resource) => resource.type === "aws_cloudwatch_metric_alarm");
    const lines = [
      customMetricLine(metricNames.length, HOURS_PER_MONTH),
      alarmLine(alarms.reduce((sum, alarm) => sum + alarmMetrics(alarm), 0)),
      keyLine(plan.resources.filter((resource) => resource.type === "aws_kms_key").length),
    ];
    const [, once = []] = await costTables("organization");
    for (const line of lines) expectRow(once, line);
    expectTotal(once, lines);
    expect(once.find((cells) => (cells[0] ?? "").startsWith("CloudWatch alarm metrics"))?.[0]).toContain(
      alarmLabel(plan),
    );
  });
});
