// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * The conformance pack: the template terraform/conformance-packs/root-activity.yaml parses as
 * CloudFormation (short-form tags included) and holds the rule AWS Config must create, with the
 * rule's own defaults; the rule it creates is the one the Terraform modules create (parameters,
 * frequency, trigger, resource type, function); and the Terraform that deploys it
 * (conformance-pack.tf of both modules) is opt-in, validated and least-privilege. The checks
 * every module's files get (formatting, parsing, documented and used declarations, no
 * hard-coded ARNs, README tables) run in terraform-module.test.ts and
 * terraform-organization.test.ts, which load these files too.
 */
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PARAMETERS, LOOKBACK_DAYS_MAX, parseRuleParameters } from "../rule/params.ts";
import { conditionUses, parseCloudFormation, refs, resolve } from "./support/cfn.ts";
import { type Block, declarations, dependsOn, loadModule, nested, unwrap } from "./support/hcl.ts";
import { accepts, evaluateExpression, moduleScope, type Value } from "./support/hcl-expression.ts";
import { sampleValues } from "./support/validation-cases.ts";

const TEMPLATE_PATH = join("terraform", "conformance-packs", "root-activity.yaml");
const templateSource = await readFile(TEMPLATE_PATH, "utf8");
const template = parseCloudFormation(templateSource);

const root = await loadModule("terraform");
const organization = await loadModule(join("terraform", "modules", "organization"));

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

const PARTITION = "<data.aws_partition.current.partition>";
const REGION = "<data.aws_region.current.region>";
const ACCOUNT_ID = "<data.aws_caller_identity.current.account_id>";

/** A module's variables at their defaults, with `overrides`. */
const defaultsOf = (module: typeof root, overrides: Record<string, Value> = {}): Record<string, Value> => ({
  ...Object.fromEntries(
    Object.entries(module.variables)
      .filter(([, block]) => "default" in block)
      .map(([name, block]) => [name, block.default as Value]),
  ),
  ...overrides,
});
/** What an expression of `module` is for its variables at their defaults with `overrides`. */
const inModule = (module: typeof root, expression: unknown, overrides: Record<string, Value> = {}): Value =>
  evaluateExpression(expression, moduleScope(module, defaultsOf(module, overrides)));

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

/** The keys of a module's local.rule_parameters, whether it is an object or an expression building one. */
function ruleParameterKeys(module: typeof root): string[] {
  const local = module.locals.rule_parameters;
  if (typeof local === "object" && local !== null) return Object.keys(local);
  const expression = unwrap(local);
  return [...new Set([...expression.matchAll(/\b([a-z][A-Za-z]+)\s*=(?!=)/g)].map(([, key = ""]) => key))];
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

  it("fits AWS Config's limits: template body at most 51,200 bytes, at most 60 parameters, only Config rules", () => {
    // botocore's config 2014-11-12 model: TemplateBody max 51200, ConformancePackInputParameters max 60;
    // a pack template holds AWS::Config::ConfigRule and AWS::Config::RemediationConfiguration only.
    expect(Buffer.byteLength(templateSource)).toBeLessThanOrEqual(51_200);
    expect(Object.keys(parameters).length).toBeLessThanOrEqual(60);
    expect(Object.values(resources).map((resource) => resource.Type)).toEqual(["AWS::Config::ConfigRule"]);
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

/** What both modules share about the pack: the template, its parameters, the rule. */
const MODULES = [
  ["terraform", root, "aws_config_conformance_pack", "conformance-packs/root-activity.yaml"],
  [
    "modules/organization",
    organization,
    "aws_config_organization_conformance_pack",
    "../../conformance-packs/root-activity.yaml",
  ],
] as const;

describe.each(MODULES)("%s: the pack's rule is the module's rule", (_, module, packType, relativePath) => {
  const pack = declarations(module).resource(packType, "this");

  it("deploys the shipped template, its rule renamed to the module's rule name", () => {
    expect(module.locals.conformance_pack_template_path).toBe(`\${path.module}/${relativePath}`);
    expect(normalize(join(module.dir, relativePath))).toBe(normalize(TEMPLATE_PATH));
    expect(unwrap(pack.template_body)).toBe("local.conformance_pack_template_body");
    expect(module.locals.conformance_pack_rule_name_line).toBe("      ConfigRuleName: root-activity\n");
    expect(unwrap(module.locals.conformance_pack_template_body).replace(/\s+/g, " ")).toBe(
      'replace( file(local.conformance_pack_template_path), local.conformance_pack_rule_name_line, " ConfigRuleName: ${local.rule_name}\\n", )',
    );
    expect(module.locals.rule_name).toBe("${var.name}");
  });

  it("passes the function, the frequency and every entry of local.rule_parameters, each to a template parameter", () => {
    // Every rule parameter the module's own rule gets (CloudTrail regions too), under its template parameter's name.
    const overrides = {
      maximum_execution_frequency: "One_Hour",
      cloudtrail_regions: ["us-east-1", "eu-west-1"],
    };
    const ruleParameterValues = inModule(module, module.locals.rule_parameters, overrides) as Record<
      string,
      string
    >;
    expect(ruleParameterValues).toMatchObject({ cloudTrailRegions: "us-east-1,eu-west-1" });
    const dynamic = nested(pack.dynamic as Block, "input_parameter");
    const given = inModule(module, dynamic.for_each, overrides) as Record<string, Value>;
    expect(given).toEqual({
      [ARN_PARAMETER]: "<module.evaluator.function_arn>",
      [FREQUENCY_PARAMETER]: "One_Hour",
      ...Object.fromEntries(
        Object.entries(ruleParameterValues).map(([name, value]) => [templateParameterOf(name), value]),
      ),
    });
    // Each entry one input parameter, its name and value unchanged.
    for (const [key, value] of Object.entries(given)) {
      expect(
        evaluateExpression(nested(dynamic, "content"), { input_parameter: { key, value } }),
        key,
      ).toEqual({ parameter_name: key, parameter_value: value });
    }
    const keys = ruleParameterKeys(module);
    expect(keys).toContain("lookbackDays");
    for (const key of keys) {
      expect(parameters, `template parameter for ${key}`).toHaveProperty(templateParameterOf(key));
      // The template hands that parameter to the rule parameter of the same name.
      const inputs = ruleFor({ [templateParameterOf(key)]: "value" }).InputParameters as Record<
        string,
        unknown
      >;
      expect(inputs[key], key).toBe("value");
    }
  });

  it("every template parameter the module leaves to its default has the default the module's rule has", () => {
    const keys = ruleParameterKeys(module);
    for (const [name, value] of Object.entries(RULE_PARAMETER_DEFAULTS)) {
      if (keys.includes(name)) continue;
      const inputs = ruleFor().InputParameters as Record<string, unknown>;
      expect(inputs[name], name).toBe(value);
    }
    // The module's own variables and the template agree on the defaults they share.
    const variable = declarations(module).variable;
    expect(String(variable("lookback_days").default)).toBe(parameters.RootActivityParamLookbackDays?.Default);
    expect(String(variable("fail_on_active_access_keys").default)).toBe(
      parameters.RootActivityParamFailOnActiveAccessKeys?.Default,
    );
    expect(variable("maximum_execution_frequency").default).toBe(parameters[FREQUENCY_PARAMETER]?.Default);
    // The template allows exactly the frequencies the module accepts.
    const allowed: readonly Value[] = parameters[FREQUENCY_PARAMETER]?.AllowedValues ?? [];
    expect(allowed.length).toBeGreaterThan(0);
    for (const frequency of new Set([...allowed, ...sampleValues("maximum_execution_frequency")])) {
      expect(accepts(module.variables, "maximum_execution_frequency", frequency), String(frequency)).toBe(
        allowed.includes(frequency),
      );
    }
  });

  it("is opt-in: create_conformance_pack, false by default, counts the pack", () => {
    expect(declarations(module).variable("create_conformance_pack").default).toBe(false);
    for (const on of [false, true]) {
      expect(evaluateExpression(pack.count, { var: { create_conformance_pack: on } }), String(on)).toBe(
        on ? 1 : 0,
      );
    }
  });

  it("is delivered to the bucket and key prefix of the variables, passed unchanged", () => {
    const given = {
      conformance_pack_delivery_s3_bucket: "the bucket",
      conformance_pack_delivery_s3_key_prefix: "the prefix",
    };
    expect(evaluateExpression(pack.delivery_s3_bucket, { var: given })).toBe("the bucket");
    expect(evaluateExpression(pack.delivery_s3_key_prefix, { var: given })).toBe("the prefix");
  });

  it("refuses a template whose rule name line is missing or doubled, at plan time", () => {
    const [precondition] = (nested(pack, "lifecycle").precondition ?? []) as Block[];
    expect(unwrap(precondition?.condition)).toBe(
      "length(split(local.conformance_pack_rule_name_line, file(local.conformance_pack_template_path))) == 2",
    );
  });

  // Which values conformance_pack_name and the delivery variables accept is in test/terraform-validations.test.ts.
  it("is named conformance_pack_name, or else the module's name with hyphens for underscores, a name conformance_pack_name accepts", () => {
    const packName = (name: string, conformancePackName: string | null): Value =>
      evaluateExpression(pack.name, {
        local: {
          conformance_pack_name: evaluateExpression(module.locals.conformance_pack_name, {
            var: { name, conformance_pack_name: conformancePackName },
          }),
        },
      });
    expect(packName("Root_Activity_2", null)).toBe("Root-Activity-2");
    expect(packName("Root_Activity_2", "Pack-1")).toBe("Pack-1");
    const names = sampleValues("name").filter(
      (name): name is string => typeof name === "string" && accepts(module.variables, "name", name),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(accepts(module.variables, "conformance_pack_name", packName(name, null)), name).toBe(true);
    }
  });
});

describe("terraform: the single-account pack", () => {
  const { resource } = declarations(root);
  const pack = resource("aws_config_conformance_pack", "this");
  const permission = resource("aws_lambda_permission", "conformance_pack");

  it("lets only AWS Config invoke the function, for this account's conformance pack rules in this region", () => {
    for (const on of [false, true])
      expect(inModule(root, permission.count, { create_conformance_pack: on })).toBe(on ? 1 : 0);
    expect(permission.action).toBe("lambda:InvokeFunction");
    expect(permission.principal).toBe("config.amazonaws.com");
    expect(inModule(root, permission.function_name)).toBe("<module.evaluator.function_name>");
    expect(inModule(root, permission.source_account)).toBe(ACCOUNT_ID);
    // Pack rules are service-linked rules of config-conforms.amazonaws.com (AWS managed policy
    // ConfigConformsServiceRolePolicy); Lambda compares the source ARN with StringLike.
    expect(inModule(root, permission.source_arn)).toBe(
      `arn:${PARTITION}:config:${REGION}:${ACCOUNT_ID}:config-rule/aws-service-rule/config-conforms.amazonaws.com/*`,
    );
  });

  it("is created after the permission and the module's recorder", () => {
    expect(dependsOn(pack)).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.conformance_pack",
        "aws_config_configuration_recorder_status.this",
      ]),
    );
  });

  it("runs the same function as the module's rule, with the same trigger", () => {
    const ruleSource = nested(resource("aws_config_config_rule", "this"), "source");
    expect(ruleSource.owner).toBe(source.Owner);
    expect(inModule(root, ruleSource.source_identifier)).toBe("<module.evaluator.function_arn>");
    const detail = nested(ruleSource, "source_detail");
    const [templateDetail] = source.SourceDetails;
    expect(detail.event_source).toBe(templateDetail?.EventSource);
    expect(detail.message_type).toBe(templateDetail?.MessageType);
    expect(
      inModule(root, detail.maximum_execution_frequency, { maximum_execution_frequency: "One_Hour" }),
    ).toBe("One_Hour");
  });

  it("outputs the pack, its rule's name prefix and the Audit Manager keywords", () => {
    const output = (name: string, on: boolean): Value =>
      inModule(root, root.outputs[name]?.value, { name: "ra", create_conformance_pack: on });
    expect(output("conformance_pack_name", true)).toBe("<aws_config_conformance_pack.this[0].name>");
    expect(output("conformance_pack_name", false)).toBeNull();
    // AWS Config names the pack's rule <ConfigRuleName>-conformance-pack-<id>; the template's rule is renamed to the module's.
    expect(output("conformance_pack_rule_name_prefix", true)).toBe("ra-conformance-pack-");
    expect(output("conformance_pack_rule_name_prefix", false)).toBeNull();
    expect(output("audit_manager_keywords", true)).toEqual(["Custom_ra", "Custom_ra-conformance-pack"]);
    expect(output("audit_manager_keywords", false)).toEqual(["Custom_ra"]);
  });
});

describe("terraform: the organization pack", () => {
  const { resource } = declarations(organization);
  const pack = resource("aws_config_organization_conformance_pack", "this");

  it("is invoked through the organization rule's permissions, and adds none (no tighter one exists for every account)", () => {
    expect(Object.keys(organization.resources.aws_lambda_permission ?? {}).sort()).toEqual([
      "config_account",
      "config_organization",
    ]);
    expect(dependsOn(pack)).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.config_organization",
        "aws_lambda_permission.config_account",
        "aws_cloudformation_stack_instances.member_role",
        "aws_iam_role_policy.member",
      ]),
    );
  });

  it("skips the accounts the organization rule skips", () => {
    expect(inModule(organization, pack.excluded_accounts, { excluded_accounts: ["111122223333"] })).toEqual([
      "111122223333",
    ]);
  });

  it("passes executionRoleName, so the function evaluates each account through the member role", () => {
    expect(ruleParameterKeys(organization)).toContain("executionRoleName");
    const inputs = ruleFor({ RootActivityParamExecutionRoleName: "root-activity-member" }).InputParameters;
    expect(parseRuleParameters(JSON.stringify(inputs)).executionRoleName).toBe("root-activity-member");
  });

  it("runs the same function as the organization rule, with the same trigger", () => {
    const orgRule = resource("aws_config_organization_custom_rule", "this");
    expect(inModule(organization, orgRule.lambda_function_arn)).toBe("<module.evaluator.function_arn>");
    expect(orgRule.trigger_types).toEqual([source.SourceDetails[0]?.MessageType]);
    expect(
      inModule(organization, orgRule.maximum_execution_frequency, {
        maximum_execution_frequency: "One_Hour",
      }),
    ).toBe("One_Hour");
  });

  it("outputs the Audit Manager keywords without the suffix AWS Config adds", () => {
    const keywords = (on: boolean): Value =>
      inModule(organization, organization.outputs.audit_manager_keywords?.value, {
        name: "ra",
        create_conformance_pack: on,
      });
    expect(keywords(true)).toEqual(["Custom_OrgConfigRule-ra", "Custom_ra-conformance-pack"]);
    expect(keywords(false)).toEqual(["Custom_OrgConfigRule-ra"]);
    expect(inModule(organization, organization.locals.member_rule_name_prefix, { name: "ra" })).toBe(
      "OrgConfigRule-ra-",
    );
  });
});
