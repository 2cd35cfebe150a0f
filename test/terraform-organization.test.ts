// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * Checks the organization deployment (terraform/modules/organization and its example) without a
 * terraform binary, the same way test/terraform-module.test.ts checks the single-account module:
 * every file parsed by the real HCL parser and compared with what `terraform fmt` writes, and the
 * parsed module checked for least privilege, scoping, validations, documentation in sync and no
 * `moved` blocks before the first release. The evaluator module it shares with the single-account
 * module (function, log group, execution role) is checked in test/terraform-module.test.ts; here,
 * what this module passes it and the statement it adds to the execution role. Where Terraform and
 * the rule's code must agree (parameter names, the member role ARN, role name syntax), the code
 * itself is the reference.
 */
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { describe, expect, it } from "vitest";
import { memberRoleArn } from "../rule/aws/sts.ts";
import { DEFAULT_PARAMETERS, parseRuleParameters } from "../rule/params.ts";
import {
  declarations,
  dependsOn,
  docsTables,
  evaluationStatements,
  evaluatorRoleStatements,
  exampleProblems,
  FUNCTION_OUTPUTS,
  hardCodedArnProblems,
  loadModule,
  loadTerraformFiles,
  moduleCallProblems,
  nested,
  nestedAll,
  onlyAllowsProblems,
  type PolicyStatement,
  policiesOn,
  policyDocumentOf,
  policyStatements,
  readmeReferenceProblems,
  readmeReferences,
  renderedStatements,
  rolePolicies,
  ruleParameters,
  type TerraformModule,
  undocumentedOutputs,
  undocumentedVariables,
  unusedDeclarations,
  unwrap,
} from "./support/hcl.ts";
import {
  accepts,
  evaluateExpression,
  moduleScope,
  references,
  type Value,
} from "./support/hcl-expression.ts";
import { sampleValues } from "./support/validation-cases.ts";

const MODULE_DIR = join("terraform", "modules", "organization");
const EVALUATOR_DIR = join("terraform", "modules", "evaluator");
const NOTIFICATIONS_DIR = join("terraform", "modules", "notifications");
const EXAMPLE_DIR = join("terraform", "examples", "organization");

const moduleFiles = await loadTerraformFiles(MODULE_DIR);
const exampleFiles = await loadTerraformFiles(EXAMPLE_DIR);
const mod = await loadModule(MODULE_DIR);
const evaluator = await loadModule(EVALUATOR_DIR);
const notifications = await loadModule(NOTIFICATIONS_DIR);
const example = await loadModule(EXAMPLE_DIR);

const { resource, variable, call } = declarations(mod);
const evaluatorCall = call("evaluator");
/** The module's variables at their defaults (for the rendered rule parameters). */
const defaults = Object.fromEntries(
  Object.entries(mod.variables).map(([name, block]) => [name, block.default]),
);

/** What an expression of this module is for its variables `vars` (resources, data sources, module outputs named). */
const inModule = (expression: unknown, vars: Record<string, Value> = {}): Value =>
  evaluateExpression(expression, moduleScope(mod, vars));
const PARTITION = "<data.aws_partition.current.partition>";
const ACCOUNT_ID = "<data.aws_caller_identity.current.account_id>";
const REGION = "<data.aws_region.current.region>";

function statementsOf(expression: unknown): PolicyStatement[] {
  return policyStatements(policyDocumentOf(mod, expression));
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

describe("evaluator module call", () => {
  it("calls ../evaluator, the module the single-account deployment uses, with arguments it declares", () => {
    expect(Object.keys(mod.modules).sort()).toEqual([
      "evaluator",
      "notifications",
      "root_activity_events",
      "root_activity_forwarding",
    ]);
    expect(evaluatorCall.source).toBe("../evaluator");
    expect(normalize(join(MODULE_DIR, String(evaluatorCall.source)))).toBe(EVALUATOR_DIR);
    expect(moduleCallProblems(evaluatorCall, evaluator)).toEqual([]);
    expect(String(evaluatorCall.description)).toMatch(/root user/);
  });
});

describe("Lambda execution role (modules/evaluator, with this module's statement)", () => {
  // The same with the CloudTrail lookup on or off: the function's own role never gets it.
  const all = evaluatorRoleStatements(evaluator, mod, evaluatorCall, { cloudtrail_lookup: true });

  it("gets no IAM or Config action from the evaluator, only this module's statement, and nothing from outside", () => {
    expect(evaluatorCall.grant_evaluation_actions).toBe(false);
    expect(references(evaluatorCall.policy_json)).toEqual([
      "data.aws_iam_policy_document.assume_member_role.json",
    ]);
    // No policy of this module is attached to the evaluator's role.
    expect(policiesOn(mod, "module.evaluator")).toEqual({ inline: [], attachments: [] });
    // The only roles this module creates itself are the member and aggregator roles and the
    // forwarding role of the opt-in notifications; module.notifications adds the publisher role
    // (test/terraform-organization-notifications.test.ts).
    expect(Object.keys(mod.resources.aws_iam_role ?? {}).sort()).toEqual([
      "aggregator",
      "forward_here",
      "member",
    ]);
    // The EventBridge role that publishes to the topic is the notifications module's only role.
    expect(Object.keys(notifications.resources.aws_iam_role ?? {})).toEqual(["publisher"]);
  });

  it("may only assume the member role and write its own logs: it can read no report and post nothing itself", () => {
    expect(onlyAllowsProblems(all)).toEqual([]);
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
    // The function assumes memberRoleArn(partition, <event account>, executionRoleName), in this partition.
    const vars = { member_role_name: "the-member-role" };
    expect(inModule(assume[0]?.resources, vars)).toEqual([memberRoleArn(PARTITION, "*", "the-member-role")]);
    expect(inModule(assume[0]?.condition)).toEqual([
      {
        test: "StringEquals",
        variable: "aws:ResourceOrgID",
        values: ["<data.aws_organizations_organization.current.id>"],
      },
    ]);
  });

  it("writes logs only to its own log group (the evaluator's)", () => {
    const logs = all.filter((statement) => statement.actions?.some((a) => a.startsWith("logs:")));
    expect(logs).toHaveLength(1);
    const inEvaluator = (expression: unknown, vars: Record<string, Value> = {}): Value =>
      evaluateExpression(expression, moduleScope(evaluator, vars));
    expect(inEvaluator(logs[0]?.resources)).toEqual(["<aws_cloudwatch_log_group.this.arn>:*"]);
    // The function's log group, named after this module's name passed unchanged.
    const name = inModule(evaluatorCall.name, { name: "root-activity" });
    expect(name).toBe("root-activity");
    const logGroup = declarations(evaluator).resource("aws_cloudwatch_log_group", "this");
    expect(inEvaluator(logGroup.name, { name })).toBe("/aws/lambda/root-activity");
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
    expect(inModule(properties.RoleName, { member_role_name: "the-member-role" })).toBe("the-member-role");
    expect(properties.ManagedPolicyArns).toBeUndefined();
    expect(properties.PermissionsBoundary).toBeUndefined();
    expect(policies).toHaveLength(1);
    expect(properties.MaxSessionDuration).toBe(3600);
  });

  it("allows exactly the credential report and PutEvaluations, on * because none of them has a resource type", () => {
    // With the CloudTrail lookup off; what it adds is checked in terraform-cloudtrail-evidence.test.ts.
    const statements = renderedStatements(policyDocumentOf(mod, policies[0]?.PolicyDocument, { evaluator }), {
      grant_cloudtrail_lookup: false,
    });
    // What the single-account function gets for itself with grant_evaluation_actions.
    expect(statements).toEqual(evaluationStatements(evaluator, evaluatorCall, { cloudtrail_lookup: false }));
    expect(onlyAllowsProblems(statements)).toEqual([]);
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
    // This account, narrowed by the condition to the function's execution role.
    expect(inModule(trust?.principals)).toEqual([
      { type: "AWS", identifiers: [`arn:${PARTITION}:iam::${ACCOUNT_ID}:root`] },
    ]);
    expect(inModule(trust?.condition)).toEqual([
      { test: "ArnEquals", variable: "aws:PrincipalArn", values: ["<module.evaluator.role_arn>"] },
    ]);
    expect(evaluateExpression(evaluator.outputs.role_arn?.value, moduleScope(evaluator, {}))).toBe(
      "<aws_iam_role.this.arn>",
    );
  });

  it("is created the same way in this account, for the management account, which StackSets never reach", () => {
    const here = resource("aws_iam_role", "member");
    const { inline, attachments } = rolePolicies(mod, "member");
    expect(attachments).toEqual([]);
    expect(inline).toHaveLength(1);
    // The role and its policy: only when asked for, and only in the management account (SELF).
    for (const [create, callAs, count] of [
      [true, "SELF", 1],
      [true, "DELEGATED_ADMIN", 0],
      [false, "SELF", 0],
      [false, "DELEGATED_ADMIN", 0],
    ] as const) {
      const vars = { create_member_role_in_this_account: create, call_as: callAs };
      expect(inModule(here.count, vars), `${create} ${callAs}`).toBe(count);
      expect(inModule(inline[0]?.count, vars), `${create} ${callAs}`).toBe(count);
    }
    expect(inModule(here.name, { member_role_name: "the-member-role" })).toBe("the-member-role");
    // The same documents in both places: the member trust, and the evaluator's evaluation_policy_json.
    expect(references(here.assume_role_policy)).toEqual(["data.aws_iam_policy_document.member_trust.json"]);
    expect(references(properties.AssumeRolePolicyDocument)).toEqual([
      "data.aws_iam_policy_document.member_trust.json",
    ]);
    expect(references(inline[0]?.policy)).toEqual(["module.evaluator.evaluation_policy_json"]);
    expect(references(policies[0]?.PolicyDocument)).toEqual(["module.evaluator.evaluation_policy_json"]);
  });

  it("has the name the rule passes as executionRoleName, which the function accepts", () => {
    expect(ruleParameters(mod.locals.rule_parameters, defaults)).toMatchObject({
      executionRoleName: "root-activity-member",
    });
    const name = String(variable("member_role_name").default);
    expect(parseRuleParameters({ executionRoleName: name }).executionRoleName).toBe(name);
  });
});

describe("StackSet", () => {
  const stackSet = resource("aws_cloudformation_stack_set", "member_role");

  it("uses service-managed permissions and deploys automatically to accounts that join, removing the role from those that leave", () => {
    expect(stackSet.permission_model).toBe("SERVICE_MANAGED");
    expect(nested(stackSet, "auto_deployment")).toEqual({
      enabled: true,
      retain_stacks_on_account_removal: false,
    });
    expect(stackSet.capabilities).toEqual(["CAPABILITY_NAMED_IAM"]);
    expect(stackSet).not.toHaveProperty("administration_role_arn");
    expect(stackSet).not.toHaveProperty("execution_role_name");
    expect(unwrap(stackSet.template_body)).toBe("jsonencode(local.stack_set_template)");
    // The member role template, plus the forwarding resources only with notifications.
    expect(unwrap(mod.locals.stack_set_template)).toContain("local.member_role_template.Resources");
    expect(nested(stackSet, "lifecycle").ignore_changes).toEqual(["${administration_role_arn}"]);
  });

  it("refuses a second member role in a delegated administrator account", () => {
    const [precondition] = nestedAll(nested(stackSet, "lifecycle"), "precondition");
    expect(unwrap(precondition?.condition)).toBe(
      '!(var.call_as == "DELEGATED_ADMIN" && var.create_member_role_in_this_account)',
    );
  });

  it("takes its rollout speed and failure tolerance from validated variables", () => {
    for (const block of [stackSet]) {
      const preferences = nested(block, "operation_preferences");
      const vars = { stack_set_failure_tolerance_percentage: 10, stack_set_max_concurrent_percentage: 25 };
      expect(inModule(preferences.failure_tolerance_percentage, vars)).toBe(10);
      expect(inModule(preferences.max_concurrent_percentage, vars)).toBe(25);
    }
  });
});

describe("Lambda permission", () => {
  const permissions = mod.resources.aws_lambda_permission ?? {};

  it("lets only AWS Config invoke the function", () => {
    expect(Object.keys(permissions).sort()).toEqual(["config_account", "config_organization"]);
    expect(evaluator.resources.aws_lambda_permission, "the evaluator grants no invocation").toBeUndefined();
    for (const permission of Object.values(permissions)) {
      expect(permission.principal).toBe("config.amazonaws.com");
      expect(permission.action).toBe("lambda:InvokeFunction");
      expect(inModule(permission.function_name, { lambda_invoke_source_account_ids: [] })).toBe(
        "<module.evaluator.function_name>",
      );
      expect(permission, "no condition Lambda would accept for a service principal").not.toHaveProperty(
        "principal_org_id",
      );
      expect(permission).not.toHaveProperty("qualifier");
    }
  });

  it("is one aws:SourceAccount statement per listed account, or the organization-wide statement when none is listed", () => {
    const perAccount = permissions.config_account ?? {};
    const wide = permissions.config_organization ?? {};
    const listed = { lambda_invoke_source_account_ids: ["444455556666", "111122223333", "111122223333"] };
    // One statement for each listed account, whose source account it is.
    expect(inModule(perAccount.for_each, listed)).toEqual(["111122223333", "444455556666"]);
    for (const account of ["111122223333", "444455556666"]) {
      expect(
        evaluateExpression(perAccount.source_account, {
          ...moduleScope(mod, listed),
          each: { key: account, value: account },
        }),
      ).toBe(account);
    }
    expect(inModule(wide.count, listed)).toBe(0);
    expect(inModule(perAccount.for_each, { lambda_invoke_source_account_ids: [] })).toEqual([]);
    expect(inModule(wide.count, { lambda_invoke_source_account_ids: [] })).toBe(1);
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
    expect(inModule(rule.lambda_function_arn)).toBe("<module.evaluator.function_arn>");
    expect(evaluateExpression(evaluator.outputs.function_arn?.value, moduleScope(evaluator, {}))).toBe(
      "<aws_lambda_function.this.arn>",
    );
    expect(rule.trigger_types).toEqual(["ScheduledNotification"]);
    const vars = { name: "ra", maximum_execution_frequency: "One_Hour", excluded_accounts: ["111122223333"] };
    expect(inModule(rule.maximum_execution_frequency, vars)).toBe("One_Hour");
    expect(inModule(rule.excluded_accounts, vars)).toEqual(["111122223333"]);
    expect(inModule(rule.name, vars)).toBe("ra");
  });

  it("passes the rule parameters the function knows, as strings, including executionRoleName", () => {
    expect(unwrap(rule.input_parameters)).toBe("jsonencode(local.rule_parameters)");
    // The CloudTrail parameters are checked in terraform-cloudtrail-evidence.test.ts.
    const sent = ruleParameters(mod.locals.rule_parameters, defaults);
    expect(sent).toMatchObject({
      lookbackDays: "30",
      failOnActiveAccessKeys: "false",
      executionRoleName: "root-activity-member",
    });
    // Every parameter the function has is sent, and the function parses those it knows.
    for (const name of Object.keys(DEFAULT_PARAMETERS).filter((key) => key !== "cloudTrailRegions")) {
      expect(sent, name).toHaveProperty(name);
    }
    const known = Object.fromEntries(Object.entries(sent).filter(([name]) => name in DEFAULT_PARAMETERS));
    expect(parseRuleParameters(known).executionRoleName).toBe("root-activity-member");
  });

  it("is created after the invoke permission and the member roles", () => {
    expect(dependsOn(rule)).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.config_organization",
        "aws_lambda_permission.config_account",
        "aws_cloudformation_stack_instances.member_role",
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
      .replace("%s", " and CloudTrail")
      .replace("%s", "r".repeat(64));
    expect(longest).not.toContain("%");
    expect(longest).toMatch(/root user/);
    expect(longest.length).toBeLessThanOrEqual(256);
  });
});

describe("aggregator", () => {
  const aggregator = resource("aws_config_configuration_aggregator", "organization");
  const source = nested(aggregator, "organization_aggregation_source");

  it("aggregates the whole organization, in this region unless all regions are asked for", () => {
    // Created exactly when var.create_aggregator is true, with its own role.
    expect(inModule(aggregator.count, { create_aggregator: true })).toBe(1);
    expect(inModule(aggregator.count, { create_aggregator: false })).toBe(0);
    expect(inModule(source.role_arn, { create_aggregator: true })).toBe("<aws_iam_role.aggregator[0].arn>");
    for (const all of [true, false]) {
      expect(inModule(source.all_regions, { aggregator_all_regions: all })).toBe(all);
      expect(inModule(source.regions, { aggregator_all_regions: all })).toEqual(all ? null : [REGION]);
    }
    expect(dependsOn(aggregator)).toContain("aws_iam_role_policy_attachment.aggregator");
  });

  it("uses a role that only AWS Config, for this account, can assume, with AWSConfigRoleForOrganizations only", () => {
    const { inline, attachments, role } = rolePolicies(mod, "aggregator");
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

describe("Lambda function (modules/evaluator)", () => {
  const fn = declarations(evaluator).resource("aws_lambda_function", "this");

  it("is configured like the single-account function, with an optional concurrency cap", () => {
    // The same function resource as the single-account module's (checked in
    // test/terraform-module.test.ts), with this module's settings and its concurrency cap.
    for (const setting of [
      "runtime",
      "architecture",
      "timeout",
      "memory_size",
      "log_level",
      "maximum_retry_attempts",
      "reserved_concurrent_executions",
    ]) {
      expect(unwrap(evaluatorCall[setting]), setting).toBe(`var.${setting}`);
    }
    expect(unwrap(fn.reserved_concurrent_executions)).toBe("var.reserved_concurrent_executions");
    expect(variable("reserved_concurrent_executions").default).toBeNull();
  });
});

describe("variables", () => {
  it("every variable has a description and a type", () => {
    expect(Object.keys(mod.variables).length).toBeGreaterThan(0);
    expect(undocumentedVariables(mod)).toEqual([]);
  });

  // Which values each validation accepts is in test/terraform-validations.test.ts; here the defaults and what the
  // derived names and the function make of the accepted values.
  it.each([
    ["call_as", "SELF"],
    ["runtime", "nodejs22.x"],
    ["architecture", "arm64"],
    ["log_level", "INFO"],
    ["maximum_execution_frequency", "TwentyFour_Hours"],
    ["lookback_days", 30],
  ] as const)("%s defaults to %j", (name, fallback) => {
    expect(variable(name).default).toBe(fallback);
  });

  it("name: every name derived from the longest accepted one fits its limit", () => {
    const longest = sampleValues("name")
      .filter((value): value is string => typeof value === "string" && accepts(mod.variables, "name", value))
      .reduce((a, b) => (b.length > a.length ? b : a), "");
    expect(longest.length).toBeGreaterThan(0);
    expect(accepts(mod.variables, "name", `${longest}a`)).toBe(false);
    const derive = (module: TerraformModule, local: string): string =>
      String(evaluateExpression(module.locals[local], { var: { name: longest } }));
    // The evaluator derives the function and its role from the same name, passed unchanged, and accepts it.
    expect(evaluateExpression(evaluatorCall.name, { var: { name: longest } })).toBe(longest);
    expect(accepts(evaluator.variables, "name", longest)).toBe(true);
    expect(derive(evaluator, "role_name").length).toBeLessThanOrEqual(64);
    expect(derive(mod, "aggregator_role").length).toBeLessThanOrEqual(64);
    // Config organization rule names: 64; Lambda function names: 64; StackSet names: 128.
    expect(derive(mod, "rule_name").length).toBeLessThanOrEqual(64);
    expect(derive(evaluator, "function_name").length).toBeLessThanOrEqual(64);
    expect(derive(mod, "stack_set_name").length).toBeLessThanOrEqual(128);
  });

  it("member_role_name accepts exactly the role names the function accepts as executionRoleName", () => {
    const samples = [
      ...sampleValues("member_role_name"),
      "root-activity-member",
      "A+=,.@_-9",
      "rôle",
      "role*",
    ] as string[];
    for (const name of samples) {
      const accepted = (() => {
        try {
          return parseRuleParameters({ executionRoleName: name }).executionRoleName === name;
        } catch {
          return false;
        }
      })();
      // An empty value means "not set" to the function; Terraform must refuse it.
      expect(accepts(mod.variables, "member_role_name", name), JSON.stringify(name)).toBe(
        name === "" ? false : accepted,
      );
    }
  });

  it.each(["excluded_accounts", "lambda_invoke_source_account_ids", "organizational_unit_ids"])(
    "%s: none by default",
    (name) => {
      expect(variable(name).default).toEqual([]);
    },
  );

  it("log_group_kms_key_arn is optional: null by default, which its validation accepts", () => {
    expect(variable("log_group_kms_key_arn").default).toBeNull();
    expect(accepts(mod.variables, "log_group_kms_key_arn", null)).toBe(true);
  });
});

describe("declarations are used (tflint terraform_unused_declarations)", () => {
  it("every variable, local and data source is used", () => {
    expect(unusedDeclarations(mod)).toEqual([]);
  });

  it("uses the partition, account and region data sources instead of hard-coded ARNs", () => {
    expect(hardCodedArnProblems(mod)).toEqual([]);
  });
});

describe("tags", () => {
  it("go on every taggable resource through local.tags", () => {
    const taggable = ["aws_iam_role", "aws_cloudformation_stack_set", "aws_config_configuration_aggregator"];
    for (const type of taggable) {
      const blocks = Object.entries(mod.resources[type] ?? {});
      expect(blocks.length, type).toBeGreaterThan(0);
      for (const [name, block] of blocks) expect(block.tags, `${type}.${name}`).toBe("${local.tags}");
    }
    // The function, its log group and its role: the evaluator tags them with what it is passed
    // (checked in test/terraform-module.test.ts).
    expect(unwrap(evaluatorCall.tags)).toBe("local.tags");
  });
});

describe("outputs", () => {
  it("every output has a description", () => {
    expect(Object.keys(mod.outputs).length).toBeGreaterThan(0);
    expect(undocumentedOutputs(mod)).toEqual([]);
  });

  it("give the function, its role and its log group from the evaluator module", () => {
    for (const [output, inner] of Object.entries(FUNCTION_OUTPUTS)) {
      expect(unwrap(mod.outputs[output]?.value), output).toBe(`module.evaluator.${inner}`);
      expect(evaluator.outputs, output).toHaveProperty(inner);
    }
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
    expect(unwrap(mod.outputs.member_role_template_body?.value)).toBe("jsonencode(local.stack_set_template)");
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

  it("has the Modules, Resources, Inputs and Outputs tables of the module (terraform-docs format)", async () => {
    const readme = await readmePromise;
    for (const [section, expected] of docsTables(mod)) {
      expect(readme, `README.md section "## ${section}" should be:\n\n${expected}\n`).toContain(
        `## ${section}\n\n${expected}\n`,
      );
    }
  });

  it("names only outputs and resources that exist", async () => {
    expect(
      readmeReferenceProblems(await readmePromise, {
        outputs: Object.keys(mod.outputs),
        callees: { root_activity: mod },
        calls: { evaluator },
      }),
    ).toEqual([]);
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

describe("no migrations before the first release", () => {
  it.each([
    [MODULE_DIR, mod],
    [EXAMPLE_DIR, example],
  ] as const)(
    "%s declares no moved block (0.1.0 was never released: no state has the old addresses)",
    (_, module) => {
      expect(module.moved).toEqual([]);
      expect(module.files.map((file) => file.path)).not.toContain("migrations.tf");
    },
  );
});

describe("example: organization", () => {
  const calls = Object.entries(example.modules);

  it("is a complete root module that calls the module with arguments it declares, outputs only what it outputs and uses its variables", () => {
    expect(calls).toHaveLength(1);
    for (const [name, moduleCall] of calls)
      expect(moduleCall.source, name).toBe("../../modules/organization");
    expect(Object.keys(example.outputs).length).toBeGreaterThan(0);
    expect(exampleProblems(example, { root_activity: mod })).toEqual([]);
  });

  it("passes the enumerated options with values the module accepts", () => {
    const [, moduleCall] = calls[0] ?? [];
    for (const name of ["maximum_execution_frequency", "log_retention_in_days", "log_level"]) {
      const value = moduleCall?.[name];
      expect(accepts(mod.variables, name, value as Value), name).toBe(true);
    }
  });

  it("its README names only outputs, module outputs and addresses that exist", async () => {
    const readme = await readFile(join(EXAMPLE_DIR, "README.md"), "utf8");
    const found = readmeReferences(readme);
    for (const kind of ["outputs", "moduleOutputs", "moduleResources"] as const) {
      expect(found[kind].length, kind).toBeGreaterThan(0);
    }
    // "the `<name>` output" may be the example's or, as for member_role_template_body, the module's.
    expect(
      readmeReferenceProblems(readme, {
        outputs: [...Object.keys(example.outputs), ...Object.keys(mod.outputs)],
        callees: { root_activity: mod },
        calls: { evaluator },
      }),
    ).toEqual([]);
  });
});
