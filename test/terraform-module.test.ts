// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * Checks the Terraform module in terraform/ and the evaluator module it shares with the
 * organization module (terraform/modules/evaluator) without a terraform binary: every file is
 * parsed by the real HCL parser and compared with what `terraform fmt` writes, and the parsed
 * modules are checked for what `terraform validate`, tflint and a reviewer would catch (least
 * privilege, scoped permissions, validations, documentation in sync, no `moved` blocks before the
 * first release).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { describe, expect, it } from "vitest";
import {
  type Block,
  declarations,
  dependsOn,
  docsTables,
  evaluatorRoleStatements,
  exampleProblems,
  FUNCTION_OUTPUTS,
  hardCodedArnProblems,
  loadModule,
  loadTerraformFiles,
  moduleCallProblems,
  nested,
  onlyAllowsProblems,
  policiesOn,
  policyDocumentOf,
  policyStatements,
  readmeReferenceProblems,
  readmeReferences,
  renderedStatements,
  rolePolicies,
  ruleParameters,
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
import { sampleValues, validationGaps } from "./support/validation-cases.ts";

const TERRAFORM_DIR = "terraform";
const EVALUATOR_DIR = join(TERRAFORM_DIR, "modules", "evaluator");
const NOTIFICATIONS_DIR = join(TERRAFORM_DIR, "modules", "notifications");
const EXAMPLE_DIR = join(TERRAFORM_DIR, "examples", "single-account");

const files = await loadTerraformFiles(TERRAFORM_DIR);
const mod = await loadModule(TERRAFORM_DIR);
const evaluator = await loadModule(EVALUATOR_DIR);
const notifications = await loadModule(NOTIFICATIONS_DIR);
const example = await loadModule(EXAMPLE_DIR);

/** The two modules that deploy or run the function, whose settings are checked alike. */
const MODULES = [
  ["terraform", mod],
  ["modules/evaluator", evaluator],
] as const;

/** Every module of this folder whose own conventions (versions, documentation, README) are checked alike. */
const ALL_MODULES = [...MODULES, ["modules/notifications", notifications]] as const;

const { resource, variable, call } = declarations(mod);
const inEvaluator = declarations(evaluator);
const evaluatorCall = call("evaluator");

const policyDocument = (expression: unknown): Block => policyDocumentOf(mod, expression);
const PARTITION = "<data.aws_partition.current.partition>";
const ACCOUNT_ID = "<data.aws_caller_identity.current.account_id>";
/** What an expression of this module is for its variables `vars`, by default with its own Config recorder. */
const inModule = (
  expression: unknown,
  vars: Record<string, Value> = { create_config_recorder: true },
): Value => evaluateExpression(expression, moduleScope(mod, vars));
/** What an expression of the evaluator is for the evaluator's variables `vars` (resources named, not known). */
const inEvaluatorScope = (expression: unknown, vars: Record<string, Value> = {}): Value =>
  evaluateExpression(expression, moduleScope(evaluator, vars));
const statements = policyStatements;

/** The three actions that support no resource-level permissions, hence `*`. */
const EVALUATION_ACTIONS = [
  "iam:GenerateCredentialReport",
  "iam:GetCredentialReport",
  "config:PutEvaluations",
];

describe("Terraform files", () => {
  it("finds the module, the evaluator module and the example", () => {
    const paths = files.map((file) => file.path);
    for (const name of ["versions.tf", "main.tf", "iam.tf", "variables.tf", "outputs.tf"]) {
      expect(paths).toContain(name);
    }
    for (const name of ["versions.tf", "main.tf", "iam.tf", "variables.tf", "outputs.tf"]) {
      expect(paths).toContain(join("modules", "evaluator", name));
    }
    for (const name of ["versions.tf", "main.tf", "variables.tf", "outputs.tf"]) {
      expect(paths).toContain(join("modules", "notifications", name));
    }
    expect(paths).toContain(join("examples", "single-account", "main.tf"));
  });

  it.each(files.map((file) => [file.path, file] as const))(
    "%s is formatted as terraform fmt writes it",
    async (_, file) => {
      // loadTerraformFiles already parsed every file with the real HCL parser (it rejects otherwise).
      expect(await format(file.source), "run: npx tsx scripts/check-terraform-format.ts --write").toBe(
        file.source,
      );
    },
  );
});

describe("versions.tf", () => {
  it.each(ALL_MODULES)("%s requires Terraform 1.5 or newer", (_, module) => {
    expect(module.terraform).toHaveLength(1);
    expect(module.terraform[0]?.required_version).toBe(">= 1.5");
  });

  it.each(ALL_MODULES)(
    "%s requires hashicorp/aws 6.20 or newer (data.aws_region.region, nodejs24.x)",
    (_, module) => {
      const providers = nested(module.terraform[0] ?? {}, "required_providers");
      const aws = providers.aws as { source?: string; version?: string };
      expect(aws.source).toBe("hashicorp/aws");
      const lower = /^>=\s*(\d+)\.(\d+)/.exec(aws.version ?? "");
      expect(lower, `version constraint ${aws.version}`).not.toBeNull();
      const [major, minor] = [Number(lower?.[1]), Number(lower?.[2])];
      expect(major > 6 || (major === 6 && minor >= 20)).toBe(true);
    },
  );
});

describe("evaluator module call", () => {
  it("calls ./modules/evaluator with arguments it declares, including all required ones", () => {
    expect(Object.keys(mod.modules).sort()).toEqual([
      "evaluator",
      "notifications",
      "root_activity_events",
      "root_activity_forwarding",
    ]);
    expect(evaluatorCall.source).toBe("./modules/evaluator");
    expect(moduleCallProblems(evaluatorCall, evaluator)).toEqual([]);
  });

  it("names the function, the log group and the role after var.name", () => {
    const name = inModule(evaluatorCall.name, { name: "root-activity" });
    expect(name).toBe("root-activity");
    const { resource: inner } = inEvaluator;
    expect(inEvaluatorScope(inner("aws_lambda_function", "this").function_name, { name })).toBe(
      "root-activity",
    );
    expect(inEvaluatorScope(inner("aws_cloudwatch_log_group", "this").name, { name })).toBe(
      "/aws/lambda/root-activity",
    );
    expect(inEvaluatorScope(inner("aws_iam_role", "this").name, { name })).toBe("root-activity-lambda");
    expect(String(evaluatorCall.description)).toMatch(/root user/);
  });
});

describe("Lambda execution role (modules/evaluator)", () => {
  const policies = rolePolicies(evaluator, "this");
  // With the CloudTrail lookup off; what it adds is checked in terraform-cloudtrail-evidence.test.ts.
  const all = evaluatorRoleStatements(evaluator, mod, evaluatorCall, { cloudtrail_lookup: false });

  it("has only inline policies written from policy documents, no managed policy", () => {
    expect(policies.inline).toHaveLength(1);
    expect(references(policies.inline[0]?.policy)).toEqual(["data.aws_iam_policy_document.this.json"]);
    expect(policies.attachments, "managed policies attached to the role").toEqual([]);
    expect(policies.role.inline_policy).toBeUndefined();
    expect(policies.role.managed_policy_arns).toBeUndefined();
    // Nothing in the module grants the evaluator's role anything from outside.
    expect(policiesOn(mod, "module.evaluator")).toEqual({ inline: [], attachments: [] });
  });

  it("is the role of the function", () => {
    expect(inEvaluatorScope(inEvaluator.resource("aws_lambda_function", "this").role)).toBe(
      "<aws_iam_role.this.arn>",
    );
  });

  it("is assumed by Lambda only", () => {
    const trust = policyDocumentOf(evaluator, policies.role.assume_role_policy);
    const trusted = statements(trust).flatMap((statement) => statement.principals ?? []);
    expect(trusted).toEqual([{ type: "Service", identifiers: ["lambda.amazonaws.com"] }]);
  });

  it("grants the evaluation actions only with grant_evaluation_actions, and other statements only from policy_json", () => {
    const own = inEvaluator.data("aws_iam_policy_document", "this");
    const given = '{"Version":"2012-10-17","Statement":[]}';
    const documents = (grant: boolean, policyJson: string | null) =>
      inEvaluatorScope(own.source_policy_documents, {
        grant_evaluation_actions: grant,
        policy_json: policyJson,
      });
    const EVALUATION = "<data.aws_iam_policy_document.evaluation.json>";
    expect(documents(true, null)).toEqual([EVALUATION]);
    expect(documents(false, null)).toEqual([]);
    expect(documents(false, given)).toEqual([given]);
    expect(documents(true, given)).toEqual([EVALUATION, given]);
    expect(statements(own).map((statement) => statement.sid)).toEqual(["WriteOwnLogGroup"]);
    const evaluation = renderedStatements(inEvaluator.data("aws_iam_policy_document", "evaluation"), {
      grant_cloudtrail_lookup: false,
    });
    expect(evaluation.flatMap((statement) => statement.actions)).toEqual(EVALUATION_ACTIONS);
    for (const statement of evaluation) expect(statement.resources).toEqual(["*"]);
    expect("default" in inEvaluator.variable("grant_evaluation_actions"), "each caller decides").toBe(false);
    expect(inEvaluator.variable("policy_json").default).toBeNull();
    // This module evaluates its own account with the function's own credentials.
    expect(evaluatorCall.grant_evaluation_actions).toBe(true);
    expect(evaluatorCall).not.toHaveProperty("policy_json");
  });

  it("allows exactly the actions the function needs, and no wildcard", () => {
    const actions = all.flatMap((statement) => statement.actions ?? []);
    expect(new Set(actions)).toEqual(
      new Set([...EVALUATION_ACTIONS, "logs:CreateLogStream", "logs:PutLogEvents"]),
    );
    for (const action of actions) expect(action).not.toContain("*");
    expect(onlyAllowsProblems(all)).toEqual([]);
  });

  it("writes logs only to the module's own log group", () => {
    const logStatements = all.filter((statement) =>
      statement.actions?.some((action) => action.startsWith("logs:")),
    );
    expect(logStatements).toHaveLength(1);
    expect(logStatements[0]?.actions?.every((action) => action.startsWith("logs:"))).toBe(true);
    // The log streams of the module's log group, and nothing else.
    expect(logStatements[0]?.resources?.map((arn) => inEvaluatorScope(arn))).toEqual([
      "<aws_cloudwatch_log_group.this.arn>:*",
    ]);
    // That log group is the function's own: Lambda writes to /aws/lambda/<function name>.
    const vars = { name: "root-activity" };
    const logGroup = inEvaluator.resource("aws_cloudwatch_log_group", "this");
    const fn = inEvaluator.resource("aws_lambda_function", "this");
    expect(inEvaluatorScope(logGroup.name, vars)).toBe(
      `/aws/lambda/${inEvaluatorScope(fn.function_name, vars)}`,
    );
    expect(inEvaluatorScope(fn.function_name, vars)).toBe("root-activity");
  });

  it("uses * only for actions without resource-level permissions", () => {
    for (const statement of all.filter((s) => s.resources?.includes("*"))) {
      for (const action of statement.actions ?? []) expect(EVALUATION_ACTIONS).toContain(action);
    }
  });
});

describe("Lambda function (modules/evaluator)", () => {
  const fn = inEvaluator.resource("aws_lambda_function", "this");

  it("takes runtime, architecture, memory, timeout and reserved concurrency from the variables, unchanged", () => {
    const vars = {
      runtime: "nodejs24.x",
      architecture: "x86_64",
      memory_size: 1024,
      timeout: 120,
      reserved_concurrent_executions: 5,
    };
    expect(inEvaluatorScope(fn.runtime, vars)).toBe("nodejs24.x");
    expect((fn.architectures as unknown[]).map((value) => inEvaluatorScope(value, vars))).toEqual(["x86_64"]);
    expect(inEvaluatorScope(fn.memory_size, vars)).toBe(1024);
    expect(inEvaluatorScope(fn.timeout, vars)).toBe(120);
    expect(inEvaluatorScope(fn.reserved_concurrent_executions, vars)).toBe(5);
    // This module reserves no concurrency: it passes none, and the evaluator's default is null.
    expect(inEvaluator.variable("reserved_concurrent_executions").default).toBeNull();
    expect(evaluatorCall).not.toHaveProperty("reserved_concurrent_executions");
  });

  it("sets the service name (the function's name) and the log level, and logs to its log group", () => {
    const vars = { name: "root-activity", log_level: "WARN" };
    expect(inEvaluatorScope(nested(fn, "environment").variables, vars)).toEqual({
      POWERTOOLS_SERVICE_NAME: inEvaluatorScope(fn.function_name, vars),
      LOG_LEVEL: "WARN",
    });
    const logging = nested(fn, "logging_config");
    expect(inEvaluatorScope(logging.log_group)).toBe("<aws_cloudwatch_log_group.this.name>");
    expect(
      inEvaluatorScope(logging.application_log_level, vars),
      "Powertools follows Lambda's level with JSON logs",
    ).toBe("WARN");
  });

  it("is created after its log group and its permissions", () => {
    expect(dependsOn(fn)).toEqual(
      expect.arrayContaining(["aws_cloudwatch_log_group.this", "aws_iam_role_policy.this"]),
    );
  });

  it("has a log group with the validated retention and an optional KMS key", () => {
    const logGroup = inEvaluator.resource("aws_cloudwatch_log_group", "this");
    const vars = { log_retention_in_days: 365, log_group_kms_key_arn: "the key" };
    expect(inEvaluatorScope(logGroup.retention_in_days, vars)).toBe(365);
    expect(inEvaluatorScope(logGroup.kms_key_id, vars)).toBe("the key");
  });

  it("retries failed asynchronous invocations as configured", () => {
    const invokeConfig = inEvaluator.resource("aws_lambda_function_event_invoke_config", "this");
    expect(inEvaluatorScope(invokeConfig.function_name)).toBe("<aws_lambda_function.this.function_name>");
    expect(inEvaluatorScope(invokeConfig.maximum_retry_attempts, { maximum_retry_attempts: 1 })).toBe(1);
  });

  it("is what the evaluator's outputs name", () => {
    const value = (name: string): Value => inEvaluatorScope(evaluator.outputs[name]?.value);
    expect(value("function_name")).toBe("<aws_lambda_function.this.function_name>");
    expect(value("function_arn")).toBe("<aws_lambda_function.this.arn>");
    expect(value("role_arn")).toBe("<aws_iam_role.this.arn>");
    expect(value("log_group_name")).toBe("<aws_cloudwatch_log_group.this.name>");
  });
});

describe("Lambda permission", () => {
  const permission = resource("aws_lambda_permission", "config");

  it("lets only AWS Config, for this account, invoke the function", () => {
    expect(permission.principal).toBe("config.amazonaws.com");
    expect(permission.action).toBe("lambda:InvokeFunction");
    const value = (expression: unknown): Value => evaluateExpression(expression, moduleScope(mod, {}));
    expect(value(permission.function_name)).toBe("<module.evaluator.function_name>");
    expect(inEvaluatorScope(evaluator.outputs.function_name?.value)).toBe(
      "<aws_lambda_function.this.function_name>",
    );
    expect(value(permission.source_account)).toBe("<data.aws_caller_identity.current.account_id>");
  });

  it("is the only permission on the function, besides the conformance pack's (conformance-pack.test.ts)", () => {
    expect(Object.keys(mod.resources.aws_lambda_permission ?? {}).sort()).toEqual([
      "config",
      "conformance_pack",
    ]);
    expect(evaluator.resources.aws_lambda_permission).toBeUndefined();
  });
});

describe("Config rule", () => {
  const rule = resource("aws_config_config_rule", "this");
  const source = nested(rule, "source");

  it("is a periodic custom Lambda rule", () => {
    expect(source.owner).toBe("CUSTOM_LAMBDA");
    expect(inModule(source.source_identifier)).toBe("<module.evaluator.function_arn>");
    expect(inEvaluatorScope(evaluator.outputs.function_arn?.value)).toBe("<aws_lambda_function.this.arn>");
    const detail = nested(source, "source_detail");
    expect(detail.message_type).toBe("ScheduledNotification");
    expect(inModule(detail.maximum_execution_frequency, { maximum_execution_frequency: "One_Hour" })).toBe(
      "One_Hour",
    );
  });

  it("is created after the permission and the module's recorder", () => {
    expect(dependsOn(rule)).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.config",
        "aws_config_configuration_recorder_status.this",
      ]),
    );
  });

  it("passes the typed variables as string rule parameters", () => {
    expect(unwrap(rule.input_parameters)).toBe("jsonencode(local.rule_parameters)");
    const defaults = Object.fromEntries(
      Object.entries(mod.variables).map(([name, block]) => [name, block.default]),
    );
    // The CloudTrail parameters are checked in terraform-cloudtrail-evidence.test.ts.
    expect(ruleParameters(mod.locals.rule_parameters, defaults)).toMatchObject({
      lookbackDays: "30",
      failOnActiveAccessKeys: "false",
    });
    expect(ruleParameters(mod.locals.rule_parameters, { ...defaults, lookback_days: 90 })).toMatchObject({
      lookbackDays: "90",
    });
    expect(unwrap(variable("lookback_days").type)).toBe("number");
    expect(unwrap(variable("fail_on_active_access_keys").type)).toBe("bool");
  });

  it("has a description", () => {
    expect(String(rule.description)).toMatch(/root user/);
  });
});

describe("configuration recorder", () => {
  const recorder = resource("aws_config_configuration_recorder", "this");

  it("is optional and off by default", () => {
    expect(variable("create_config_recorder").default).toBe(false);
    for (const type of [
      "aws_config_configuration_recorder",
      "aws_config_delivery_channel",
      "aws_config_configuration_recorder_status",
      "aws_s3_bucket",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
    ]) {
      const [block] = Object.values(mod.resources[type] ?? {});
      // None without create_config_recorder, whatever else is set.
      expect(
        inModule(block?.count, { create_config_recorder: false, config_recorder_role_arn: null }),
        type,
      ).toBe(0);
    }
  });

  it("records only the listed resource types", () => {
    const group = nested(recorder, "recording_group");
    expect(group.all_supported).toBe(false);
    expect(group.include_global_resource_types).toBe(false);
    expect(inModule(group.resource_types, { config_recorder_resource_types: ["AWS::IAM::User"] })).toEqual([
      "AWS::IAM::User",
    ]);
    expect(nested(group, "recording_strategy").use_only).toBe("INCLUSION_BY_RESOURCE_TYPES");
    expect(variable("config_recorder_resource_types").default).toEqual(["AWS::Config::ResourceCompliance"]);
  });

  it("starts after the delivery channel, which waits for the bucket policy", () => {
    expect(dependsOn(resource("aws_config_configuration_recorder_status", "this"))).toContain(
      "aws_config_delivery_channel.this",
    );
    expect(dependsOn(resource("aws_config_delivery_channel", "this"))).toEqual(
      expect.arrayContaining(["aws_config_configuration_recorder.this", "aws_s3_bucket_policy.config"]),
    );
  });

  it("uses a role Config can assume for this account only", () => {
    const trust = policyDocument(resource("aws_iam_role", "config_recorder").assume_role_policy);
    const [statement] = statements(trust);
    expect(statement?.principals).toEqual([{ type: "Service", identifiers: ["config.amazonaws.com"] }]);
    expect(inModule(statement?.condition)).toContainEqual({
      test: "StringEquals",
      variable: "aws:SourceAccount",
      values: [ACCOUNT_ID],
    });
    // AWS's managed policy for Config, in this partition.
    expect(inModule(resource("aws_iam_role_policy_attachment", "config_recorder").policy_arn)).toBe(
      `arn:${PARTITION}:iam::aws:policy/service-role/AWS_ConfigRole`,
    );
  });
});

describe("Config bucket", () => {
  const policy = policyDocument(resource("aws_s3_bucket_policy", "config").policy);
  const all = statements(policy);

  it("denies requests without TLS", () => {
    const deny = all.find((statement) => statement.effect === "Deny");
    expect(deny?.principals).toEqual([{ type: "*", identifiers: ["*"] }]);
    expect(deny?.condition).toContainEqual({
      test: "Bool",
      variable: "aws:SecureTransport",
      values: ["false"],
    });
    // The module's bucket and every object in it.
    expect(inModule(deny?.resources)).toEqual([
      "<aws_s3_bucket.config[0].arn>",
      "<aws_s3_bucket.config[0].arn>/*",
    ]);
  });

  it("scopes every grant to the Config service principal with aws:SourceAccount", () => {
    const grants = all.filter((statement) => statement.effect === "Allow");
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      expect(grant.principals).toEqual([{ type: "Service", identifiers: ["config.amazonaws.com"] }]);
      expect(inModule(grant.condition), grant.sid).toContainEqual({
        test: "StringEquals",
        variable: "aws:SourceAccount",
        values: [ACCOUNT_ID],
      });
      for (const action of grant.actions ?? []) expect(action).not.toContain("*");
    }
    const delivery = grants.find((grant) => grant.actions?.includes("s3:PutObject"));
    // Only where Config writes for this account: the delivery channel of this bucket has no key prefix, so
    // AWSLogs/<account>/Config/.
    const channel = resource("aws_config_delivery_channel", "this");
    expect(inModule(channel.s3_bucket_name)).toBe("<aws_s3_bucket.config[0].id>");
    expect(channel).not.toHaveProperty("s3_key_prefix");
    expect(inModule(delivery?.resources)).toEqual([
      `<aws_s3_bucket.config[0].arn>/AWSLogs/${ACCOUNT_ID}/Config/*`,
    ]);
  });

  it("is private and encrypted", () => {
    const block = resource("aws_s3_bucket_public_access_block", "config");
    for (const setting of [
      "block_public_acls",
      "block_public_policy",
      "ignore_public_acls",
      "restrict_public_buckets",
    ]) {
      expect(block[setting], setting).toBe(true);
    }
    const ownership = nested(resource("aws_s3_bucket_ownership_controls", "config"), "rule");
    expect(ownership.object_ownership).toBe("BucketOwnerEnforced");
    const sse = nested(
      nested(resource("aws_s3_bucket_server_side_encryption_configuration", "config"), "rule"),
      "apply_server_side_encryption_by_default",
    );
    // SSE-S3 by default, SSE-KMS with the given key.
    expect(inModule(sse.sse_algorithm, { config_bucket_kms_key_arn: null })).toBe("AES256");
    expect(inModule(sse.sse_algorithm, { config_bucket_kms_key_arn: "the key" })).toBe("aws:kms");
    expect(inModule(sse.kms_master_key_id, { config_bucket_kms_key_arn: "the key" })).toBe("the key");
  });
});

describe("variables", () => {
  it.each(ALL_MODULES)("%s: every variable has a description and a type", (_, module) => {
    expect(Object.keys(module.variables).length).toBeGreaterThan(0);
    expect(undocumentedVariables(module)).toEqual([]);
  });

  // Which values each validation accepts is in test/terraform-validations.test.ts; here what the defaults and the
  // derived names make of them.
  it("runtime: nodejs22.x by default; the evaluator leaves the default to its callers", () => {
    expect(variable("runtime").default).toBe("nodejs22.x");
    expect(inEvaluator.variable("runtime")).not.toHaveProperty("default");
  });

  it.each([
    ["architecture", "arm64"],
    ["log_level", "INFO"],
    ["maximum_execution_frequency", "TwentyFour_Hours"],
    ["log_retention_in_days", 90],
    ["lookback_days", 30],
  ] as const)("%s defaults to %j", (name, fallback) => {
    expect(variable(name).default).toBe(fallback);
  });

  it.each(["log_group_kms_key_arn", "config_recorder_role_arn", "config_bucket_name"])(
    "%s is optional: null by default, which its validation accepts",
    (name) => {
      expect(variable(name).default).toBeNull();
      expect(accepts(mod.variables, name, null)).toBe(true);
    },
  );

  it("name: the longest name the module accepts still gives valid IAM role names, the evaluator's included", () => {
    // Prepare
    const longest = "a".repeat(48);
    const evaluatorLongest = "a".repeat(57);
    // Act
    const roleName = (template: unknown, name: string): string =>
      String(evaluateExpression(template, { var: { name } }));
    // Assess
    expect(accepts(mod.variables, "name", longest)).toBe(true);
    expect(accepts(mod.variables, "name", `${longest}a`)).toBe(false);
    // IAM role names are at most 64 characters.
    expect(roleName(evaluator.locals.role_name, longest).length).toBeLessThanOrEqual(64);
    expect(roleName(mod.locals.recorder_role, longest).length).toBeLessThanOrEqual(64);
    expect(accepts(evaluator.variables, "name", evaluatorLongest)).toBe(true);
    expect(roleName(evaluator.locals.role_name, evaluatorLongest).length).toBeLessThanOrEqual(64);
    // Every name the module accepts, the evaluator accepts too.
    expect(validationGaps(mod, "name", evaluator, "name", sampleValues("name"))).toEqual([]);
  });
});

describe("declarations are used (tflint terraform_unused_declarations)", () => {
  it.each(ALL_MODULES)("%s: every variable, local and data source is used", (_, module) => {
    expect(unusedDeclarations(module)).toEqual([]);
  });

  it.each(ALL_MODULES)(
    "%s uses the partition, account and region data sources instead of hard-coded ARNs",
    (_, module) => {
      expect(hardCodedArnProblems(module)).toEqual([]);
    },
  );
});

describe("outputs", () => {
  it.each(ALL_MODULES)("%s: every output has a description", (_, module) => {
    expect(Object.keys(module.outputs).length).toBeGreaterThan(0);
    expect(undocumentedOutputs(module)).toEqual([]);
  });

  it("include the rule, the function, the role, the log group and the optional recorder", () => {
    expect(Object.keys(mod.outputs)).toEqual(
      expect.arrayContaining([
        "config_rule_name",
        "config_rule_arn",
        "lambda_function_name",
        "lambda_function_arn",
        "lambda_role_arn",
        "log_group_name",
        "config_recorder_name",
        "config_bucket_name",
      ]),
    );
    const output = (name: string, on: boolean): Value =>
      inModule(mod.outputs[name]?.value, { create_config_recorder: on });
    expect(output("config_recorder_name", true)).toBe("<aws_config_configuration_recorder.this[0].name>");
    expect(output("config_bucket_name", true)).toBe("<aws_s3_bucket.config[0].id>");
    expect(output("config_recorder_name", false)).toBeNull();
    expect(output("config_bucket_name", false)).toBeNull();
  });

  it("give the function, its role and its log group from the evaluator module", () => {
    for (const [output, inner] of Object.entries(FUNCTION_OUTPUTS)) {
      expect(inModule(mod.outputs[output]?.value), output).toBe(`<module.evaluator.${inner}>`);
      expect(evaluator.outputs, output).toHaveProperty(inner);
    }
  });
});

describe("tags", () => {
  it("go on every taggable resource through local.tags", () => {
    // The function and its log group are the evaluator's (next test).
    const taggable = [
      "aws_cloudwatch_metric_alarm",
      "aws_iam_role",
      "aws_sfn_state_machine",
      "aws_config_config_rule",
      "aws_s3_bucket",
    ];
    for (const type of taggable) {
      // A listed type the module no longer declares would make this loop check nothing.
      const blocks = Object.entries(mod.resources[type] ?? {});
      expect(blocks.length, type).toBeGreaterThan(0);
      for (const [name, block] of blocks) expect(block.tags, `${type}.${name}`).toBe("${local.tags}");
    }
  });

  it("go on every taggable resource of the evaluator, which the module passes local.tags", () => {
    expect(unwrap(evaluatorCall.tags)).toBe("local.tags");
    for (const type of ["aws_cloudwatch_log_group", "aws_lambda_function", "aws_iam_role"]) {
      const blocks = Object.entries(evaluator.resources[type] ?? {});
      expect(blocks.length, type).toBeGreaterThan(0);
      for (const [name, block] of blocks) expect(block.tags, `${type}.${name}`).toBe("${var.tags}");
    }
  });
});

describe("no migrations before the first release", () => {
  it.each([...ALL_MODULES, ["examples/single-account", example]] as const)(
    "%s declares no moved block (0.1.0 was never released: no state has the old addresses)",
    (_, module) => {
      expect(module.moved).toEqual([]);
      expect(module.files.map((file) => file.path)).not.toContain("migrations.tf");
    },
  );
});

describe("example: single-account", () => {
  const calls = Object.entries(example.modules);

  it("is a complete root module that calls the module with arguments it declares, outputs only what it outputs and uses its variables", () => {
    expect(calls.length).toBeGreaterThan(0);
    for (const [name, moduleCall] of calls) expect(moduleCall.source, name).toBe("../..");
    expect(Object.keys(example.outputs).length).toBeGreaterThan(0);
    expect(exampleProblems(example, { root_activity: mod })).toEqual([]);
  });

  it("passes the enumerated options with values the module accepts", () => {
    const [, moduleCall] = calls[0] ?? [];
    for (const name of ["maximum_execution_frequency", "log_retention_in_days", "log_level"]) {
      const value = moduleCall?.[name];
      if (value === undefined || (typeof value === "string" && value.startsWith("${"))) continue;
      expect(accepts(mod.variables, name, value as Value), name).toBe(true);
    }
  });

  it("its README names only outputs and addresses that exist", async () => {
    const readme = await readFile(join(EXAMPLE_DIR, "README.md"), "utf8");
    expect(readmeReferences(readme).outputs.length).toBeGreaterThan(0);
    expect(
      readmeReferenceProblems(readme, {
        outputs: Object.keys(example.outputs),
        callees: { root_activity: mod },
        calls: { evaluator },
      }),
    ).toEqual([]);
  });
});

describe("module README", () => {
  it.each(ALL_MODULES)(
    "%s: README has the Modules, Resources, Inputs and Outputs tables (terraform-docs format)",
    async (_, module) => {
      const readme = await readFile(join(module.dir, "README.md"), "utf8");
      for (const [section, expected] of docsTables(module)) {
        expect(readme, `README.md section "## ${section}" should be:\n\n${expected}\n`).toContain(
          `## ${section}\n\n${expected}\n`,
        );
      }
    },
  );

  it.each(ALL_MODULES)("%s: README names only outputs and resources that exist", async (_, module) => {
    const readme = await readFile(join(module.dir, "README.md"), "utf8");
    expect(
      readmeReferenceProblems(readme, {
        outputs: Object.keys(module.outputs),
        callees: { root_activity: mod },
        calls: { evaluator },
      }),
    ).toEqual([]);
  });
});
