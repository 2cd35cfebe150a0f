/**
 * Each validated variable of each Terraform module accepts and rejects the values of its row in
 * test/support/validation-cases.ts, its conditions evaluated by test/support/hcl-expression.ts. Every validated
 * variable of a module has a row, so a new validation comes with its values.
 */
import { describe, expect, it } from "vitest";
import { loadModule, nestedAll, type TerraformModule } from "./support/hcl.ts";
import { accepts, type Value } from "./support/hcl-expression.ts";
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
