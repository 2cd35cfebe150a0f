/**
 * What the deployer's own Security Hub says about what the modules create: the "Security Hub findings" table of
 * terraform/README.md, row by row, against the findings each control would give on the modules' planned resources
 * (test/support/security-hub-controls.ts, each control's check as the Security Hub controls reference states it).
 * A row PASSED holds for the defaults and with every switch on; FAILED is what the modules produce with every switch
 * on; FAILED by default turns PASSED with the variable the row names. Every resource type the modules create is
 * either evaluated by a row's control or listed as evaluated by none, so the table cannot go stale.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModule } from "./support/hcl.ts";
import type { Value } from "./support/hcl-expression.ts";
import { accepts } from "./support/hcl-expression.ts";
import { type Plan, renderPlan } from "./support/plan.ts";
import { CONTROLS, type Finding, SUPPORTED_NODE_RUNTIMES } from "./support/security-hub-controls.ts";

const README = join("terraform", "README.md");
const MODULES = { root: "terraform", organization: join("terraform", "modules", "organization") } as const;
type ModuleName = keyof typeof MODULES;

/** Every switch that creates something, on; everything else at its default. */
const ALL_ON: Record<ModuleName, Record<string, Value>> = {
  root: {
    create_notifications: true,
    notification_emails: ["security@example.com"],
    create_root_activity_alerts: true,
    root_activity_alert_regions: ["us-east-1", "eu-central-1"],
    create_config_recorder: true,
    create_conformance_pack: true,
  },
  organization: {
    create_notifications: true,
    notification_emails: ["security@example.com"],
    create_root_activity_alerts: true,
    root_activity_alert_regions: ["us-east-1", "eu-central-1"],
    create_conformance_pack: true,
    create_aggregator: true,
  },
};

/** For each row FAILED by default (control and module): the variables that make it pass, as the row says. */
const FIXES: Record<string, Record<string, Value>> = {
  "Lambda.1 organization": { lambda_invoke_source_account_ids: ["111122223333", "444455556666"] },
  "S3.17 root": {
    config_bucket_kms_key_arn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  },
  "CloudWatch.16 root": { log_retention_in_days: 365 },
  "CloudWatch.16 organization": { log_retention_in_days: 365 },
  "Lambda.6, SNS.3, StepFunctions.2, EventBridge.2, CloudFormation.2 root": {
    tags: { Project: "root-activity" },
  },
  "Lambda.6, SNS.3, StepFunctions.2, EventBridge.2, CloudFormation.2 organization": {
    tags: { Project: "root-activity" },
  },
};

const STATUSES = ["PASSED", "FAILED", "FAILED by default"] as const;
type Status = (typeof STATUSES)[number];

interface Row {
  readonly control: string;
  readonly modules: readonly ModuleName[];
  readonly status: Status;
  readonly line: string;
}

/** The lines of the section `heading` of a Markdown document. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = lines.findIndex((line, index) => index > start && /^#{1,2} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The rows of the findings table: control (the link text), modules, status. */
function rows(lines: readonly string[]): Row[] {
  const table = lines.filter((line) => line.startsWith("| "));
  const [header, ...body] = table;
  expect(header).toBe("| Control | Standards | Module | Resource | Status | Why | What you can do |");
  return body.map((line) => {
    const cells = line.split(" | ").map((cell) => cell.replace(/^\| /, "").replace(/ \|$/, ""));
    const control = /^\[([^\]]+)\]/.exec(cells[0] ?? "")?.[1] ?? "";
    const module = cells[2] ?? "";
    const status = cells[4] as Status;
    if (!STATUSES.includes(status)) throw new Error(`${control}: status ${status}`);
    const modules: ModuleName[] = module === "both" ? ["root", "organization"] : [module as ModuleName];
    for (const name of modules) if (!(name in MODULES)) throw new Error(`${control}: module ${module}`);
    return { control, modules, status, line };
  });
}

const planCache = new Map<string, Promise<Plan>>();
/** The plan of a module for `vars`, once. */
function planOf(module: ModuleName, vars: Record<string, Value>): Promise<Plan> {
  const key = `${module} ${JSON.stringify(vars)}`;
  let found = planCache.get(key);
  if (found === undefined) {
    found = renderPlan(MODULES[module], vars);
    planCache.set(key, found);
  }
  return found;
}

const failed = (findings: readonly Finding[]) => findings.filter((finding) => !finding.passed);

const readmeLines = section(await readFile(README, "utf8"), "## Security Hub findings");
const findingsTable = rows(readmeLines);
/** The resource types the README lists as evaluated by no control. */
const noControl = [
  ...(
    readmeLines
      .join("\n")
      .split("Resource types no Security Hub control evaluates")[1]
      ?.split("No\ncontrol")[0] ?? ""
  ).matchAll(/`(aws_[a-z0-9_]+)`/g),
].map(([, type = ""]) => type);
/** Each row once per module it is about. */
const cases = findingsTable.flatMap((row) =>
  row.modules.map((module) => ({ ...row, module, name: `${row.control} ${module}` })),
);

describe("the Security Hub findings table of terraform/README.md", () => {
  it("names only controls whose check is implemented here, each once per module, and every implemented one", () => {
    expect(cases.length).toBeGreaterThan(30);
    for (const row of findingsTable) expect(CONTROLS, row.control).toHaveProperty([row.control]);
    expect(new Set(cases.map(({ name }) => name)).size).toBe(cases.length);
    expect(new Set(findingsTable.map((row) => row.control))).toEqual(new Set(Object.keys(CONTROLS)));
    // Exactly the rows FAILED by default have a fix here.
    expect(
      cases
        .filter((row) => row.status === "FAILED by default")
        .map(({ name }) => name)
        .sort(),
    ).toEqual(Object.keys(FIXES).sort());
  });

  it.each(cases)("$name: $status", async ({ control: id, module, status, line, name }) => {
    const control = CONTROLS[id];
    if (control === undefined) throw new Error(id);
    const allOn = control.evaluate(await planOf(module, ALL_ON[module]));
    expect(allOn.length, `${id} evaluates something ${module} creates`).toBeGreaterThan(0);
    if (status === "PASSED") {
      // With every switch on and with the defaults.
      expect(failed(allOn)).toEqual([]);
      expect(failed(control.evaluate(await planOf(module, {})))).toEqual([]);
      return;
    }
    // FAILED: what the module creates with every switch on.
    expect(failed(allOn).length, JSON.stringify(allOn)).toBeGreaterThan(0);
    if (status === "FAILED by default") {
      // The variable the row names makes it pass.
      const fix = FIXES[name] ?? {};
      for (const variable of Object.keys(fix))
        expect(line, `the row names ${variable}`).toContain(`\`${variable}`);
      const fixed = control.evaluate(await planOf(module, { ...ALL_ON[module], ...fix }));
      expect(fixed.length).toBeGreaterThan(0);
      expect(failed(fixed)).toEqual([]);
    }
  });

  it("every resource type either module creates with every switch on is evaluated by a row's control or listed as evaluated by none", async () => {
    const created = new Set<string>();
    for (const module of Object.keys(MODULES) as ModuleName[])
      for (const resource of (await planOf(module, ALL_ON[module])).resources) created.add(resource.type);
    const evaluated = new Set(Object.values(CONTROLS).flatMap((control) => control.resourceTypes));
    const unaccounted = [...created].filter((type) => !evaluated.has(type) && !noControl.includes(type));
    expect(unaccounted).toEqual([]);
    // The list names only types the modules create and no control of the table evaluates.
    expect(noControl.length).toBeGreaterThan(0);
    for (const type of noControl) {
      expect(created.has(type), `${type} is created`).toBe(true);
      expect(evaluated.has(type), `${type} is evaluated by a row`).toBe(false);
    }
  });
});

describe("the checks the rows rest on", () => {
  it("Lambda.2: every runtime the modules accept is one Lambda supports today", async () => {
    const candidates = [
      "nodejs18.x",
      "nodejs20.x",
      "nodejs22.x",
      "nodejs24.x",
      "python3.13",
      "provided.al2023",
    ];
    for (const dir of Object.values(MODULES)) {
      const module = await loadModule(dir);
      const accepted = candidates.filter((runtime) => accepts(module.variables, "runtime", runtime));
      expect(accepted.length, dir).toBeGreaterThan(0);
      for (const runtime of accepted) {
        const deprecated = SUPPORTED_NODE_RUNTIMES[runtime];
        expect(deprecated, `${dir} accepts ${runtime}`).toBeDefined();
        expect(new Date(deprecated ?? 0) > new Date(), `${runtime} is deprecated on ${deprecated}`).toBe(
          true,
        );
      }
    }
  });

  it("Lambda.1: a permission for a service principal is public without a fixed source account, source ARN or organization", () => {
    const verdict = (values: Record<string, Value>) =>
      CONTROLS["Lambda.1"]?.evaluate({
        resources: [
          {
            address: "p",
            module: "",
            mode: "managed",
            type: "aws_lambda_permission",
            name: "p",
            key: undefined,
            region: "eu-west-1",
            values: { principal: "config.amazonaws.com", ...values },
            dependsOn: [],
          },
        ],
        data: [],
        outputs: {},
        missingFiles: [],
      })[0]?.passed;
    expect(verdict({})).toBe(false);
    expect(verdict({ source_arn: "arn:aws:config:eu-west-1:*:config-rule/*" })).toBe(false);
    expect(verdict({ source_account: "111122223333" })).toBe(true);
    expect(verdict({ source_arn: "arn:aws:config:eu-west-1:111122223333:config-rule/config-rule-abc" })).toBe(
      true,
    );
    expect(verdict({ principal: "*", source_account: "111122223333" })).toBe(false);
  });
});
