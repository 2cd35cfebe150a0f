// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * Checks the Terraform module in terraform/ without a terraform binary: every file is parsed by the
 * real HCL parser and compared with what `terraform fmt` writes, and the parsed module is checked
 * for what `terraform validate`, tflint and a reviewer would catch (least privilege, scoped
 * permissions, validations, documentation in sync).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { describe, expect, it } from "vitest";
import {
  type Block,
  containsList,
  evaluateNumericCondition,
  loadModule,
  loadTerraformFiles,
  nested,
  nestedAll,
  references,
  regexPattern,
  renderInputsTable,
  renderOutputsTable,
  renderResourcesTable,
  unwrap,
  validationConditions,
} from "./support/hcl.ts";

const TERRAFORM_DIR = "terraform";
const EXAMPLE_DIR = join(TERRAFORM_DIR, "examples", "single-account");

const files = await loadTerraformFiles(TERRAFORM_DIR);
const mod = await loadModule(TERRAFORM_DIR);
const example = await loadModule(EXAMPLE_DIR);

function resource(type: string, name: string): Block {
  const block = mod.resources[type]?.[name];
  if (block === undefined) throw new Error(`resource ${type}.${name} is not declared`);
  return block;
}

function data(type: string, name: string): Block {
  const block = mod.data[type]?.[name];
  if (block === undefined) throw new Error(`data ${type}.${name} is not declared`);
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

/** `"${data.aws_iam_policy_document.x.json}"` (possibly `[0]`-indexed) -> the policy document block. */
function policyDocument(expression: unknown): Block {
  const match = /^data\.aws_iam_policy_document\.([a-z0-9_]+)(?:\[0\])?\.json$/.exec(unwrap(expression));
  if (match?.[1] === undefined) {
    throw new Error(
      `policy ${String(expression)} is not an aws_iam_policy_document; only those can be checked`,
    );
  }
  return data("aws_iam_policy_document", match[1]);
}

interface Statement {
  sid?: string;
  effect?: string;
  actions?: string[];
  not_actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

/** The statements of a policy document, including those produced by `dynamic "statement"` blocks. */
function statements(document: Block): Statement[] {
  const direct = nestedAll(document, "statement") as Statement[];
  const dynamic = nestedAll(document, "dynamic").flatMap((block) =>
    nestedAll(block, "statement").flatMap((statement) => nestedAll(statement, "content")),
  ) as Statement[];
  return [...direct, ...dynamic];
}

/** What grants permissions to the IAM role `roleName` of the module. */
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

describe("Terraform files", () => {
  it("finds the module and the example", () => {
    const paths = files.map((file) => file.path);
    for (const name of ["versions.tf", "main.tf", "iam.tf", "variables.tf", "outputs.tf"]) {
      expect(paths).toContain(name);
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
  const terraform = mod.terraform[0] ?? {};

  it("requires Terraform 1.5 or newer", () => {
    expect(mod.terraform).toHaveLength(1);
    expect(terraform.required_version).toBe(">= 1.5");
  });

  it("requires hashicorp/aws 6.20 or newer (data.aws_region.region, nodejs24.x)", () => {
    const providers = nested(terraform, "required_providers");
    const aws = providers.aws as { source?: string; version?: string };
    expect(aws.source).toBe("hashicorp/aws");
    const lower = /^>=\s*(\d+)\.(\d+)/.exec(aws.version ?? "");
    expect(lower, `version constraint ${aws.version}`).not.toBeNull();
    const [major, minor] = [Number(lower?.[1]), Number(lower?.[2])];
    expect(major > 6 || (major === 6 && minor >= 20)).toBe(true);
  });
});

describe("Lambda execution role", () => {
  const policies = rolePolicies("lambda");
  const all = policies.inline.map((policy) => policyDocument(policy.policy)).flatMap(statements);

  it("has only inline policies written from policy documents, no managed policy", () => {
    expect(policies.inline.length).toBeGreaterThan(0);
    expect(policies.attachments, "managed policies attached to the role").toEqual([]);
    expect(policies.role.inline_policy).toBeUndefined();
    expect(policies.role.managed_policy_arns).toBeUndefined();
  });

  it("is the role of the function", () => {
    expect(unwrap(resource("aws_lambda_function", "this").role)).toBe("aws_iam_role.lambda.arn");
  });

  it("is assumed by Lambda only", () => {
    const trust = policyDocument(resource("aws_iam_role", "lambda").assume_role_policy);
    const trusted = statements(trust).flatMap((statement) => statement.principals ?? []);
    expect(trusted).toEqual([{ type: "Service", identifiers: ["lambda.amazonaws.com"] }]);
  });

  it("allows exactly the actions the function needs, and no wildcard", () => {
    const actions = all.flatMap((statement) => statement.actions ?? []);
    expect(new Set(actions)).toEqual(
      new Set([
        "iam:GenerateCredentialReport",
        "iam:GetCredentialReport",
        "config:PutEvaluations",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]),
    );
    for (const action of actions) expect(action).not.toContain("*");
    for (const statement of all) {
      expect(statement.effect).toBe("Allow");
      expect(statement.not_actions, "NotAction grants everything else").toBeUndefined();
      expect(statement).not.toHaveProperty("not_resources");
    }
  });

  it("writes logs only to the module's own log group", () => {
    const logStatements = all.filter((statement) =>
      statement.actions?.some((action) => action.startsWith("logs:")),
    );
    expect(logStatements).toHaveLength(1);
    expect(logStatements[0]?.actions?.every((action) => action.startsWith("logs:"))).toBe(true);
    expect(logStatements[0]?.resources).toEqual(["${aws_cloudwatch_log_group.this.arn}:*"]);

    const logGroup = resource("aws_cloudwatch_log_group", "this");
    expect(logGroup.name).toBe("${local.log_group_name}");
    expect(mod.locals.log_group_name).toBe("/aws/lambda/${var.name}");
    expect(mod.locals.function_name).toBe("${var.name}");
  });

  it("uses * only for actions without resource-level permissions", () => {
    for (const statement of all.filter((s) => s.resources?.includes("*"))) {
      for (const action of statement.actions ?? []) {
        expect([
          "iam:GenerateCredentialReport",
          "iam:GetCredentialReport",
          "config:PutEvaluations",
        ]).toContain(action);
      }
    }
  });
});

describe("Lambda function", () => {
  const fn = resource("aws_lambda_function", "this");

  it("deploys the built bundle and redeploys when it changes", () => {
    expect(unwrap(fn.filename)).toBe("local.lambda_zip_path");
    expect(unwrap(fn.source_code_hash)).toBe("filebase64sha256(local.lambda_zip_path)");
    expect(unwrap(mod.locals.lambda_zip_path)).toBe(
      'coalesce(var.lambda_zip_path, "${path.module}/../dist/lambda.zip")',
    );
    expect(unwrap(fn.handler)).toBe("local.lambda_handler");
    expect(mod.locals.lambda_handler).toBe("index.handler");
  });

  it("takes runtime, architecture, memory and timeout from the variables", () => {
    expect(unwrap(fn.runtime)).toBe("var.runtime");
    expect(fn.architectures).toEqual(["${var.architecture}"]);
    expect(unwrap(fn.memory_size)).toBe("var.memory_size");
    expect(unwrap(fn.timeout)).toBe("var.timeout");
    expect(fn).not.toHaveProperty("reserved_concurrent_executions");
  });

  it("sets the service name and the log level", () => {
    const variables = nested(fn, "environment").variables as Record<string, string>;
    expect(variables).toEqual({
      POWERTOOLS_SERVICE_NAME: "${local.function_name}",
      LOG_LEVEL: "${var.log_level}",
    });
    const logging = nested(fn, "logging_config");
    expect(logging.log_group).toBe("${aws_cloudwatch_log_group.this.name}");
    expect(logging.application_log_level, "Powertools follows Lambda's level with JSON logs").toBe(
      "${var.log_level}",
    );
  });

  it("is created after its log group and its permissions", () => {
    expect(dependsOn(fn)).toEqual(
      expect.arrayContaining(["aws_cloudwatch_log_group.this", "aws_iam_role_policy.lambda"]),
    );
  });

  it("has a log group with the validated retention and an optional KMS key", () => {
    const logGroup = resource("aws_cloudwatch_log_group", "this");
    expect(unwrap(logGroup.retention_in_days)).toBe("var.log_retention_in_days");
    expect(unwrap(logGroup.kms_key_id)).toBe("var.log_group_kms_key_arn");
  });

  it("retries failed asynchronous invocations as configured", () => {
    const invokeConfig = resource("aws_lambda_function_event_invoke_config", "this");
    expect(unwrap(invokeConfig.function_name)).toBe("aws_lambda_function.this.function_name");
    expect(unwrap(invokeConfig.maximum_retry_attempts)).toBe("var.maximum_retry_attempts");
  });
});

describe("Lambda permission", () => {
  const permission = resource("aws_lambda_permission", "config");

  it("lets only AWS Config, for this account, invoke the function", () => {
    expect(permission.principal).toBe("config.amazonaws.com");
    expect(permission.action).toBe("lambda:InvokeFunction");
    expect(unwrap(permission.function_name)).toBe("aws_lambda_function.this.function_name");
    expect(unwrap(permission.source_account)).toBe("local.account_id");
    expect(unwrap(mod.locals.account_id)).toBe("data.aws_caller_identity.current.account_id");
  });

  it("is the only permission on the function", () => {
    expect(Object.keys(mod.resources.aws_lambda_permission ?? {})).toEqual(["config"]);
  });
});

describe("Config rule", () => {
  const rule = resource("aws_config_config_rule", "this");
  const source = nested(rule, "source");

  it("is a periodic custom Lambda rule", () => {
    expect(source.owner).toBe("CUSTOM_LAMBDA");
    expect(unwrap(source.source_identifier)).toBe("aws_lambda_function.this.arn");
    const detail = nested(source, "source_detail");
    expect(detail.message_type).toBe("ScheduledNotification");
    expect(unwrap(detail.maximum_execution_frequency)).toBe("var.maximum_execution_frequency");
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
    expect(mod.locals.rule_parameters).toEqual({
      lookbackDays: "${tostring(var.lookback_days)}",
      failOnActiveAccessKeys: "${tostring(var.fail_on_active_access_keys)}",
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
      expect(unwrap(block?.count), type).toMatch(/^var\.create_config_recorder\b/);
    }
  });

  it("records only the listed resource types", () => {
    const group = nested(recorder, "recording_group");
    expect(group.all_supported).toBe(false);
    expect(group.include_global_resource_types).toBe(false);
    expect(unwrap(group.resource_types)).toBe("var.config_recorder_resource_types");
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
    expect(statement?.condition).toContainEqual({
      test: "StringEquals",
      variable: "aws:SourceAccount",
      values: ["${local.account_id}"],
    });
    expect(resource("aws_iam_role_policy_attachment", "config_recorder").policy_arn).toBe(
      "arn:${local.partition}:iam::aws:policy/service-role/AWS_ConfigRole",
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
    expect(deny?.resources).toEqual(["${aws_s3_bucket.config[0].arn}", "${aws_s3_bucket.config[0].arn}/*"]);
  });

  it("scopes every grant to the Config service principal with aws:SourceAccount", () => {
    const grants = all.filter((statement) => statement.effect === "Allow");
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      expect(grant.principals).toEqual([{ type: "Service", identifiers: ["config.amazonaws.com"] }]);
      expect(grant.condition, grant.sid).toContainEqual({
        test: "StringEquals",
        variable: "aws:SourceAccount",
        values: ["${local.account_id}"],
      });
      for (const action of grant.actions ?? []) expect(action).not.toContain("*");
    }
    const delivery = grants.find((grant) => grant.actions?.includes("s3:PutObject"));
    expect(delivery?.resources).toEqual(["${aws_s3_bucket.config[0].arn}/${local.config_delivery_prefix}/*"]);
    expect(mod.locals.config_delivery_prefix).toBe("AWSLogs/${local.account_id}/Config");
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
    expect(unwrap(sse.sse_algorithm)).toBe('var.config_bucket_kms_key_arn == null ? "AES256" : "aws:kms"');
  });
});

describe("variables", () => {
  it.each(Object.entries(mod.variables))("%s has a description and a type", (_, block) => {
    expect(typeof block.description === "string" && block.description.length > 10).toBe(true);
    expect(block.type).toMatch(/^\$\{.+\}$/);
  });

  it.each([
    "runtime",
    "architecture",
    "maximum_execution_frequency",
    "lookback_days",
    "log_retention_in_days",
    "log_level",
    "name",
    "memory_size",
    "timeout",
    "maximum_retry_attempts",
    "log_group_kms_key_arn",
    "config_recorder_role_arn",
    "config_recorder_resource_types",
    "config_bucket_name",
    "config_bucket_kms_key_arn",
    "config_bucket_expiration_days",
  ])("%s is validated", (name) => {
    const conditions = validationConditions(variable(name));
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions) expect(condition).toContain(`var.${name}`);
  });

  it("runtime: nodejs22.x by default, nodejs24.x allowed, nothing older", () => {
    const runtime = variable("runtime");
    const allowed = containsList(validationConditions(runtime).join(" "), "runtime");
    expect(allowed).toEqual(expect.arrayContaining(["nodejs22.x", "nodejs24.x"]));
    expect(allowed).not.toContain("nodejs20.x");
    expect(allowed).not.toContain("nodejs18.x");
    expect(allowed?.every((value) => /^nodejs(2[2-9]|[3-9]\d)\.x$/.test(String(value)))).toBe(true);
    expect(runtime.default).toBe("nodejs22.x");
  });

  it.each([
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

  it("log_retention_in_days accepts only values CloudWatch Logs accepts", () => {
    // PutRetentionPolicy's documented values; 0 is the provider's "never expire".
    const cloudWatch = [
      0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
      3653,
    ];
    const block = variable("log_retention_in_days");
    const allowed = containsList(validationConditions(block).join(" "), "log_retention_in_days");
    expect(allowed).toEqual(cloudWatch);
    expect(allowed).toContain(block.default);
  });

  it("name: valid for Lambda, IAM and the derived names", () => {
    const block = variable("name");
    const pattern = regexPattern(validationConditions(block).join(" "), "name");
    expect(pattern).toBeDefined();
    const valid = (value: string): boolean => pattern?.test(value) ?? false;
    expect(valid(String(block.default))).toBe(true);
    expect(valid("Root_Activity-2")).toBe(true);
    expect(valid("a".repeat(48))).toBe(true);
    for (const bad of [
      "",
      "a".repeat(49),
      "1root",
      "-root",
      "root activity",
      "root.activity",
      "root/activity",
    ]) {
      expect(valid(bad), bad).toBe(false);
    }
    // The longest valid name still gives IAM role names of at most 64 characters.
    const longest = "a".repeat(48);
    for (const template of [mod.locals.lambda_role, mod.locals.recorder_role]) {
      expect(String(template).replace("${var.name}", longest).length).toBeLessThanOrEqual(64);
    }
  });

  it.each([
    ["lookback_days", [1, 30, 3650], [0, -1, 3651, 1.5]],
    ["memory_size", [128, 1024, 10240], [127, 10241, 128.5]],
    ["timeout", [10, 120, 900], [9, 901, 60.5]],
    ["maximum_retry_attempts", [0, 1, 2], [-1, 3, 0.5]],
    ["config_bucket_expiration_days", [null, 1, 365], [0, -1, 1.5]],
  ] as const)("%s: the validation accepts %j and rejects %j", (name, good, bad) => {
    const block = variable(name);
    const [condition] = validationConditions(block);
    expect(condition).toBeDefined();
    for (const value of [...good, block.default as number]) {
      expect(evaluateNumericCondition(condition ?? "", name, value), String(value)).toBe(true);
    }
    for (const value of bad)
      expect(evaluateNumericCondition(condition ?? "", name, value), String(value)).toBe(false);
  });

  it("ARN and bucket name validations accept null and real values", () => {
    const cases: [string, string, string][] = [
      [
        "log_group_kms_key_arn",
        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "alias/logs",
      ],
      [
        "config_recorder_role_arn",
        "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
        "AWSServiceRoleForConfig",
      ],
      ["config_bucket_name", "root-activity-config-123456789012-eu-west-1", "Root_Activity"],
    ];
    for (const [name, good, bad] of cases) {
      const block = variable(name);
      expect(block.default).toBeNull();
      const condition = validationConditions(block).join(" ");
      expect(condition).toMatch(new RegExp(`^var\\.${name} == null \\? true : `));
      const pattern = regexPattern(condition, name);
      expect(pattern?.test(good), good).toBe(true);
      expect(pattern?.test(bad), bad).toBe(false);
    }
  });

  it("the derived bucket name fits S3's 63 characters", () => {
    const expression = unwrap(mod.locals.config_bucket_name);
    expect(expression).toContain('substr(lower(replace(var.name, "_", "-")), 0, 20)');
    // 20 characters of name, "-config-", a 12-digit account id, "-" and the longest region names (14).
    expect(20 + "-config-".length + 12 + 1 + "ap-southeast-5".length).toBeLessThanOrEqual(63);
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

describe("outputs", () => {
  it.each(Object.entries(mod.outputs))("%s has a description", (_, block) => {
    expect(typeof block.description === "string" && block.description.length > 10).toBe(true);
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
    expect(unwrap(mod.outputs.config_recorder_name?.value)).toBe(
      "one(aws_config_configuration_recorder.this[*].name)",
    );
    expect(unwrap(mod.outputs.config_bucket_name?.value)).toBe("one(aws_s3_bucket.config[*].id)");
  });
});

describe("tags", () => {
  it("go on every taggable resource through local.tags", () => {
    const taggable = [
      "aws_cloudwatch_log_group",
      "aws_lambda_function",
      "aws_iam_role",
      "aws_config_config_rule",
      "aws_s3_bucket",
    ];
    for (const type of taggable) {
      for (const [name, block] of Object.entries(mod.resources[type] ?? {})) {
        expect(block.tags, `${type}.${name}`).toBe("${local.tags}");
      }
    }
  });
});

describe("example: single-account", () => {
  const calls = Object.entries(example.modules);

  it("calls the module with arguments it declares, including all required ones", () => {
    expect(calls.length).toBeGreaterThan(0);
    const meta = new Set(["source", "version", "providers", "depends_on", "count", "for_each"]);
    for (const [name, call] of calls) {
      expect(call.source, name).toBe("../..");
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
      if (value === undefined || (typeof value === "string" && value.startsWith("${"))) continue;
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

  it("has a README that explains build, deploy, evaluation, results, cost and removal", async () => {
    const readme = await readFile(join(EXAMPLE_DIR, "README.md"), "utf8");
    for (const text of [
      "npm ci && npm run build",
      "terraform init",
      "terraform apply",
      "aws configservice start-config-rules-evaluation",
      "aws configservice get-compliance-details-by-config-rule",
      "terraform destroy",
      "config_bucket_force_destroy",
      "npm run bench",
    ]) {
      expect(readme).toContain(text);
    }
  });
});

describe("module README", () => {
  const readmePromise = readFile(join(TERRAFORM_DIR, "README.md"), "utf8");

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
});
