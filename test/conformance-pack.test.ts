/**
 * The conformance pack: the template terraform/conformance-packs/root-activity.yaml parses as
 * CloudFormation (short-form tags included) and holds the rule AWS Config must create, with the
 * rule's own defaults; and what each module sends AWS Config (planned with test/support/plan.ts:
 * the pack's template body, input parameters, name, delivery, the invoke permission) makes AWS
 * Config create the module's own rule again: same function, trigger, frequency and parameters.
 * The template against CloudFormation's resource specification and the APIs' limits is in
 * cloudformation-spec.test.ts.
 */
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PARAMETERS, LOOKBACK_DAYS_MAX, parseRuleParameters } from "../rule/params.ts";
import { conditionUses, parseCloudFormation, refs, resolve } from "./support/cfn.ts";
import { loadModule } from "./support/hcl.ts";
import { accepts, type Value } from "./support/hcl-expression.ts";
import { type Instance, type Plan, PlanError, renderPlan, WORLD } from "./support/plan.ts";
import { sampleValues } from "./support/validation-cases.ts";

const TEMPLATE_PATH = join("terraform", "conformance-packs", "root-activity.yaml");
const templateSource = await readFile(TEMPLATE_PATH, "utf8");
const template = parseCloudFormation(templateSource);

type Parameter = { Type?: string; Default?: string; AllowedValues?: string[]; AllowedPattern?: string };
const parameters = template.Parameters as Record<string, Parameter>;
const conditions = (template.Conditions ?? {}) as Record<string, unknown>;
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const rule = resources.RootActivity?.Properties ?? {};
const source = rule.Source as {
  Owner: string;
  SourceIdentifier: unknown;
  SourceDetails: Record<string, unknown>[];
};

const ARN_PARAMETER = "RootActivityLambdaFunctionArn";
const FREQUENCY_PARAMETER = "RootActivityMaximumExecutionFrequency";

/** The template parameter of a rule parameter, as both modules name it: RootActivityParam<Name>. */
const templateParameterOf = (ruleParameter: string): string =>
  `RootActivityParam${ruleParameter.charAt(0).toUpperCase()}${ruleParameter.slice(1)}`;

/** The rule parameters of CONTRACT.md (issue 11 names) and the evaluator, with their defaults as Config passes them. */
const RULE_PARAMETER_DEFAULTS: Record<string, string | undefined> = {
  lookbackDays: String(DEFAULT_PARAMETERS.lookbackDays),
  failOnActiveAccessKeys: String(DEFAULT_PARAMETERS.failOnActiveAccessKeys),
  cloudTrailLookup: String(DEFAULT_PARAMETERS.cloudTrailLookup),
  // Empty means "discover every enabled region": left out, as the Terraform modules leave it out.
  cloudTrailRegions: undefined,
  countCentralizedRootSessions: String(DEFAULT_PARAMETERS.countCentralizedRootSessions),
  // Organization deployments only; a function in the evaluated account has none.
  executionRoleName: undefined,
};

/** Parameter values for the template: every default, the function ARN, and `overrides`. */
function values(overrides: Record<string, string> = {}): Record<string, string> {
  const defaults = Object.fromEntries(
    Object.entries(parameters).map(([name, parameter]) => [name, parameter.Default ?? ""]),
  );
  return {
    ...defaults,
    [ARN_PARAMETER]: "arn:aws:lambda:eu-west-1:111122223333:function:root-activity",
    ...overrides,
  };
}

/** The rule AWS Config creates for these template parameter values. */
function ruleFor(overrides: Record<string, string> = {}): Record<string, unknown> {
  return resolve(rule, values(overrides), conditions) as Record<string, unknown>;
}

describe("the template parses as CloudFormation", () => {
  it("parses with CloudFormation's short-form tags, and the parser refuses a tag CloudFormation does not know", () => {
    expect(Object.keys(template).sort()).toEqual(["Conditions", "Parameters", "Resources"]);
    expect(() => parseCloudFormation("Value: !Bogus x\n")).toThrow(/Unresolved tag: !Bogus/);
    expect(parseCloudFormation("A: !GetAtt Role.Arn\nB: !Sub [x, {}]\n")).toEqual({
      A: { "Fn::GetAtt": ["Role", "Arn"] },
      B: { "Fn::Sub": ["x", {}] },
    });
  });

  it("has no trailing comma in a flow collection (YAML 1.2 allows one, older YAML parsers do not)", () => {
    expect(templateSource).not.toMatch(/,\s*[\]}]/);
  });

  it("declares every parameter it refers to, and refers to every parameter it declares", () => {
    const used = new Set(refs(template).filter((name) => name !== "AWS::NoValue"));
    expect([...used].sort()).toEqual(Object.keys(parameters).sort());
    for (const [name, parameter] of Object.entries(parameters)) expect(parameter.Type, name).toBe("String");
  });

  it("defines every condition it uses, and uses every condition it defines", () => {
    expect([...new Set(conditionUses(resources))].sort()).toEqual(Object.keys(conditions).sort());
  });

  it("names the rule with a literal (AWS Config takes no intrinsic there), on the one line the modules rename", () => {
    expect(rule.ConfigRuleName).toBe("root-activity");
    expect(templateSource.split("      ConfigRuleName: root-activity\n")).toHaveLength(2);
    expect(String(rule.Description).length).toBeLessThanOrEqual(256);
  });
});

describe("the template's rule", () => {
  it("is a periodic custom Lambda rule: CUSTOM_LAMBDA, ScheduledNotification from aws.config, the function ARN a parameter", () => {
    expect(source.Owner).toBe("CUSTOM_LAMBDA");
    expect(source.SourceIdentifier).toEqual({ Ref: ARN_PARAMETER });
    expect(parameters[ARN_PARAMETER]).not.toHaveProperty("Default");
    expect(source.SourceDetails).toEqual([
      {
        EventSource: "aws.config",
        MessageType: "ScheduledNotification",
        MaximumExecutionFrequency: { Ref: FREQUENCY_PARAMETER },
      },
    ]);
    // A periodic rule is not triggered by resources: no scope, as on the Terraform rules.
    expect(rule).not.toHaveProperty("Scope");
  });

  it("evaluates AWS::::Account, the resource type the evaluator posts", async () => {
    expect(String(rule.Description)).toContain("(AWS::::Account)");
    expect(await readFile(join("rule", "aws", "put-evaluation.ts"), "utf8")).toContain(
      'ComplianceResourceType: "AWS::::Account"',
    );
  });

  it("takes every rule parameter from its own template parameter, RootActivityParam<Name>", () => {
    const inputs = rule.InputParameters as Record<string, unknown>;
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(RULE_PARAMETER_DEFAULTS).sort());
    for (const name of Object.keys(inputs)) {
      expect(parameters, name).toHaveProperty(templateParameterOf(name));
      const set = ruleFor({ [templateParameterOf(name)]: "42" }).InputParameters as Record<string, unknown>;
      expect(set[name], name).toBe("42");
      const empty = ruleFor({ [templateParameterOf(name)]: "" }).InputParameters as Record<string, unknown>;
      expect(empty, `${name} left empty is left out, which is the rule's default`).not.toHaveProperty(name);
    }
  });

  it("has the rule's defaults: lookbackDays 30, failOnActiveAccessKeys false, cloudTrailLookup true, countCentralizedRootSessions false", () => {
    const defaults = Object.fromEntries(
      Object.entries(RULE_PARAMETER_DEFAULTS).filter(([, value]) => value !== undefined),
    );
    expect(ruleFor().InputParameters).toEqual(defaults);
    expect(parameters[FREQUENCY_PARAMETER]?.Default).toBe("TwentyFour_Hours");
  });

  it("passes parameters the evaluator reads as its defaults, and none the evaluator does not know", () => {
    expect(parseRuleParameters(JSON.stringify(ruleFor().InputParameters))).toEqual(DEFAULT_PARAMETERS);
    const everySet = ruleFor({
      RootActivityParamCloudTrailRegions: "us-east-1,eu-west-1",
      RootActivityParamExecutionRoleName: "root-activity-member",
    }).InputParameters;
    expect(() => parseRuleParameters(JSON.stringify(everySet))).not.toThrow();
  });

  it("lookbackDays: the allowed pattern accepts 1 to 3650 and empty, nothing the evaluator refuses", () => {
    const pattern = new RegExp(parameters.RootActivityParamLookbackDays?.AllowedPattern ?? "^$");
    for (let days = 0; days <= LOOKBACK_DAYS_MAX + 400; days++) {
      let evaluatorAccepts = true;
      try {
        parseRuleParameters({ lookbackDays: String(days) });
      } catch {
        evaluatorAccepts = false;
      }
      expect(pattern.test(String(days)), String(days)).toBe(evaluatorAccepts);
    }
    expect(pattern.test("")).toBe(true);
    for (const bad of ["1.5", "-1", "30 ", "3e2", "ten"]) expect(pattern.test(bad), bad).toBe(false);
  });

  it("the true/false parameters allow exactly true, false and empty, which the evaluator reads", () => {
    for (const name of ["failOnActiveAccessKeys", "cloudTrailLookup", "countCentralizedRootSessions"]) {
      expect(parameters[templateParameterOf(name)]?.AllowedValues, name).toEqual(["true", "false", ""]);
    }
    for (const value of ["true", "false", ""]) {
      expect(() => parseRuleParameters({ failOnActiveAccessKeys: value })).not.toThrow();
    }
  });

  it("executionRoleName: the allowed pattern accepts what the evaluator accepts", () => {
    const pattern = new RegExp(parameters.RootActivityParamExecutionRoleName?.AllowedPattern ?? "^$");
    for (const good of ["root-activity-member", "a", "Role+=,.@_-1", "r".repeat(64)]) {
      expect(pattern.test(good), good).toBe(true);
      expect(parseRuleParameters({ executionRoleName: good }).executionRoleName).toBe(good);
    }
    for (const bad of ["r".repeat(65), "path/role", "role name"]) {
      expect(pattern.test(bad), bad).toBe(false);
      expect(() => parseRuleParameters({ executionRoleName: bad }), bad).toThrow();
    }
  });

  it("cloudTrailRegions: a comma-separated list of Region names, or empty", () => {
    const pattern = new RegExp(parameters.RootActivityParamCloudTrailRegions?.AllowedPattern ?? "^$");
    for (const good of ["", "us-east-1", "us-east-1,eu-west-1", "us-gov-west-1,ap-southeast-5"]) {
      expect(pattern.test(good), good).toBe(true);
      expect(() => parseRuleParameters({ cloudTrailRegions: good }), good).not.toThrow();
    }
    for (const bad of ["us-east-1,", "us-east-1, eu-west-1", "US-EAST-1", "*"])
      expect(pattern.test(bad), bad).toBe(false);
  });
});

/** The two modules that deploy the pack, and the pack resource and rule resource each plans. */
const MODULES = [
  ["terraform", "aws_config_conformance_pack", "aws_config_config_rule"],
  [
    join("terraform", "modules", "organization"),
    "aws_config_organization_conformance_pack",
    "aws_config_organization_custom_rule",
  ],
] as const;

/** The one resource of `type` in a plan. */
function only(planned: Plan, type: string): Instance {
  const found = planned.resources.filter((resource) => resource.type === type);
  if (found.length !== 1) throw new Error(`${found.length} ${type} in the plan`);
  return found[0] as Instance;
}

/** What AWS Config receives for the pack: its template (parsed), its input parameters by name, the rest of the call. */
function packOf(planned: Plan, packType: string) {
  const pack = only(planned, packType);
  const inputs = Object.fromEntries(
    ((pack.values.input_parameter ?? []) as { parameter_name: string; parameter_value: string }[]).map(
      (input) => [input.parameter_name, input.parameter_value],
    ),
  );
  return { pack, template: parseCloudFormation(String(pack.values.template_body)), inputs };
}

/** The rule AWS Config creates from what the module sends: the pack's rule resolved with its input parameters. */
function packRule(planned: Plan, packType: string): Record<string, unknown> {
  const { template: sent, inputs } = packOf(planned, packType);
  const declared = sent.Parameters as Record<string, Parameter>;
  const parameterValues = Object.fromEntries(
    Object.entries(declared).map(([name, parameter]) => [name, inputs[name] ?? parameter.Default ?? ""]),
  );
  const [packResource] = Object.values(sent.Resources as Record<string, { Properties: unknown }>);
  return resolve(
    packResource?.Properties,
    parameterValues,
    (sent.Conditions ?? {}) as Record<string, unknown>,
  ) as Record<string, unknown>;
}

/** The rule the module creates itself, as AWS Config's ConfigRule (the organization rule as created in each account). */
function moduleRule(planned: Plan, ruleType: string): Record<string, unknown> {
  const own = only(planned, ruleType).values;
  if (ruleType === "aws_config_config_rule") {
    const [ruleSource] = own.source as Record<string, Value>[];
    const [detail] = (ruleSource?.source_detail ?? []) as Record<string, Value>[];
    return {
      InputParameters: JSON.parse(String(own.input_parameters)),
      Source: {
        Owner: ruleSource?.owner,
        SourceIdentifier: ruleSource?.source_identifier,
        SourceDetails: [
          {
            EventSource: detail?.event_source,
            MessageType: detail?.message_type,
            MaximumExecutionFrequency: detail?.maximum_execution_frequency,
          },
        ],
      },
    };
  }
  // PutOrganizationConfigRule's OrganizationCustomRuleMetadata: the function, the trigger types, the frequency.
  return {
    InputParameters: JSON.parse(String(own.input_parameters)),
    Source: {
      Owner: "CUSTOM_LAMBDA",
      SourceIdentifier: own.lambda_function_arn,
      SourceDetails: (own.trigger_types as string[]).map((messageType) => ({
        EventSource: "aws.config",
        MessageType: messageType,
        MaximumExecutionFrequency: own.maximum_execution_frequency,
      })),
    },
  };
}

/** Variables that set every rule parameter away from its default. */
const EVERY_RULE_PARAMETER = {
  lookback_days: 7,
  fail_on_active_access_keys: true,
  cloudtrail_lookup: false,
  cloudtrail_regions: ["us-east-1", "eu-west-1"],
  count_centralized_root_sessions: true,
  maximum_execution_frequency: "One_Hour",
};

describe.each(MODULES)(
  "%s: the pack AWS Config receives creates the module's rule again",
  (dir, packType, ruleType) => {
    it("sends the shipped template with its rule renamed to the module's rule, nothing else changed", async () => {
      for (const name of ["root-activity", "RootActivity2"]) {
        const { template: sent } = packOf(
          await renderPlan(dir, { name, create_conformance_pack: true }),
          packType,
        );
        const expected = structuredClone(template);
        const renamed = (expected.Resources as typeof resources).RootActivity;
        if (renamed !== undefined) renamed.Properties.ConfigRuleName = name;
        expect(sent, name).toEqual(expected);
      }
    });

    it.each([
      ["the defaults", {}],
      ["every rule parameter set", EVERY_RULE_PARAMETER],
    ])(
      "with %s, the pack's rule has the module rule's function, trigger, frequency and parameters",
      async (_, vars) => {
        const planned = await renderPlan(dir, { ...vars, create_conformance_pack: true });
        const created = packRule(planned, packType);
        const own = moduleRule(planned, ruleType);
        expect(created.Source).toEqual(own.Source);
        expect(created.InputParameters).toEqual(own.InputParameters);
        // And the evaluator reads them as the module's rule parameters.
        expect(parseRuleParameters(JSON.stringify(created.InputParameters))).toEqual(
          parseRuleParameters(JSON.stringify(own.InputParameters)),
        );
      },
    );

    it("is opt-in: no pack unless create_conformance_pack is true", async () => {
      expect((await renderPlan(dir, {})).resources.filter((resource) => resource.type === packType)).toEqual(
        [],
      );
      expect(only(await renderPlan(dir, { create_conformance_pack: true }), packType)).toBeDefined();
    });

    it("is delivered to the bucket and key prefix of the variables, unchanged", async () => {
      const bucket = dir === "terraform" ? "config-packs-bucket" : "awsconfigconforms-bucket";
      const { pack } = packOf(
        await renderPlan(dir, {
          create_conformance_pack: true,
          conformance_pack_delivery_s3_bucket: bucket,
          conformance_pack_delivery_s3_key_prefix: "packs/",
        }),
        packType,
      );
      expect([pack.values.delivery_s3_bucket, pack.values.delivery_s3_key_prefix]).toEqual([
        bucket,
        "packs/",
      ]);
    });

    // PutConformancePack ConformancePackName 1-256, PutOrganizationConformancePack OrganizationConformancePackName
    // 1-128, both [a-zA-Z][-a-zA-Z0-9]* (botocore's config 2014-11-12 model).
    it("is named conformance_pack_name, or else the module's name with hyphens for underscores: a name the Config API accepts", async () => {
      const max = packType === "aws_config_conformance_pack" ? 256 : 128;
      const packName = async (vars: Record<string, Value>) =>
        only(await renderPlan(dir, { create_conformance_pack: true, ...vars }), packType).values.name;
      // A name with underscores, where the module accepts one, has them turned into hyphens.
      if (accepts((await loadModule(dir)).variables, "name", "Root_Activity_2"))
        expect(await packName({ name: "Root_Activity_2" })).toBe("Root-Activity-2");
      expect(await packName({ name: "RootActivity2", conformance_pack_name: "Pack-1" })).toBe("Pack-1");
      const names = sampleValues("name").filter((name): name is string => typeof name === "string");
      let accepted = 0;
      for (const name of names) {
        let value: Value | undefined;
        try {
          value = await packName({ name });
        } catch (error) {
          if (error instanceof PlanError) continue; // a name the module refuses
          throw error;
        }
        accepted += 1;
        expect(String(value), name).toMatch(/^[a-zA-Z][-a-zA-Z0-9]*$/);
        expect(String(value).length, name).toBeLessThanOrEqual(max);
      }
      expect(accepted).toBeGreaterThan(0);
    });

    it("refuses at plan time a template whose rule name line is missing or doubled (the module renames the rule there)", async () => {
      for (const [what, change] of [
        [
          "missing",
          (text: string) => text.replace("ConfigRuleName: root-activity\n", "ConfigRuleName: another\n"),
        ],
        [
          "doubled",
          (text: string) => `${text}# ConfigRuleName: root-activity\n      ConfigRuleName: root-activity\n`,
        ],
      ] as const) {
        const copy = await mkdtemp(join(tmpdir(), "conformance-pack-"));
        await cp("terraform", copy, { recursive: true, filter: (path) => !path.includes(".terraform") });
        await writeFile(join(copy, "conformance-packs", "root-activity.yaml"), change(templateSource));
        const copyDir = join(copy, dir === "terraform" ? "" : join("modules", "organization"));
        await expect(renderPlan(copyDir, { create_conformance_pack: true }), what).rejects.toThrow(
          /must contain the line "ConfigRuleName: root-activity" exactly once/,
        );
      }
    });
  },
);

describe("terraform: the single-account pack", () => {
  it("lets only AWS Config invoke the function, for this account's conformance pack rules in this region", async () => {
    const planned = await renderPlan("terraform", { create_conformance_pack: true });
    const permission = planned.resources.find(
      (resource) => resource.address === "aws_lambda_permission.conformance_pack[0]",
    );
    expect(permission?.values).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "config.amazonaws.com",
      function_name: only(planned, "aws_lambda_function").values.function_name,
      source_account: WORLD.accountId,
      // Pack rules are service-linked rules of config-conforms.amazonaws.com (AWS managed policy
      // ConfigConformsServiceRolePolicy); Lambda compares the source ARN with StringLike.
      source_arn: `arn:${WORLD.partition}:config:${WORLD.region}:${WORLD.accountId}:config-rule/aws-service-rule/config-conforms.amazonaws.com/*`,
    });
    const without = await renderPlan("terraform", {});
    expect(
      without.resources.filter((resource) =>
        resource.address.startsWith("aws_lambda_permission.conformance_pack"),
      ),
    ).toEqual([]);
  });

  it("is created after the permission and the module's recorder", async () => {
    const pack = only(
      await renderPlan("terraform", { create_conformance_pack: true }),
      "aws_config_conformance_pack",
    );
    expect(pack.dependsOn).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.conformance_pack",
        "aws_config_configuration_recorder_status.this",
      ]),
    );
  });

  it("outputs the pack, its rule's name prefix and the Audit Manager keywords", async () => {
    const on = (await renderPlan("terraform", { name: "ra", create_conformance_pack: true })).outputs;
    const off = (await renderPlan("terraform", { name: "ra" })).outputs;
    expect([on.conformance_pack_name, off.conformance_pack_name]).toEqual(["ra", null]);
    // AWS Config names the pack's rule <ConfigRuleName>-conformance-pack-<id>; the template's rule is renamed to the module's.
    expect([on.conformance_pack_rule_name_prefix, off.conformance_pack_rule_name_prefix]).toEqual([
      "ra-conformance-pack-",
      null,
    ]);
    expect(on.audit_manager_keywords).toEqual(["Custom_ra", "Custom_ra-conformance-pack"]);
    expect(off.audit_manager_keywords).toEqual(["Custom_ra"]);
  });
});

describe("terraform/modules/organization: the organization pack", () => {
  const ORGANIZATION = join("terraform", "modules", "organization");

  it("is invoked through the organization rule's permissions, adds none (no tighter one exists for every account), and comes after them and the member roles", async () => {
    const planned = await renderPlan(ORGANIZATION, { create_conformance_pack: true });
    const without = await renderPlan(ORGANIZATION, {});
    const permissions = (p: Plan) =>
      p.resources
        .filter((resource) => resource.type === "aws_lambda_permission")
        .map((resource) => resource.values);
    expect(permissions(planned)).toEqual(permissions(without));
    expect(only(planned, "aws_config_organization_conformance_pack").dependsOn).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.config_organization",
        "aws_lambda_permission.config_account",
        "aws_cloudformation_stack_instances.member_role",
        "aws_iam_role_policy.member",
      ]),
    );
  });

  it("skips the accounts the organization rule skips", async () => {
    const planned = await renderPlan(ORGANIZATION, {
      create_conformance_pack: true,
      excluded_accounts: ["111122223333"],
    });
    expect(only(planned, "aws_config_organization_conformance_pack").values.excluded_accounts).toEqual([
      "111122223333",
    ]);
    expect(only(planned, "aws_config_organization_custom_rule").values.excluded_accounts).toEqual([
      "111122223333",
    ]);
  });

  it("passes executionRoleName, so the function evaluates each account through the member role", async () => {
    const planned = await renderPlan(ORGANIZATION, {
      create_conformance_pack: true,
      member_role_name: "audit-reader",
    });
    const inputs = packRule(planned, "aws_config_organization_conformance_pack").InputParameters;
    expect(parseRuleParameters(JSON.stringify(inputs)).executionRoleName).toBe("audit-reader");
  });

  it("outputs the Audit Manager keywords without the suffix AWS Config adds", async () => {
    const keywords = async (on: boolean) =>
      (await renderPlan(ORGANIZATION, { name: "ra", create_conformance_pack: on })).outputs
        .audit_manager_keywords;
    expect(await keywords(true)).toEqual(["Custom_OrgConfigRule-ra", "Custom_ra-conformance-pack"]);
    expect(await keywords(false)).toEqual(["Custom_OrgConfigRule-ra"]);
  });
});
