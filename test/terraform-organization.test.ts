// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * Checks the organization deployment (terraform/modules/organization and its example) without a
 * terraform binary, the same way test/terraform-module.test.ts checks the single-account module:
 * every file parsed by the real HCL parser and compared with what `terraform fmt` writes, and the
 * parsed module checked for least privilege, scoping, validations and documentation in sync. Where
 * Terraform and the rule's code must agree (parameter names, the member role ARN, role name
 * syntax), the code itself is the reference.
 */
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { describe, expect, it } from "vitest";
import { memberRoleArn } from "../rule/aws/assume-role.ts";
import { DEFAULT_PARAMETERS, parseRuleParameters } from "../rule/params.ts";
import {
  type Block,
  containsList,
  evaluateNumericCondition,
  loadModule,
  loadTerraformFiles,
  nested,
  nestedAll,
  type PolicyStatement,
  policyDocumentOf,
  policyStatements,
  references,
  regexPattern,
  renderInputsTable,
  renderOutputsTable,
  renderResourcesTable,
  unwrap,
  validationConditions,
} from "./support/hcl.ts";

const MODULE_DIR = join("terraform", "modules", "organization");
const EXAMPLE_DIR = join("terraform", "examples", "organization");

const moduleFiles = await loadTerraformFiles(MODULE_DIR);
const exampleFiles = await loadTerraformFiles(EXAMPLE_DIR);
const mod = await loadModule(MODULE_DIR);
const example = await loadModule(EXAMPLE_DIR);

function resource(type: string, name: string): Block {
  const block = mod.resources[type]?.[name];
  if (block === undefined) throw new Error(`resource ${type}.${name} is not declared`);
  return block;
}

function variable(name: string): Block {
  const block = mod.variables[name];
  if (block === undefined) throw new Error(`variable ${name} is not declared`);
  return block;
}

function dependsOn(block: Block): string[] {
  const list = block.depends_on;
  return Array.isArray(list) ? list.map(unwrap) : [];
}

function statementsOf(expression: unknown): PolicyStatement[] {
  return policyStatements(policyDocumentOf(mod, expression));
}

/** Inline policies and attachments that give the module's role `roleName` its permissions. */
function rolePolicies(roleName: string): { inline: Block[]; attachments: Block[]; role: Block } {
  const role = resource("aws_iam_role", roleName);
  const onRole = (block: Block): boolean =>
    references(block.role ?? block.roles).some((ref) => ref === `aws_iam_role.${roleName}`);
  const attachments = [
    ...Object.values(mod.resources.aws_iam_role_policy_attachment ?? {}),
    ...Object.values(mod.resources.aws_iam_policy_attachment ?? {}),
    ...Object.values(mod.resources.aws_iam_role_policy_attachments_exclusive ?? {}),
  ].filter(onRole);
  const inline = Object.values(mod.resources.aws_iam_role_policy ?? {}).filter(onRole);
  return { inline, attachments, role };
}

function expectOnlyAllows(statements: PolicyStatement[]): void {
  for (const statement of statements) {
    expect(statement.effect, statement.sid).toBe("Allow");
    expect(statement.not_actions, "NotAction grants everything else").toBeUndefined();
    expect(statement.not_resources, "NotResource grants everything else").toBeUndefined();
    expect(statement.not_principals).toBeUndefined();
  }
}

/** The regex of `alltrue([for id in var.<name> : can(regex("<pattern>", id))])`. */
function listItemPattern(name: string): RegExp {
  const condition = validationConditions(variable(name)).join(" ");
  const match = new RegExp(
    `alltrue\\(\\[for (\\w+) in var\\.${name} : can\\(regex\\(("(?:[^"\\\\]|\\\\.)*"), \\1\\)\\)\\]\\)`,
  ).exec(condition);
  if (match?.[2] === undefined) throw new Error(`var.${name}: no per-item regex validation in ${condition}`);
  return new RegExp(JSON.parse(match[2]) as string);
}

const MEMBER_ACTIONS = ["iam:GenerateCredentialReport", "iam:GetCredentialReport", "config:PutEvaluations"];

describe("Terraform files", () => {
  it("finds the module and the example", () => {
    const paths = moduleFiles.map((file) => file.path);
    for (const name of ["versions.tf", "main.tf", "iam.tf", "stackset.tf", "variables.tf", "outputs.tf"]) {
      expect(paths).toContain(name);
    }
    expect(exampleFiles.map((file) => file.path)).toEqual(
      expect.arrayContaining(["main.tf", "variables.tf", "outputs.tf"]),
    );
  });

  it.each([
    ...moduleFiles.map((f) => [join(MODULE_DIR, f.path), f] as const),
    ...exampleFiles.map((f) => [join(EXAMPLE_DIR, f.path), f] as const),
  ])("%s is formatted as terraform fmt writes it", async (_, file) => {
    // loadTerraformFiles already parsed every file with the real HCL parser (it rejects otherwise).
    expect(await format(file.source), "run: npx tsx scripts/check-terraform-format.ts --write").toBe(
      file.source,
    );
  });

  it("requires Terraform 1.5 and hashicorp/aws 6.20 or newer (stack_set_instance_region, nodejs24.x)", () => {
    expect(mod.terraform).toHaveLength(1);
    const [terraform] = mod.terraform;
    expect(terraform?.required_version).toBe(">= 1.5");
    const aws = nested(terraform ?? {}, "required_providers").aws as { source?: string; version?: string };
    expect(aws.source).toBe("hashicorp/aws");
    expect(aws.version).toBe(">= 6.20");
  });
});

describe("Lambda execution role", () => {
  const policies = rolePolicies("lambda");
  const all = policies.inline.flatMap((policy) => statementsOf(policy.policy));

  it("has only inline policies written from policy documents, no managed policy", () => {
    expect(policies.inline).toHaveLength(1);
    expect(policies.attachments).toEqual([]);
    expect(policies.role.managed_policy_arns).toBeUndefined();
    expect(policies.role.inline_policy).toBeUndefined();
    expect(unwrap(resource("aws_lambda_function", "this").role)).toBe("aws_iam_role.lambda.arn");
  });

  it("is assumed by Lambda only", () => {
    const trusted = statementsOf(policies.role.assume_role_policy).flatMap((s) => s.principals ?? []);
    expect(trusted).toEqual([{ type: "Service", identifiers: ["lambda.amazonaws.com"] }]);
  });

  it("may only assume the member role and write its own logs: it can read no report and post nothing itself", () => {
    expectOnlyAllows(all);
    const actions = all.flatMap((statement) => statement.actions ?? []);
    expect(new Set(actions)).toEqual(
      new Set(["sts:AssumeRole", "logs:CreateLogStream", "logs:PutLogEvents"]),
    );
    for (const action of actions) expect(action).not.toContain("*");
    for (const statement of all) expect(statement.resources).not.toContain("*");
  });

  it("assumes only the member role name, the ARN the function builds, and only in this organization", () => {
    const assume = all.filter((statement) => statement.actions?.includes("sts:AssumeRole"));
    expect(assume).toHaveLength(1);
    expect(assume[0]?.actions).toEqual(["sts:AssumeRole"]);
    // The function assumes memberRoleArn(partition, <event account>, executionRoleName).
    expect(assume[0]?.resources).toEqual([
      memberRoleArn("${local.partition}", "*", "${var.member_role_name}"),
    ]);
    expect(assume[0]?.condition).toEqual([
      { test: "StringEquals", variable: "aws:ResourceOrgID", values: ["${local.organization_id}"] },
    ]);
    expect(unwrap(mod.locals.organization_id)).toBe("data.aws_organizations_organization.current.id");
  });

  it("writes logs only to the module's own log group", () => {
    const logs = all.filter((statement) => statement.actions?.some((a) => a.startsWith("logs:")));
    expect(logs).toHaveLength(1);
    expect(logs[0]?.resources).toEqual(["${aws_cloudwatch_log_group.this.arn}:*"]);
    expect(mod.locals.log_group_name).toBe("/aws/lambda/${var.name}");
  });
});

describe("member role", () => {
  const template = mod.locals.member_role_template as Record<string, unknown>;
  const resources = template.Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const role = resources.MemberRole;
  const properties = role?.Properties ?? {};
  const policies = properties.Policies as { PolicyName: string; PolicyDocument: string }[];

  it("is the only resource of the StackSet template: a named IAM role with one inline policy", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(Object.keys(resources)).toEqual(["MemberRole"]);
    expect(role?.Type).toBe("AWS::IAM::Role");
    expect(properties.RoleName).toBe("${var.member_role_name}");
    expect(properties.ManagedPolicyArns).toBeUndefined();
    expect(properties.PermissionsBoundary).toBeUndefined();
    expect(policies).toHaveLength(1);
    expect(properties.MaxSessionDuration).toBe(3600);
  });

  it("allows exactly the credential report and PutEvaluations, on * because none of them has a resource type", () => {
    const statements = policyStatements(policyDocumentOf(mod, policies[0]?.PolicyDocument));
    expectOnlyAllows(statements);
    expect(statements.flatMap((s) => s.actions ?? []).sort()).toEqual([...MEMBER_ACTIONS].sort());
    for (const statement of statements) {
      expect(statement.resources).toEqual(["*"]);
      expect(statement.principals).toBeUndefined();
    }
  });

  it("trusts only the function's execution role (by ARN, so that recreating the role keeps the trust)", () => {
    const statements = policyStatements(policyDocumentOf(mod, properties.AssumeRolePolicyDocument));
    expect(statements).toHaveLength(1);
    const [trust] = statements;
    expect(trust?.effect).toBe("Allow");
    expect(trust?.actions).toEqual(["sts:AssumeRole"]);
    expect(trust?.principals).toEqual([
      { type: "AWS", identifiers: ["arn:${local.partition}:iam::${local.account_id}:root"] },
    ]);
    expect(trust?.condition).toEqual([
      { test: "ArnEquals", variable: "aws:PrincipalArn", values: ["${aws_iam_role.lambda.arn}"] },
    ]);
  });

  it("is created the same way in this account, for the management account, which StackSets never reach", () => {
    const here = resource("aws_iam_role", "member");
    expect(unwrap(here.count)).toBe("local.create_member_role_here ? 1 : 0");
    expect(unwrap(mod.locals.create_member_role_here)).toBe(
      'var.create_member_role_in_this_account && var.call_as == "SELF"',
    );
    expect(here.name).toBe("${var.member_role_name}");
    expect(unwrap(here.assume_role_policy)).toBe("data.aws_iam_policy_document.member_trust.json");
    expect(unwrap(properties.AssumeRolePolicyDocument)).toBe(
      "jsondecode(data.aws_iam_policy_document.member_trust.json)",
    );
    const { inline, attachments } = rolePolicies("member");
    expect(attachments).toEqual([]);
    expect(inline.map((policy) => unwrap(policy.policy))).toEqual([
      "data.aws_iam_policy_document.member.json",
    ]);
    expect(unwrap(policies[0]?.PolicyDocument)).toBe("jsondecode(data.aws_iam_policy_document.member.json)");
    expect(unwrap(inline[0]?.count)).toBe("local.create_member_role_here ? 1 : 0");
  });

  it("has the name the rule passes as executionRoleName, which the function accepts", () => {
    expect(mod.locals.rule_parameters).toMatchObject({ executionRoleName: "${var.member_role_name}" });
    const name = String(variable("member_role_name").default);
    expect(parseRuleParameters({ executionRoleName: name }).executionRoleName).toBe(name);
  });
});

describe("StackSet", () => {
  const stackSet = resource("aws_cloudformation_stack_set", "member_role");
  const instance = resource("aws_cloudformation_stack_set_instance", "member_role");

  it("uses service-managed permissions and deploys automatically to accounts that join, removing the role from those that leave", () => {
    expect(stackSet.permission_model).toBe("SERVICE_MANAGED");
    expect(nested(stackSet, "auto_deployment")).toEqual({
      enabled: true,
      retain_stacks_on_account_removal: false,
    });
    expect(stackSet.capabilities).toEqual(["CAPABILITY_NAMED_IAM"]);
    expect(stackSet).not.toHaveProperty("administration_role_arn");
    expect(stackSet).not.toHaveProperty("execution_role_name");
    expect(unwrap(stackSet.template_body)).toBe("jsonencode(local.member_role_template)");
    expect(unwrap(stackSet.call_as)).toBe("var.call_as");
    expect(nested(stackSet, "lifecycle").ignore_changes).toEqual(["${administration_role_arn}"]);
  });

  it("refuses a second member role in a delegated administrator account", () => {
    const [precondition] = nestedAll(nested(stackSet, "lifecycle"), "precondition");
    expect(unwrap(precondition?.condition)).toBe(
      '!(var.call_as == "DELEGATED_ADMIN" && var.create_member_role_in_this_account)',
    );
  });

  it("targets organizational units (the root by default) in this region only", () => {
    expect(unwrap(instance.stack_set_name)).toBe("aws_cloudformation_stack_set.member_role.name");
    expect(unwrap(instance.stack_set_instance_region)).toBe("local.region");
    expect(instance).not.toHaveProperty("region");
    expect(instance).not.toHaveProperty("account_id");
    expect(unwrap(instance.call_as)).toBe("var.call_as");
    expect(nested(instance, "deployment_targets").organizational_unit_ids).toBe("${local.target_ou_ids}");
    expect(unwrap(mod.locals.target_ou_ids)).toBe(
      "length(var.organizational_unit_ids) > 0 ? var.organizational_unit_ids : data.aws_organizations_organization.current.roots[*].id",
    );
    const [precondition] = nestedAll(nested(instance, "lifecycle"), "precondition");
    expect(unwrap(precondition?.condition)).toBe("length(local.target_ou_ids) > 0");
  });

  it("takes its rollout speed and failure tolerance from validated variables", () => {
    for (const block of [stackSet, instance]) {
      const preferences = nested(block, "operation_preferences");
      expect(unwrap(preferences.failure_tolerance_percentage)).toBe(
        "var.stack_set_failure_tolerance_percentage",
      );
      expect(unwrap(preferences.max_concurrent_percentage)).toBe("var.stack_set_max_concurrent_percentage");
    }
  });
});

describe("Lambda permission", () => {
  const permissions = mod.resources.aws_lambda_permission ?? {};

  it("lets only AWS Config invoke the function", () => {
    expect(Object.keys(permissions).sort()).toEqual(["config_account", "config_organization"]);
    for (const permission of Object.values(permissions)) {
      expect(permission.principal).toBe("config.amazonaws.com");
      expect(permission.action).toBe("lambda:InvokeFunction");
      expect(unwrap(permission.function_name)).toBe("aws_lambda_function.this.function_name");
      expect(permission, "no condition Lambda would accept for a service principal").not.toHaveProperty(
        "principal_org_id",
      );
      expect(permission).not.toHaveProperty("qualifier");
    }
  });

  it("is one aws:SourceAccount statement per listed account, or the organization-wide statement when none is listed", () => {
    const perAccount = permissions.config_account ?? {};
    expect(unwrap(perAccount.for_each)).toBe("toset(var.lambda_invoke_source_account_ids)");
    expect(unwrap(perAccount.source_account)).toBe("each.value");
    const wide = permissions.config_organization ?? {};
    expect(unwrap(wide.count)).toBe("length(var.lambda_invoke_source_account_ids) == 0 ? 1 : 0");
    // Member accounts' Config invokes it: a source account or rule ARN of this account would block them,
    // and Lambda accepts no account wildcard in source_arn.
    expect(wide).not.toHaveProperty("source_account");
    expect(wide).not.toHaveProperty("source_arn");
    expect(variable("lambda_invoke_source_account_ids").default).toEqual([]);
  });
});

describe("organization Config rule", () => {
  const rule = resource("aws_config_organization_custom_rule", "this");

  it("is a periodic rule run by the module's function", () => {
    expect(unwrap(rule.lambda_function_arn)).toBe("aws_lambda_function.this.arn");
    expect(rule.trigger_types).toEqual(["ScheduledNotification"]);
    expect(unwrap(rule.maximum_execution_frequency)).toBe("var.maximum_execution_frequency");
    expect(unwrap(rule.excluded_accounts)).toBe("var.excluded_accounts");
    expect(rule.name).toBe("${local.rule_name}");
  });

  it("passes the rule parameters the function knows, as strings, including executionRoleName", () => {
    expect(unwrap(rule.input_parameters)).toBe("jsonencode(local.rule_parameters)");
    expect(mod.locals.rule_parameters).toEqual({
      lookbackDays: "${tostring(var.lookback_days)}",
      failOnActiveAccessKeys: "${tostring(var.fail_on_active_access_keys)}",
      executionRoleName: "${var.member_role_name}",
    });
    expect(Object.keys(mod.locals.rule_parameters as object).sort()).toEqual(
      Object.keys(DEFAULT_PARAMETERS).sort(),
    );
  });

  it("is created after the invoke permission and the member roles", () => {
    expect(dependsOn(rule)).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.config_organization",
        "aws_lambda_permission.config_account",
        "aws_cloudformation_stack_set_instance.member_role",
        "aws_iam_role_policy.member",
      ]),
    );
  });

  it("has a description that stays within Config's 256 characters", () => {
    const match = /^format\(\s*"((?:[^"\\]|\\.)*)"/.exec(unwrap(rule.description));
    expect(match).not.toBeNull();
    const longest = JSON.parse(`"${match?.[1]}"`)
      .replace("%d", "3650")
      .replace("%s", ", or has an active access key")
      .replace("%s", "r".repeat(64));
    expect(longest).toMatch(/root user/);
    expect(longest.length).toBeLessThanOrEqual(256);
  });
});

describe("aggregator", () => {
  const aggregator = resource("aws_config_configuration_aggregator", "organization");
  const source = nested(aggregator, "organization_aggregation_source");

  it("aggregates the whole organization, in this region unless all regions are asked for", () => {
    expect(unwrap(aggregator.count)).toBe("var.create_aggregator ? 1 : 0");
    expect(unwrap(source.role_arn)).toBe("aws_iam_role.aggregator[0].arn");
    expect(unwrap(source.all_regions)).toBe("var.aggregator_all_regions");
    expect(unwrap(source.regions)).toBe("var.aggregator_all_regions ? null : [local.region]");
    expect(dependsOn(aggregator)).toContain("aws_iam_role_policy_attachment.aggregator");
  });

  it("uses a role that only AWS Config, for this account, can assume, with AWSConfigRoleForOrganizations only", () => {
    const { inline, attachments, role } = rolePolicies("aggregator");
    expect(inline).toEqual([]);
    expect(attachments.map((a) => a.policy_arn)).toEqual([
      "arn:${local.partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations",
    ]);
    const [trust] = statementsOf(role.assume_role_policy);
    expect(trust?.principals).toEqual([{ type: "Service", identifiers: ["config.amazonaws.com"] }]);
    expect(trust?.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["${local.account_id}"] },
    ]);
  });
});

describe("Lambda function", () => {
  const fn = resource("aws_lambda_function", "this");

  it("deploys this repository's build output by default", () => {
    const path = unwrap(mod.locals.lambda_zip_path);
    expect(path).toBe('coalesce(var.lambda_zip_path, "${path.module}/../../../dist/lambda.zip")');
    expect(normalize(join(MODULE_DIR, "../../../dist/lambda.zip"))).toBe(join("dist", "lambda.zip"));
    expect(unwrap(fn.source_code_hash)).toBe("filebase64sha256(local.lambda_zip_path)");
    expect(mod.locals.lambda_handler).toBe("index.handler");
  });

  it("is configured like the single-account function, with an optional concurrency cap", () => {
    expect(unwrap(fn.runtime)).toBe("var.runtime");
    expect(fn.architectures).toEqual(["${var.architecture}"]);
    expect(unwrap(fn.timeout)).toBe("var.timeout");
    expect(unwrap(fn.memory_size)).toBe("var.memory_size");
    expect(unwrap(fn.reserved_concurrent_executions)).toBe("var.reserved_concurrent_executions");
    expect(variable("reserved_concurrent_executions").default).toBeNull();
    expect(nested(fn, "environment").variables).toEqual({
      POWERTOOLS_SERVICE_NAME: "${local.function_name}",
      LOG_LEVEL: "${var.log_level}",
    });
    expect(nested(fn, "logging_config").log_group).toBe("${aws_cloudwatch_log_group.this.name}");
    expect(dependsOn(fn)).toEqual(
      expect.arrayContaining(["aws_cloudwatch_log_group.this", "aws_iam_role_policy.lambda"]),
    );
    const invoke = resource("aws_lambda_function_event_invoke_config", "this");
    expect(unwrap(invoke.maximum_retry_attempts)).toBe("var.maximum_retry_attempts");
  });
});

describe("variables", () => {
  it.each(Object.entries(mod.variables))("%s has a description and a type", (_, block) => {
    expect(typeof block.description === "string" && block.description.length > 10).toBe(true);
    expect(block.type).toMatch(/^\$\{.+\}$/);
  });

  it.each([
    ["call_as", ["SELF", "DELEGATED_ADMIN"], "SELF"],
    ["runtime", ["nodejs22.x", "nodejs24.x"], "nodejs22.x"],
    ["architecture", ["arm64", "x86_64"], "arm64"],
    ["log_level", ["DEBUG", "INFO", "WARN", "ERROR"], "INFO"],
    [
      "maximum_execution_frequency",
      ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"],
      "TwentyFour_Hours",
    ],
  ])("%s accepts exactly its documented values", (name, values, fallback) => {
    const block = variable(name);
    expect(containsList(validationConditions(block).join(" "), name)).toEqual(values);
    expect(block.default).toBe(fallback);
  });

  it.each([
    ["lookback_days", [1, 30, 3650], [0, 3651, 1.5]],
    ["memory_size", [128, 10240], [127, 10241, 128.5]],
    ["timeout", [10, 900], [9, 901, 60.5]],
    ["maximum_retry_attempts", [0, 1, 2], [-1, 3, 0.5]],
    ["reserved_concurrent_executions", [null, 1, 100], [0, -1, 2.5]],
    ["stack_set_failure_tolerance_percentage", [0, 10, 100], [-1, 101, 2.5]],
    ["stack_set_max_concurrent_percentage", [1, 25, 100], [0, 101, 2.5]],
  ] as const)("%s: the validation accepts %j and rejects %j", (name, good, bad) => {
    const block = variable(name);
    const [condition = ""] = validationConditions(block);
    for (const value of [...good, block.default as number | null]) {
      expect(evaluateNumericCondition(condition, name, value), String(value)).toBe(true);
    }
    for (const value of bad)
      expect(evaluateNumericCondition(condition, name, value), String(value)).toBe(false);
  });

  it("log_retention_in_days accepts only values CloudWatch Logs accepts", () => {
    const allowed = containsList(
      validationConditions(variable("log_retention_in_days")).join(" "),
      "log_retention_in_days",
    );
    expect(allowed).toEqual([
      0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
      3653,
    ]);
  });

  it("name: valid, and every name derived from the longest one fits its limit", () => {
    const pattern = regexPattern(validationConditions(variable("name")).join(" "), "name");
    const valid = (value: string): boolean => pattern?.test(value) ?? false;
    expect(valid("root-activity")).toBe(true);
    expect(valid("a".repeat(46))).toBe(true);
    for (const bad of ["", "a".repeat(47), "1root", "-root", "root activity", "root.activity"]) {
      expect(valid(bad), bad).toBe(false);
    }
    const longest = "a".repeat(46);
    const derive = (local: string): string => String(mod.locals[local]).replace("${var.name}", longest);
    for (const role of ["lambda_role", "aggregator_role"])
      expect(derive(role).length).toBeLessThanOrEqual(64);
    // Config organization rule names: 64; Lambda function names: 64; StackSet names: 128.
    expect(derive("rule_name").length).toBeLessThanOrEqual(64);
    expect(derive("function_name").length).toBeLessThanOrEqual(64);
    expect(derive("stack_set_name").length).toBeLessThanOrEqual(128);
  });

  it("member_role_name accepts exactly the role names the function accepts as executionRoleName", () => {
    const pattern = regexPattern(
      validationConditions(variable("member_role_name")).join(" "),
      "member_role_name",
    );
    const samples = [
      "root-activity-member",
      "a",
      "A+=,.@_-9",
      "r".repeat(64),
      "r".repeat(65),
      "",
      "path/role",
      "role name",
      "rôle",
      "role*",
    ];
    for (const name of samples) {
      const accepted = (() => {
        try {
          return parseRuleParameters({ executionRoleName: name }).executionRoleName === name;
        } catch {
          return false;
        }
      })();
      // An empty value means "not set" to the function; Terraform must refuse it.
      expect(pattern?.test(name), JSON.stringify(name)).toBe(name === "" ? false : accepted);
    }
  });

  it.each([
    ["excluded_accounts", ["123456789012"], ["12345678901", "1234567890123", "abcdefghijkl"]],
    ["lambda_invoke_source_account_ids", ["123456789012"], ["12345678901", "123456789012 "]],
    ["organizational_unit_ids", ["r-ab12", "ou-ab12-cdef5678"], ["o-abcdefghij", "ou-ab12", "123456789012"]],
  ])("%s: each item is validated", (name, good, bad) => {
    const pattern = listItemPattern(name);
    for (const value of good) expect(pattern.test(value), value).toBe(true);
    for (const value of bad) expect(pattern.test(value), value).toBe(false);
    expect(variable(name).default).toEqual([]);
  });

  it("ARN validations accept null and real key ARNs", () => {
    const block = variable("log_group_kms_key_arn");
    expect(block.default).toBeNull();
    const pattern = regexPattern(validationConditions(block).join(" "), "log_group_kms_key_arn");
    expect(pattern?.test("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd")).toBe(true);
    expect(pattern?.test("alias/logs")).toBe(false);
  });
});

describe("declarations are used (tflint terraform_unused_declarations)", () => {
  const code = mod.files
    .filter((file) => file.path !== "variables.tf")
    .map((file) => file.source)
    .join("\n");

  it.each(Object.keys(mod.variables))("var.%s is used", (name) => {
    expect(code).toMatch(new RegExp(`\\bvar\\.${name}\\b`));
  });

  it.each(Object.keys(mod.locals))("local.%s is used", (name) => {
    expect(code).toMatch(new RegExp(`\\blocal\\.${name}\\b`));
  });

  it.each(
    Object.entries(mod.data).flatMap(([type, named]) => Object.keys(named).map((name) => `${type}.${name}`)),
  )("data.%s is used", (address) => {
    expect(code).toContain(`data.${address}`);
  });

  it("uses the partition, account and region data sources instead of hard-coded ARNs", () => {
    for (const file of mod.files.filter((f) => f.path !== "variables.tf")) {
      const json = JSON.stringify(file.json);
      expect(json, file.path).not.toMatch(/arn:aws[:-]/);
      expect(json, file.path).not.toMatch(/\b\d{12}\b/);
    }
  });
});

describe("tags", () => {
  it("go on every taggable resource through local.tags", () => {
    const taggable = [
      "aws_cloudwatch_log_group",
      "aws_lambda_function",
      "aws_iam_role",
      "aws_cloudformation_stack_set",
      "aws_config_configuration_aggregator",
    ];
    for (const type of taggable) {
      const blocks = Object.entries(mod.resources[type] ?? {});
      expect(blocks.length, type).toBeGreaterThan(0);
      for (const [name, block] of blocks) expect(block.tags, `${type}.${name}`).toBe("${local.tags}");
    }
  });
});

describe("outputs", () => {
  it.each(Object.entries(mod.outputs))("%s has a description", (_, block) => {
    expect(typeof block.description === "string" && block.description.length > 10).toBe(true);
  });

  it("give the rule, the function, the member role, the StackSet, the aggregator and how to read results", () => {
    expect(Object.keys(mod.outputs)).toEqual(
      expect.arrayContaining([
        "organization_config_rule_name",
        "member_config_rule_name_prefix",
        "lambda_function_name",
        "lambda_role_arn",
        "log_group_name",
        "member_role_name",
        "member_role_template_body",
        "stack_set_name",
        "aggregator_name",
        "noncompliant_accounts_query",
        "deployment_status_command",
      ]),
    );
    expect(unwrap(mod.outputs.member_role_template_body?.value)).toBe(
      "jsonencode(local.member_role_template)",
    );
    expect(mod.locals.member_rule_name_prefix).toBe("OrgConfigRule-${var.name}-");
  });

  it("the advanced query lists NON_COMPLIANT accounts of this rule from the compliance records", () => {
    const query = unwrap(mod.locals.noncompliant_accounts_query);
    for (const part of [
      "SELECT accountId",
      "resourceType = 'AWS::Config::ResourceCompliance'",
      "configuration.targetResourceType = 'AWS::::Account'",
      "configuration.complianceType = 'NON_COMPLIANT'",
      "configuration.configRuleList.configRuleName LIKE '${local.member_rule_name_prefix}%'",
    ]) {
      expect(query).toContain(part);
    }
  });
});

describe("module README", () => {
  const readmePromise = readFile(join(MODULE_DIR, "README.md"), "utf8");

  it.each([
    ["Inputs", renderInputsTable],
    ["Outputs", renderOutputsTable],
    ["Resources", renderResourcesTable],
  ] as const)("has the %s table of the module (terraform-docs format)", async (section, render) => {
    const readme = await readmePromise;
    const expected = render(mod);
    expect(readme, `README.md section "## ${section}" should be:\n\n${expected}\n`).toContain(
      `## ${section}\n\n${expected}\n`,
    );
  });

  it("explains the design decisions a reviewer will ask about", async () => {
    const readme = await readmePromise;
    for (const text of [
      "aws:ResourceOrgID",
      "aws:PrincipalArn",
      "source_arn",
      "management account",
      "DELEGATED_ADMIN",
    ]) {
      expect(readme).toContain(text);
    }
  });
});

describe("example: organization", () => {
  const calls = Object.entries(example.modules);

  it("calls the module with arguments it declares, including all required ones", () => {
    expect(calls).toHaveLength(1);
    const meta = new Set(["source", "version", "providers", "depends_on", "count", "for_each"]);
    for (const [name, call] of calls) {
      expect(call.source, name).toBe("../../modules/organization");
      const args = Object.keys(call).filter((key) => !meta.has(key));
      for (const arg of args) expect(Object.keys(mod.variables), `module.${name}.${arg}`).toContain(arg);
      const required = Object.entries(mod.variables)
        .filter(([, block]) => !("default" in block))
        .map(([key]) => key);
      expect(args).toEqual(expect.arrayContaining(required));
    }
  });

  it("passes the enumerated options with values the module accepts", () => {
    const [, call] = calls[0] ?? [];
    for (const name of ["maximum_execution_frequency", "log_retention_in_days", "log_level"]) {
      const value = call?.[name];
      expect(containsList(validationConditions(variable(name)).join(" "), name), name).toContain(value);
    }
  });

  it("is a complete root module", () => {
    const [terraform] = example.terraform;
    expect(terraform?.required_version).toBe(">= 1.5");
    expect((nested(terraform ?? {}, "required_providers").aws as { source?: string }).source).toBe(
      "hashicorp/aws",
    );
    expect(example.providers.aws).toHaveLength(1);
  });

  it("outputs only what the module outputs", () => {
    for (const [name, output] of Object.entries(example.outputs)) {
      expect(typeof output.description, name).toBe("string");
      const used = [...String(output.value).matchAll(/\bmodule\.([a-z0-9_]+)\.([a-z0-9_]+)/g)];
      expect(used.length, name).toBeGreaterThan(0);
      for (const [, call, attribute] of used) {
        expect(Object.keys(example.modules), name).toContain(call);
        expect(Object.keys(mod.outputs), name).toContain(attribute);
      }
    }
  });

  it("uses every variable it declares, each with a description and a type", () => {
    const code = example.files.map((file) => file.source).join("\n");
    for (const [name, block] of Object.entries(example.variables)) {
      expect(typeof block.description, name).toBe("string");
      expect(block.type, name).toBeDefined();
      expect(code).toMatch(new RegExp(`\\bvar\\.${name}\\b`));
    }
  });

  it("has a README with prerequisites, apply order, results in the aggregator, the advanced query and removal", async () => {
    const readme = await readFile(join(EXAMPLE_DIR, "README.md"), "utf8");
    for (const text of [
      "npm ci && npm run build",
      "config-multiaccountsetup.amazonaws.com",
      "activate-organizations-access",
      "describe-configuration-recorder-status",
      "terraform init",
      "terraform apply",
      "get-organization-config-rule-detailed-status",
      "describe-aggregate-compliance-by-config-rules",
      "select-aggregate-resource-config",
      "AWS::Config::ResourceCompliance",
      "OrgConfigRule-root-activity-",
      "Security Hub",
      "DELEGATED_ADMIN",
      "member_role_template_body",
      "terraform destroy",
    ]) {
      expect(readme, text).toContain(text);
    }
  });
});
