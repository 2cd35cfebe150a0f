/**
 * The function and the Config rule each deployment plans, and what connects them to the code in rule/: the rule
 * invokes the module's function on schedule, with rule parameters the function's parser (rule/params.ts) reads back
 * as the variables say; the function runs the build's handler, logs to the log group its role may write, names the
 * metrics the alarms watch; every setting of the module reaches it; the optional recorder records, delivers and
 * keeps its bucket private; every taggable resource gets the tags; the outputs are the planned resources'. (That
 * the modules it calls accept every value a module accepts: terraform-validations.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_PARAMETERS, parseRuleParameters } from "../rule/params.ts";
import { parseCloudFormation } from "./support/cfn.ts";
import type { Value } from "./support/hcl-expression.ts";
import {
  type Configuration,
  type Instance,
  loadConfiguration,
  type Plan,
  plan,
  WORLD,
} from "./support/plan.ts";
import { VALIDATION_CASES } from "./support/validation-cases.ts";

const root = await loadConfiguration("terraform");
const organization = await loadConfiguration("terraform/modules/organization");
const DEPLOYMENTS = [
  ["single account", root],
  ["organization", organization],
] as const;

const { accountId: ACCOUNT, region: REGION, partition: PARTITION } = WORLD;
const KEY = `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The one instance of `type` in a plan (`name` to choose among several). */
function one(planned: Plan, type: string, name?: string): Instance {
  const found = planned.resources.filter(
    (resource) => resource.type === type && (name === undefined || resource.name === name),
  );
  if (found.length !== 1)
    throw new Error(`expected one ${type}${name === undefined ? "" : `.${name}`}, found ${found.length}`);
  return found[0] as Instance;
}
const first = (value: Value | undefined): Record<string, Value> =>
  ((value ?? []) as Record<string, Value>[])[0] ?? {};

describe.each(DEPLOYMENTS)("%s: the function", (_, config: Configuration) => {
  const planned = plan(config, {});
  const fn = one(planned, "aws_lambda_function");
  const logGroup = one(planned, "aws_cloudwatch_log_group");

  it("runs the handler the build exports, logs JSON to its own log group, names its metrics after itself", () => {
    expect(fn.values.handler).toBe("index.handler");
    // Lambda writes to /aws/lambda/<function name>; the module creates that group, so the function needs no
    // logs:CreateLogGroup (the permissions tests show it has none).
    expect(logGroup.values.name).toBe(`/aws/lambda/${String(fn.values.function_name)}`);
    expect(first(fn.values.logging_config)).toMatchObject({
      log_group: logGroup.values.name,
      log_format: "JSON",
    });
    // Powertools' service name is the `service` dimension of the metrics the no-evaluations alarm watches.
    expect(first(fn.values.environment).variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: fn.values.function_name,
    });
  });

  it("is created after its log group and its role's policy, so its first invocation can log", () => {
    expect(fn.dependsOn).toEqual(
      expect.arrayContaining(["aws_cloudwatch_log_group.this", "aws_iam_role_policy.this"]),
    );
  });

  it("gets every function setting of the module, unchanged", () => {
    const settings: Record<string, Value> = {
      runtime: "nodejs24.x",
      architecture: "x86_64",
      memory_size: 1024,
      timeout: 300,
      log_level: "DEBUG",
      log_retention_in_days: 365,
      log_group_kms_key_arn: KEY,
      maximum_retry_attempts: 0,
      ...("reserved_concurrent_executions" in config.module.variables
        ? { reserved_concurrent_executions: 50 }
        : {}),
    };
    const set = plan(config, settings);
    const function_ = one(set, "aws_lambda_function").values;
    expect(function_).toMatchObject({
      runtime: "nodejs24.x",
      architectures: ["x86_64"],
      memory_size: 1024,
      timeout: 300,
      reserved_concurrent_executions: settings.reserved_concurrent_executions ?? null,
    });
    expect(first(function_.environment).variables).toMatchObject({ LOG_LEVEL: "DEBUG" });
    expect(first(function_.logging_config).application_log_level).toBe("DEBUG");
    expect(one(set, "aws_cloudwatch_log_group").values).toMatchObject({
      retention_in_days: 365,
      kms_key_id: KEY,
    });
    expect(one(set, "aws_lambda_function_event_invoke_config").values.maximum_retry_attempts).toBe(0);
  });

  it("defaults to the Lambda runtime the project targets, nodejs22.x, on arm64, with no reserved concurrency", () => {
    expect(fn.values).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      reserved_concurrent_executions: null,
    });
  });
});

describe("the Config rule invokes the module's function on schedule", () => {
  it("single account: a periodic custom Lambda rule, after its invoke permission and the module's recorder", () => {
    const planned = plan(root, { create_config_recorder: true, maximum_execution_frequency: "Six_Hours" });
    const rule = one(planned, "aws_config_config_rule");
    const source = first(rule.values.source);
    expect(source).toMatchObject({
      owner: "CUSTOM_LAMBDA",
      source_identifier: one(planned, "aws_lambda_function").values.arn,
    });
    expect(first(source.source_detail)).toEqual({
      event_source: "aws.config",
      message_type: "ScheduledNotification",
      maximum_execution_frequency: "Six_Hours",
    });
    expect(rule.dependsOn).toEqual(
      expect.arrayContaining([
        "aws_lambda_permission.config",
        "aws_config_configuration_recorder_status.this",
      ]),
    );
  });

  it("organization: an organization custom rule on schedule, skipping the excluded accounts", () => {
    const planned = plan(organization, {
      excluded_accounts: ["111122223333"],
      maximum_execution_frequency: "One_Hour",
    });
    expect(one(planned, "aws_config_organization_custom_rule").values).toMatchObject({
      lambda_function_arn: one(planned, "aws_lambda_function").values.arn,
      trigger_types: ["ScheduledNotification"],
      maximum_execution_frequency: "One_Hour",
      excluded_accounts: ["111122223333"],
    });
  });
});

/** The rule parameters a plan sends, as the function parses them. */
function parsed(planned: Plan): ReturnType<typeof parseRuleParameters> {
  const rule = planned.resources.find(
    (resource) => resource.type.startsWith("aws_config_") && resource.type.endsWith("_rule"),
  );
  return parseRuleParameters(String(rule?.values.input_parameters));
}

describe.each(DEPLOYMENTS)("%s: the rule parameters", (deployment, config: Configuration) => {
  const organizationOnly = deployment === "organization" ? { executionRoleName: "root-activity-member" } : {};

  it("are the function's defaults when the variables are", () => {
    expect(parsed(plan(config, {}))).toEqual({ ...DEFAULT_PARAMETERS, ...organizationOnly });
  });

  it("carry each variable's value, read back by the function's parser", () => {
    const vars = {
      lookback_days: 90,
      fail_on_active_access_keys: true,
      cloudtrail_lookup: false,
      cloudtrail_regions: ["us-east-1", "eu-central-2"],
      count_centralized_root_sessions: true,
      ...(deployment === "organization" ? { member_role_name: "audit-reader" } : {}),
    };
    expect(parsed(plan(config, vars))).toEqual({
      lookbackDays: 90,
      failOnActiveAccessKeys: true,
      cloudTrailLookup: false,
      cloudTrailRegions: ["us-east-1", "eu-central-2"],
      countCentralizedRootSessions: true,
      executionRoleName: deployment === "organization" ? "audit-reader" : undefined,
    });
  });

  it("parse for every value the variables accept (the function refuses what AWS Config would pass it otherwise)", () => {
    const cases = VALIDATION_CASES.find(([dir]) => dir === config.dir)?.[1] ?? {};
    for (const name of ["lookback_days", "cloudtrail_regions", "member_role_name"]) {
      for (const value of cases[name]?.accepted ?? []) {
        if (value === null) continue;
        expect(
          () => parsed(plan(config, { [name]: value })),
          `${name} = ${JSON.stringify(value)}`,
        ).not.toThrow();
      }
    }
  });

  it("go to the conformance pack too, each a value its template's parameter allows", () => {
    const planned = plan(config, {
      create_conformance_pack: true,
      cloudtrail_regions: ["eusc-de-east-1", "us-east-1"],
    });
    const pack = planned.resources.find((resource) => resource.type.endsWith("conformance_pack")) as Instance;
    const template = parseCloudFormation(String(pack.values.template_body)) as {
      Parameters: Record<string, { AllowedValues?: string[]; AllowedPattern?: string }>;
    };
    const given = Object.fromEntries(
      ((pack.values.input_parameter ?? []) as Record<string, Value>[]).map((parameter) => [
        String(parameter.parameter_name),
        String(parameter.parameter_value),
      ]),
    );
    expect(Object.keys(given).sort()).toEqual(
      Object.keys(template.Parameters)
        .filter((name) => name in given)
        .sort(),
    );
    for (const [name, value] of Object.entries(given)) {
      const parameter = template.Parameters[name];
      expect(parameter, name).toBeDefined();
      if (parameter?.AllowedValues !== undefined) expect(parameter.AllowedValues, name).toContain(value);
      if (parameter?.AllowedPattern !== undefined)
        expect(value, name).toMatch(new RegExp(parameter.AllowedPattern));
    }
    expect(given.RootActivityLambdaFunctionArn).toBe(one(planned, "aws_lambda_function").values.arn);
  });
});

describe("single account: the optional configuration recorder", () => {
  const planned = plan(root, {
    create_config_recorder: true,
    config_recorder_resource_types: ["AWS::IAM::User"],
  });
  const bucket = one(planned, "aws_s3_bucket");

  it("records only the listed resource types, delivers to the module's bucket and is started", () => {
    const group = first(one(planned, "aws_config_configuration_recorder").values.recording_group);
    expect(group).toMatchObject({
      all_supported: false,
      include_global_resource_types: false,
      resource_types: ["AWS::IAM::User"],
      recording_strategy: [{ use_only: "INCLUSION_BY_RESOURCE_TYPES" }],
    });
    expect(one(planned, "aws_config_delivery_channel").values.s3_bucket_name).toBe(bucket.values.bucket);
    expect(one(planned, "aws_config_configuration_recorder_status").values.is_enabled).toBe(true);
    expect(
      plan(root, { create_config_recorder: true }).resources.find(
        (r) => r.type === "aws_config_configuration_recorder",
      )?.values.recording_group,
    ).toMatchObject([{ resource_types: ["AWS::Config::ResourceCompliance"] }]);
  });

  it("starts only once the channel can deliver: after the bucket policy and the role's permissions", () => {
    expect(one(planned, "aws_config_delivery_channel").dependsOn).toEqual(
      expect.arrayContaining([
        "aws_config_configuration_recorder.this",
        "aws_s3_bucket_policy.config",
        "aws_iam_role_policy.config_recorder_delivery",
      ]),
    );
    expect(one(planned, "aws_config_configuration_recorder_status").dependsOn).toEqual(
      expect.arrayContaining([
        "aws_config_delivery_channel.this",
        "aws_iam_role_policy_attachment.config_recorder",
      ]),
    );
  });

  it("keeps its bucket private, owner-enforced, encrypted (SSE-S3, or SSE-KMS with a bucket key) and expiring", () => {
    expect(one(planned, "aws_s3_bucket_public_access_block").values).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(first(one(planned, "aws_s3_bucket_ownership_controls").values.rule).object_ownership).toBe(
      "BucketOwnerEnforced",
    );
    const encryption = (vars: Record<string, Value>) =>
      first(
        one(
          plan(root, { create_config_recorder: true, ...vars }),
          "aws_s3_bucket_server_side_encryption_configuration",
        ).values.rule,
      );
    expect(encryption({})).toMatchObject({
      apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256", kms_master_key_id: null }],
      bucket_key_enabled: false,
    });
    expect(encryption({ config_bucket_kms_key_arn: KEY })).toMatchObject({
      apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: KEY }],
      bucket_key_enabled: true,
    });
    expect(first(one(planned, "aws_s3_bucket_lifecycle_configuration").values.rule).expiration).toEqual([
      { days: 365 },
    ]);
    expect(first(one(planned, "aws_s3_bucket_versioning").values.versioning_configuration).status).toBe(
      "Enabled",
    );
  });
});

/** Resource types of the provider that take tags (their schema has `tags`). */
const TAGGABLE = [
  "aws_cloudwatch_event_bus",
  "aws_cloudwatch_event_rule",
  "aws_cloudwatch_log_group",
  "aws_cloudwatch_metric_alarm",
  "aws_cloudformation_stack_set",
  "aws_config_config_rule",
  "aws_config_configuration_aggregator",
  "aws_iam_role",
  "aws_kms_key",
  "aws_lambda_function",
  "aws_s3_bucket",
  "aws_sfn_state_machine",
  "aws_sns_topic",
];

describe.each(DEPLOYMENTS)("%s: tags", (_, config: Configuration) => {
  it("go on every taggable resource, in every module and region", () => {
    const planned = plan(config, {
      tags: { team: "security" },
      create_notifications: true,
      create_root_activity_alerts: true,
      ...("create_config_recorder" in config.module.variables ? { create_config_recorder: true } : {}),
    });
    const taggable = planned.resources.filter((resource) => TAGGABLE.includes(resource.type));
    expect(new Set(taggable.map((resource) => resource.type)).size).toBeGreaterThan(8);
    for (const resource of taggable)
      expect(resource.values.tags, resource.address).toEqual({ team: "security" });
  });
});

describe.each(DEPLOYMENTS)("%s: outputs", (deployment, config: Configuration) => {
  it("are the planned resources' values, null for what a switch left out", () => {
    const off = plan(config, {});
    const on = plan(config, { create_notifications: true });
    const fn = one(on, "aws_lambda_function").values;
    expect(on.outputs).toMatchObject({
      lambda_function_name: fn.function_name,
      lambda_function_arn: fn.arn,
      lambda_role_arn: one(on, "aws_iam_role", "this").values.arn,
      log_group_name: one(on, "aws_cloudwatch_log_group").values.name,
      notification_topic_arn: one(on, "aws_sns_topic").values.arn,
    });
    expect(off.outputs.notification_topic_arn).toBeNull();
    const rule =
      deployment === "organization"
        ? one(on, "aws_config_organization_custom_rule").values
        : one(on, "aws_config_config_rule").values;
    expect(Object.values(on.outputs)).toContain(rule.arn);
  });
});
