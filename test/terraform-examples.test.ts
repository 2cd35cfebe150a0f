/**
 * The examples are complete root modules that deploy what their module deploys by default (issue 19: "the same
 * defaults in the examples as in the modules, or the reason where they differ"): each is planned with its own
 * defaults and compared, resource by resource, with the module planned with its defaults. The one difference
 * allowed is fail_on_active_access_keys, and the example's variable says why.
 */
import { describe, expect, it } from "vitest";
import type { Value } from "./support/hcl-expression.ts";
import { type Configuration, loadConfiguration, type Plan, plan } from "./support/plan.ts";

const EXAMPLES = [
  [
    "single-account",
    await loadConfiguration("terraform/examples/single-account"),
    await loadConfiguration("terraform"),
  ],
  [
    "organization",
    await loadConfiguration("terraform/examples/organization"),
    await loadConfiguration("terraform/modules/organization"),
  ],
] as const;

const CALL = "module.root_activity";

/** The resources of a plan by address, those of the example's module call under their address in the module. */
const byAddress = (planned: Plan): Map<string, Readonly<Record<string, Value>>> =>
  new Map(planned.resources.map((resource) => [resource.address.replace(`${CALL}.`, ""), resource.values]));

/** `address.attribute` of every argument that differs between two plans of the same module, and what only one has. */
function differences(left: Plan, right: Plan): string[] {
  const a = byAddress(left);
  const b = byAddress(right);
  const found: string[] = [];
  for (const address of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(address);
    const y = b.get(address);
    if (x === undefined || y === undefined) {
      found.push(address);
      continue;
    }
    for (const attribute of new Set([...Object.keys(x), ...Object.keys(y)]))
      if (JSON.stringify(x[attribute]) !== JSON.stringify(y[attribute]))
        found.push(`${address}.${attribute}`);
  }
  return found.sort();
}

describe.each(EXAMPLES)("example %s", (_, example: Configuration, module: Configuration) => {
  const rule = module.dir.endsWith("organization")
    ? "aws_config_organization_custom_rule.this"
    : "aws_config_config_rule.this";

  it("deploys what the module deploys with its defaults, but for fail_on_active_access_keys", () => {
    const fromExample = plan(example, {});
    expect(differences(fromExample, plan(module, {}))).toEqual([
      `${rule}.description`,
      `${rule}.input_parameters`,
    ]);
    expect(differences(fromExample, plan(module, { fail_on_active_access_keys: true }))).toEqual([]);
  });

  it("says why its fail_on_active_access_keys differs from the module's", () => {
    const moduleDefault = module.module.variables.fail_on_active_access_keys?.default;
    expect(example.module.variables.fail_on_active_access_keys?.default).not.toBe(moduleDefault);
    expect(String(example.module.variables.fail_on_active_access_keys?.description)).toMatch(
      new RegExp(`module's default is ${String(moduleDefault)}\\b.*because`),
    );
  });

  it("with e-mail addresses: notifications and root activity alerts, which reach the outputs", () => {
    const planned = plan(example, { notification_emails: ["security@example.com"] });
    const { resources, outputs } = planned;
    expect(
      resources
        .filter((resource) => resource.type === "aws_sns_topic_subscription")
        .map((r) => r.values.endpoint),
    ).toEqual(["security@example.com"]);
    expect(resources.some((resource) => resource.address.includes(".alert["))).toBe(true);
    expect(outputs.notification_topic_arn).toMatch(/^arn:aws:sns:/);
    expect(plan(example, {}).outputs.notification_topic_arn).toBeNull();
  });

  it("its outputs are the module's, every one known at plan", () => {
    const { outputs } = plan(example, { notification_emails: ["security@example.com"] });
    expect(Object.keys(outputs).length).toBeGreaterThan(4);
    for (const [name, value] of Object.entries(outputs)) expect(value, name).not.toBeUndefined();
  });
});
