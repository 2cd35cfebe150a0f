/**
 * What the Terraform READMEs promise, checked against the modules (issue 19, defect 5; issue 20): the terraform-docs
 * tables are those of the `.tf` files; the alarm tables list exactly the alarms a plan creates, for every
 * combination of the switches they name; outputs and addresses the READMEs name exist; the module sources they show
 * are this repository's tag of the package's version and folders that hold a module, and deploying needs no build.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsTables, loadModule, readmeReferenceProblems, type TerraformModule } from "./support/hcl.ts";
import type { Value } from "./support/hcl-expression.ts";
import { type Configuration, loadConfiguration, type Plan, PlanError, plan, WORLD } from "./support/plan.ts";
import { stackSets } from "./support/stack-set-templates.ts";

const MODULE_DIRS = [
  "terraform",
  "terraform/modules/evaluator",
  "terraform/modules/notifications",
  "terraform/modules/organization",
  "terraform/modules/root-activity-events",
  "terraform/modules/root-activity-forwarding",
];
const EXAMPLE_DIRS = ["terraform/examples/single-account", "terraform/examples/organization"];

const modules: Record<string, TerraformModule> = Object.fromEntries(
  await Promise.all(
    [...MODULE_DIRS, ...EXAMPLE_DIRS].map(async (dir) => [dir, await loadModule(dir)] as const),
  ),
);
const readme = (dir: string): string => readFileSync(join(dir, "README.md"), "utf8");

describe("terraform-docs tables", () => {
  it.each(MODULE_DIRS)("%s: the Modules, Resources, Inputs and Outputs tables are the module's", (dir) => {
    const text = readme(dir);
    for (const [section, expected] of docsTables(modules[dir] as TerraformModule)) {
      // The section, up to the next heading or the end of the generated part: the table and nothing else.
      const start = text.indexOf(`\n## ${section}\n`);
      const body = text.slice(start + `\n## ${section}\n`.length).split(/\n(?=## |<!-- END_TF_DOCS -->)/)[0];
      expect(start, `README.md has a section "## ${section}"`).toBeGreaterThanOrEqual(0);
      expect(body?.trim(), `README.md section "## ${section}"`).toBe(expected);
    }
  });
});

describe("outputs and addresses the READMEs name exist", () => {
  const root = modules.terraform as TerraformModule;
  const organization = modules["terraform/modules/organization"] as TerraformModule;
  const calls = { evaluator: modules["terraform/modules/evaluator"] as TerraformModule };
  it.each([...MODULE_DIRS, ...EXAMPLE_DIRS])("%s", (dir) => {
    const module = modules[dir] as TerraformModule;
    const callee = dir.endsWith("organization") ? organization : root;
    // An example's README names its own outputs and those of the module it calls.
    const outputs = [
      ...Object.keys(module.outputs),
      ...(dir.includes("examples") ? Object.keys(callee.outputs) : []),
    ];
    expect(
      readmeReferenceProblems(readme(dir), { outputs, callees: { root_activity: callee }, calls }),
    ).toEqual([]);
  });
});

describe("module sources: this repository's tag of the package's version, and no build step", () => {
  const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
  const markdown = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
      .map((entry) => join(entry.parentPath, entry.name));

  it("every git:: source in the Terraform READMEs points at a module folder, at the tag of the package's version", () => {
    const sources = markdown("terraform").flatMap((path) =>
      [...readFileSync(path, "utf8").matchAll(/git::https:\/\/[^"\s]+/g)].map(([source]) => ({
        path,
        source,
      })),
    );
    expect(sources.length).toBeGreaterThan(4);
    for (const { path, source } of sources) {
      const match = /^git::https:\/\/github\.com\/<your-org>\/root-activity\.git\/\/([^?]+)\?ref=(.+)$/.exec(
        source,
      );
      expect(match, `${path}: ${source}`).not.toBeNull();
      const [, folder = "", ref] = match ?? [];
      expect(ref, `${path}: ${source}`).toBe(`v${version}`);
      expect(
        existsSync(join(folder, "variables.tf")) && existsSync(join(folder, "main.tf")),
        `${path}: ${folder}`,
      ).toBe(true);
    }
  });

  it.each(EXAMPLE_DIRS)("%s: its README shows the git:: source and runs no npm or node command", (dir) => {
    const text = readme(dir);
    expect(text).toMatch(/source = "git::https:\/\/github\.com\/<your-org>\/root-activity\.git\/\/terraform/);
    const commands = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(([, block = ""]) =>
      block.split("\n"),
    );
    expect(commands.filter((line) => /^\s*(npm|npx|node)\b/.test(line))).toEqual([]);
  });
});

/** One row of an alarm table: the alarm's name, the switches it needs, where it is. */
interface AlarmRow {
  readonly alarm: string;
  readonly needs: Readonly<Record<string, Value>>;
  readonly where: string;
}

/** The rows of the table under `## Alarms` of a README. */
function alarmTable(text: string): AlarmRow[] {
  const section = text.slice(text.indexOf("## Alarms\n"));
  const table = section.slice(
    section.indexOf("| Alarm |"),
    section.indexOf("\n\n", section.indexOf("| Alarm |")),
  );
  return table
    .split("\n")
    .slice(2)
    .map((line) => {
      const [alarm = "", needs = "", where = ""] = line.slice(2, -2).split(" | ");
      const switches = [...needs.matchAll(/`([a-z_]+)(?: = "([^"]+)")?`/g)].map(
        ([, name = "", value]) => [name, value ?? true] as const,
      );
      return { alarm: alarm.replaceAll("`", ""), needs: Object.fromEntries(switches), where };
    });
}

const ROOT = await loadConfiguration("terraform");
const ORGANIZATION = await loadConfiguration("terraform/modules/organization");
const HOME = WORLD.region;
const ALERT_REGIONS = ["us-east-1", "ap-south-1"];
const NAME = "ra";

/** Where each phrase of the Where column puts an alarm: account@region, for the alert regions above. */
const PLACES: Record<string, string[]> = {
  "this region": [`this@${HOME}`],
  "each other alert region": ALERT_REGIONS.map((region) => `this@${region}`),
  "every alert region of this account": [HOME, ...ALERT_REGIONS].map((region) => `this@${region}`),
  "every alert region of every member account (StackSet)": [HOME, ...ALERT_REGIONS].map(
    (region) => `member@${region}`,
  ),
};

/** Every alarm of a plan, `<name>-...@account@region`: its own, and the StackSet templates' in each stack region. */
function alarmsOf(planned: Plan): string[] {
  const own = planned.resources
    .filter((resource) => resource.type === "aws_cloudwatch_metric_alarm")
    .map((resource) => `${String(resource.values.alarm_name)}@this@${resource.region}`);
  const stacks = stackSets(planned).flatMap(({ template, regions }) =>
    Object.values(template.Resources)
      .filter((resource) => resource.Type === "AWS::CloudWatch::Alarm")
      .flatMap((resource) =>
        regions.map((region) => `${String(resource.Properties.AlarmName)}@member@${region}`),
      ),
  );
  return [...own, ...stacks].map((alarm) => alarm.replace(new RegExp(`^${NAME}-`), "<name>-")).sort();
}

/** Every combination of `values` for each of `names`. */
function combinations(choices: Readonly<Record<string, readonly Value[]>>): Record<string, Value>[] {
  return Object.entries(choices).reduce<Record<string, Value>[]>(
    (all, [name, values]) =>
      all.flatMap((combination) => values.map((value) => ({ ...combination, [name]: value }))),
    [{}],
  );
}

describe("the alarm tables list exactly the alarms the modules create, for every combination of their switches", () => {
  it.each([
    ["terraform", ROOT, {}],
    ["terraform/modules/organization", ORGANIZATION, { organizational_unit_ids: ["ou-ab12-cdef5678"] }],
  ] as const)("%s", (dir, config: Configuration, base: Record<string, Value>) => {
    const rows = alarmTable(readme(dir));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const { where } of rows) expect(Object.keys(PLACES), where).toContain(where);
    const switches = [...new Set(rows.flatMap(({ needs }) => Object.keys(needs)))];
    const choices = Object.fromEntries(
      switches.map((name) => [name, name === "call_as" ? ["SELF", "DELEGATED_ADMIN"] : [true, false]]),
    );
    let planned = 0;
    for (const combination of combinations(choices)) {
      const vars = {
        ...base,
        ...combination,
        name: NAME,
        root_activity_alert_regions: ALERT_REGIONS,
        ...(combination.call_as === "DELEGATED_ADMIN" ? { create_member_role_in_this_account: false } : {}),
      };
      let result: Plan;
      try {
        result = plan(config, vars);
      } catch (error) {
        // Alerts without notifications: refused at plan (the topic is the notifications').
        expect(error, JSON.stringify(combination)).toBeInstanceOf(PlanError);
        expect(combination.create_root_activity_alerts && !combination.create_notifications).toBe(true);
        continue;
      }
      planned += 1;
      const expected = rows
        .filter(({ needs }) =>
          Object.entries(needs).every(([name, value]) => vars[name as keyof typeof vars] === value),
        )
        .flatMap(({ alarm, where }) => (PLACES[where] ?? []).map((place) => `${alarm}@${place}`))
        .sort();
      expect(alarmsOf(result), JSON.stringify(combination)).toEqual(expected);
    }
    expect(planned).toBeGreaterThan(4);
  });
});

/** The rows of the "Resources, switch by switch" table of a README: the variables a row sets, the instances it adds. */
function resourceTable(text: string): { vars: Record<string, Value>; adds: Record<string, number> }[] {
  const start = text.indexOf("| Turned on, with the rows above |");
  return text
    .slice(start, text.indexOf("\n\n", start))
    .split("\n")
    .slice(2)
    .map((line) => {
      const [turnedOn = "", adds = ""] = line.slice(2, -2).split(" | ");
      const vars = Object.fromEntries(
        [...turnedOn.matchAll(/`([a-z_]+) = ([^`]+)`/g)].map(([, name = "", value = ""]) => [
          name,
          JSON.parse(value) as Value,
        ]),
      );
      const counts = Object.fromEntries(
        [...adds.matchAll(/`([a-z0-9_]+)` ×(\d+)/g)].map(([, type = "", count = ""]) => [
          type,
          Number(count),
        ]),
      );
      return { vars, adds: counts };
    });
}

/** The instances of each resource type of a plan. */
const countByType = (planned: Plan): Record<string, number> =>
  planned.resources.reduce<Record<string, number>>(
    (counts, { type }) => Object.assign(counts, { [type]: (counts[type] ?? 0) + 1 }),
    {},
  );

describe("the resource tables list what each switch adds to the plan", () => {
  it.each([
    ["terraform", ROOT],
    ["terraform/modules/organization", ORGANIZATION],
  ] as const)("%s", (dir, config) => {
    const rows = resourceTable(readme(dir));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    let vars: Record<string, Value> = {};
    let before: Record<string, number> = {};
    for (const row of rows) {
      vars = { ...vars, ...row.vars };
      const after = countByType(plan(config, vars));
      const added = Object.fromEntries(
        Object.entries(after)
          .filter(([type, count]) => count !== (before[type] ?? 0))
          .map(([type, count]) => [type, count - (before[type] ?? 0)]),
      );
      expect(added, JSON.stringify(row.vars)).toEqual(row.adds);
      before = after;
    }
  });
});
