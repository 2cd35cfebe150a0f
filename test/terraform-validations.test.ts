/**
 * Each validated variable of each Terraform module accepts and rejects the values of its row in
 * test/support/validation-cases.ts, its conditions evaluated by test/support/hcl-expression.ts. Every validated
 * variable of a module has a row, so a new validation comes with its values. A value a deployment accepts plans
 * without a called module refusing it.
 */
import { describe, expect, it } from "vitest";
import { loadModule, nestedAll, type TerraformModule } from "./support/hcl.ts";
import { accepts, evaluateExpression, type Value } from "./support/hcl-expression.ts";
import { loadConfiguration, PlanError, plan } from "./support/plan.ts";
import { VALIDATION_CASES } from "./support/validation-cases.ts";

const loaded: Record<string, TerraformModule> = Object.fromEntries(
  await Promise.all(VALIDATION_CASES.map(async ([dir]) => [dir, await loadModule(dir)] as const)),
);

/** A value as a failure shows it: long strings shortened to their length. */
const shown = (value: Value): Value =>
  typeof value === "string" && value.length > 40
    ? `${value.slice(0, 20)}…(${value.length} characters)`
    : Array.isArray(value)
      ? value.map(shown)
      : value;

describe.each(VALIDATION_CASES)("%s: validations", (dir, cases) => {
  const module = loaded[dir] as TerraformModule;

  it("every validated variable has its accepted and rejected values here", () => {
    // Act
    const validated = Object.entries(module.variables)
      .filter(([, variable]) => nestedAll(variable, "validation").length > 0)
      .map(([name]) => name);
    // Assess
    expect(Object.keys(cases).sort()).toEqual(validated.sort());
  });

  it.each(Object.entries(cases))("%s", (name, { accepted, rejected }) => {
    // Act
    const wronglyRejected = accepted.filter((value) => !accepts(module.variables, name, value));
    const wronglyAccepted = rejected.filter((value) => accepts(module.variables, name, value));
    // Assess
    expect(wronglyRejected.map(shown), "accepted values the validation rejects").toEqual([]);
    expect(wronglyAccepted.map(shown), "rejected values the validation accepts").toEqual([]);
    const variable = module.variables[name] ?? {};
    if ("default" in variable) expect(accepts(module.variables, name, variable.default as Value)).toBe(true);
  });
});

// The deployments' switches on, so every module call is planned.
const SWITCHES: Record<string, Record<string, Value>> = {
  terraform: {
    create_config_recorder: true,
    create_notifications: true,
    notification_emails: ["security@example.com"],
    create_root_activity_alerts: true,
    create_conformance_pack: true,
  },
  "terraform/modules/organization": {
    create_notifications: true,
    notification_emails: ["security@example.com"],
    create_root_activity_alerts: true,
    create_conformance_pack: true,
  },
};

describe.each(Object.keys(SWITCHES))(
  "%s: what its validations accept, the modules it calls accept",
  (dir) => {
    it("plans with every accepted value of every variable without a failed validation or conversion in a called module", async () => {
      // Prepare: round i gives each variable its i-th accepted value (cycling), so every value is planned once.
      const cases = Object.entries(VALIDATION_CASES.find(([caseDir]) => caseDir === dir)?.[1] ?? {});
      const rounds = Math.max(...cases.map(([, { accepted }]) => accepted.length));
      const config = await loadConfiguration(dir);
      // Act
      const refused = Array.from({ length: rounds }, (_, round) => {
        const vars = {
          ...SWITCHES[dir],
          ...Object.fromEntries(
            cases.map(([name, { accepted }]) => [name, accepted[round % accepted.length]]),
          ),
        } as Record<string, Value>;
        try {
          plan(config, vars);
          return [];
        } catch (error) {
          if (!(error instanceof PlanError)) throw error;
          // Preconditions may refuse a combination; a called module's variable must take what the caller accepted.
          return error.problems.filter((problem) => /^(module\.[^ ]+\.)var\.\w+: /.test(problem));
        }
      }).flat();
      // Assess
      expect([...new Set(refused)]).toEqual([]);
    });
  },
);

describe("the variables both deployments declare", () => {
  // Where the deployments differ on purpose, and why: the organization's names go into StackSet names and the
  // organization conformance pack's, which allow fewer characters (aws-limits.ts, NAMES); PutOrganizationConformancePack
  // needs a delivery bucket whose name starts with awsconfigconforms (botocore config model, DeliveryS3Bucket).
  const DIFFERENT = new Set(["name", "conformance_pack_name", "conformance_pack_delivery_s3_bucket"]);

  it("have the same type and default, and accept the same sample values, but where they differ on purpose", async () => {
    // Prepare
    const [single, organization] = await Promise.all([
      loadModule("terraform"),
      loadModule("terraform/modules/organization"),
    ]);
    const shared = Object.keys(single.variables).filter((name) => name in organization.variables);
    const samples = (name: string): Value[] =>
      VALIDATION_CASES.flatMap(([, cases]) => [
        ...(cases[name]?.accepted ?? []),
        ...(cases[name]?.rejected ?? []),
      ]);
    const summary = (module: TerraformModule, name: string) => {
      const variable = module.variables[name] ?? {};
      return {
        type: variable.type,
        default: "default" in variable ? evaluateExpression(variable.default, {}) : "(required)",
        accepts: samples(name).map((value) => accepts(module.variables, name, value)),
      };
    };
    // Act
    const differing = shared.filter(
      (name) => JSON.stringify(summary(single, name)) !== JSON.stringify(summary(organization, name)),
    );
    // Assess
    expect(shared.length).toBeGreaterThan(20);
    expect(differing.sort()).toEqual([...DIFFERENT].sort());
  });
});
