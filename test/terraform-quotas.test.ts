/**
 * Every policy, pattern, template and parameter string the modules send fits the quota AWS documents for its kind,
 * for the largest input the validations accept (issue 19, defect 2): every commercial Region alerted on, every
 * switch and alarm on, the longest accepted names and the longest accepted lists, in the commercial Region with the
 * longest name. Each document is measured as AWS measures it (IAM ignores white space) and each quota cites its
 * source (test/support/aws-limits.ts).
 */
import { describe, expect, it } from "vitest";
import { measure, QUOTAS, type Quota } from "./support/aws-limits.ts";
import { regionsOf } from "./support/aws-regions.ts";
import type { Value } from "./support/hcl-expression.ts";
import { grownList, longestAccepted } from "./support/largest-input.ts";
import { type Configuration, loadConfiguration, type Plan, plan, WORLD } from "./support/plan.ts";
import { goJson } from "./support/policy-document.ts";
import { resolve, stackSets } from "./support/stack-set-templates.ts";

const root = await loadConfiguration("terraform");
const organization = await loadConfiguration("terraform/modules/organization");

const COMMERCIAL = regionsOf("aws");
/** The commercial Region with the longest name: the longest ARNs. */
const HOME = [...COMMERCIAL].sort((a, b) => b.length - a.length)[0] as string;
/** A member account of the organization, where the StackSets create their stacks. */
const MEMBER_ACCOUNT = "210987654321";

/** A made-up account ID, distinct for each index. */
const account = (index: number): string => String(100000000000 + index);
/** A made-up region name of the commercial shape, distinct for each index and as long as the longest real one. */
const region = (index: number): string =>
  `ap-southeastx${String.fromCharCode(97 + (index % 26))}${String.fromCharCode(97 + (Math.floor(index / 26) % 26))}-9`;

/** The largest input of the single-account module: the variables that lengthen a document at their maximum. */
function largestSingleAccount(config: Configuration): Record<string, Value> {
  const variables = config.module.variables;
  return {
    name: longestAccepted(variables, "name", (n) => "a".repeat(n), 200),
    create_config_recorder: true,
    config_bucket_kms_key_arn: `arn:aws:kms:${HOME}:${WORLD.accountId}:key/${"k".repeat(36)}`,
    create_notifications: true,
    notify_on: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"],
    notification_emails: ["security@example.com"],
    alarm_on_failures: true,
    create_root_activity_alerts: true,
    root_activity_alert_reevaluate: true,
    root_activity_alert_regions: grownList(variables, "root_activity_alert_regions", COMMERCIAL, region, 100),
    cloudtrail_lookup: true,
    cloudtrail_regions: grownList(variables, "cloudtrail_regions", [], region, 100),
    lookback_days: 3650,
    fail_on_active_access_keys: true,
    count_centralized_root_sessions: true,
    create_conformance_pack: true,
  };
}

/** The largest input of the organization module. */
function largestOrganization(config: Configuration): Record<string, Value> {
  const variables = config.module.variables;
  return {
    name: longestAccepted(variables, "name", (n) => "a".repeat(n), 200),
    member_role_name: longestAccepted(variables, "member_role_name", (n) => "m".repeat(n), 200),
    create_aggregator: true,
    aggregator_all_regions: true,
    create_notifications: true,
    notify_on: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"],
    notification_emails: ["security@example.com"],
    alarm_on_failures: true,
    create_root_activity_alerts: true,
    root_activity_alert_regions: grownList(variables, "root_activity_alert_regions", COMMERCIAL, region, 100),
    cloudtrail_lookup: true,
    cloudtrail_regions: grownList(variables, "cloudtrail_regions", [], region, 100),
    lookback_days: 3650,
    fail_on_active_access_keys: true,
    count_centralized_root_sessions: true,
    create_conformance_pack: true,
    excluded_accounts: grownList(variables, "excluded_accounts", [], account, 2000),
    lambda_invoke_source_account_ids: grownList(
      variables,
      "lambda_invoke_source_account_ids",
      [],
      account,
      2000,
    ),
    organizational_unit_ids: ["ou-ab12-cdef5678"],
  };
}

/** One document or text AWS receives, with the quota of its kind. */
interface Measured {
  readonly where: string;
  readonly quota: Quota;
  readonly size: number;
}

const measured = (where: string, quota: Quota, text: string): Measured => ({
  where,
  quota,
  size: measure(text, quota.measure),
});

/**
 * The statement Lambda adds to a function's policy for an aws_lambda_permission (AddPermission): the principal,
 * the action on the function, and its source account and source ARN as conditions.
 */
function lambdaStatement(permission: Readonly<Record<string, Value>>, functionArn: string): Value {
  const condition: Record<string, Record<string, string>> = {};
  if (permission.source_account != null)
    condition.StringEquals = { "AWS:SourceAccount": String(permission.source_account) };
  if (permission.source_arn != null) condition.ArnLike = { "AWS:SourceArn": String(permission.source_arn) };
  return {
    Sid: String(permission.statement_id),
    Effect: "Allow",
    Principal: { Service: String(permission.principal) },
    Action: String(permission.action),
    Resource: functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** Every document and text of `planned` that a quota applies to. */
function documentsOf(planned: Plan): Measured[] {
  const found: Measured[] = [];
  const of = (type: string) => planned.resources.filter((resource) => resource.type === type);
  for (const role of of("aws_iam_role")) {
    found.push(
      measured(
        `${role.address} trust policy`,
        QUOTAS.roleTrustPolicy,
        String(role.values.assume_role_policy),
      ),
    );
    const inline = of("aws_iam_role_policy").filter((policy) => policy.values.role === role.values.name);
    const size = inline.reduce(
      (sum, policy) => sum + measure(String(policy.values.policy), "IAM characters"),
      0,
    );
    found.push({ where: `${role.address} inline policies`, quota: QUOTAS.roleInlinePolicies, size });
  }
  for (const policy of of("aws_iam_policy"))
    found.push(measured(policy.address, QUOTAS.managedPolicy, String(policy.values.policy)));
  for (const policy of of("aws_sns_topic_policy"))
    found.push(measured(policy.address, QUOTAS.snsTopicPolicy, String(policy.values.policy)));
  for (const key of of("aws_kms_key"))
    found.push(measured(`${key.address} key policy`, QUOTAS.kmsKeyPolicy, String(key.values.policy)));
  for (const policy of of("aws_s3_bucket_policy"))
    found.push(measured(policy.address, QUOTAS.s3BucketPolicy, String(policy.values.policy)));
  for (const policy of of("aws_cloudwatch_event_bus_policy"))
    found.push(measured(policy.address, QUOTAS.eventBusPolicy, String(policy.values.policy)));
  for (const fn of of("aws_lambda_function")) {
    const statements = of("aws_lambda_permission")
      .filter((permission) => permission.values.function_name === fn.values.function_name)
      .map((permission) => lambdaStatement(permission.values, String(fn.values.arn)));
    const policy = goJson({ Version: "2012-10-17", Id: "default", Statement: statements });
    found.push(measured(`${fn.address} resource-based policy`, QUOTAS.lambdaFunctionPolicy, policy));
  }
  for (const rule of of("aws_cloudwatch_event_rule"))
    found.push(
      measured(`${rule.address} event pattern`, QUOTAS.eventPattern, String(rule.values.event_pattern)),
    );
  for (const target of of("aws_cloudwatch_event_target")) {
    for (const transformer of (target.values.input_transformer ?? []) as Record<string, Value>[]) {
      found.push(
        measured(
          `${target.address} input template`,
          QUOTAS.inputTemplate,
          String(transformer.input_template),
        ),
      );
      found.push({
        where: `${target.address} input paths`,
        quota: QUOTAS.inputPaths,
        size: Object.keys(transformer.input_paths ?? {}).length,
      });
    }
  }
  for (const rule of of("aws_config_config_rule"))
    found.push(
      measured(
        `${rule.address} input parameters`,
        QUOTAS.configRuleParameters,
        String(rule.values.input_parameters),
      ),
    );
  for (const rule of of("aws_config_organization_custom_rule"))
    found.push(
      measured(
        `${rule.address} input parameters`,
        QUOTAS.organizationRuleParameters,
        String(rule.values.input_parameters),
      ),
    );
  for (const pack of [
    ...of("aws_config_conformance_pack"),
    ...of("aws_config_organization_conformance_pack"),
  ]) {
    found.push(
      measured(`${pack.address} template`, QUOTAS.conformancePackTemplate, String(pack.values.template_body)),
    );
    const parameters = (pack.values.input_parameter ?? []) as Record<string, Value>[];
    found.push({
      where: `${pack.address} input parameters`,
      quota: QUOTAS.conformancePackParameters,
      size: parameters.length,
    });
    for (const parameter of parameters)
      found.push(
        measured(
          `${pack.address} parameter ${String(parameter.parameter_name)}`,
          QUOTAS.conformancePackParameterValue,
          String(parameter.parameter_value),
        ),
      );
  }
  for (const { name, stackSet, template, regions } of stackSets(planned)) {
    found.push(
      measured(`${name} template body`, QUOTAS.stackSetTemplate, String(stackSet.values.template_body)),
    );
    for (const stackRegion of regions) {
      const context = { partition: WORLD.partition, accountId: MEMBER_ACCOUNT, region: stackRegion };
      for (const [logicalId, resource] of Object.entries(template.Resources)) {
        const properties = resolve(resource.Properties, template, context) as Record<string, Value>;
        const where = `${name} ${logicalId} in ${stackRegion}`;
        if (resource.Type === "AWS::IAM::Role") {
          found.push(
            measured(
              `${where} trust policy`,
              QUOTAS.roleTrustPolicy,
              JSON.stringify(properties.AssumeRolePolicyDocument),
            ),
          );
          const inline = (properties.Policies ?? []) as Record<string, Value>[];
          const size = inline.reduce((sum, policy) => sum + JSON.stringify(policy.PolicyDocument).length, 0);
          found.push({ where: `${where} inline policies`, quota: QUOTAS.roleInlinePolicies, size });
        }
        if (resource.Type === "AWS::Events::Rule")
          found.push(
            measured(`${where} event pattern`, QUOTAS.eventPattern, JSON.stringify(properties.EventPattern)),
          );
      }
    }
  }
  return found;
}

/** The documents of `found` over their quota, each with its size and the quota's source. */
const over = (found: readonly Measured[]): string[] =>
  found
    .filter(({ quota, size }) => size > quota.max)
    .map(({ where, quota, size }) => `${where}: ${size} > ${quota.max} (${quota.what}; ${quota.source})`);

/** The kinds of quota each module's largest plan must have measured something against (none checked in vain). */
const KINDS = (found: readonly Measured[]): string[] =>
  [...new Set(found.map(({ quota }) => quota.what))].sort();

describe("every document fits its quota, for the largest input the validations accept", () => {
  const single = plan(root, largestSingleAccount(root), { ...WORLD, region: HOME });
  const whole = plan(organization, largestOrganization(organization), { ...WORLD, region: HOME });

  it("single account: role trust and inline policies, topic, key and bucket policies, patterns, templates, rule parameters", () => {
    const found = documentsOf(single);
    expect(over(found)).toEqual([]);
    expect(KINDS(found)).toEqual(
      [
        QUOTAS.roleTrustPolicy,
        QUOTAS.roleInlinePolicies,
        QUOTAS.snsTopicPolicy,
        QUOTAS.kmsKeyPolicy,
        QUOTAS.s3BucketPolicy,
        QUOTAS.lambdaFunctionPolicy,
        QUOTAS.eventPattern,
        QUOTAS.inputTemplate,
        QUOTAS.inputPaths,
        QUOTAS.configRuleParameters,
        QUOTAS.conformancePackTemplate,
        QUOTAS.conformancePackParameters,
        QUOTAS.conformancePackParameterValue,
      ]
        .map(({ what }) => what)
        .sort(),
    );
  });

  it("organization: the same, the bus policy, the StackSet templates and the roles and patterns they create in every account and region", () => {
    const found = documentsOf(whole);
    expect(over(found)).toEqual([]);
    expect(KINDS(found)).toEqual(
      [
        QUOTAS.roleTrustPolicy,
        QUOTAS.roleInlinePolicies,
        QUOTAS.snsTopicPolicy,
        QUOTAS.kmsKeyPolicy,
        QUOTAS.eventBusPolicy,
        QUOTAS.lambdaFunctionPolicy,
        QUOTAS.eventPattern,
        QUOTAS.inputTemplate,
        QUOTAS.inputPaths,
        QUOTAS.organizationRuleParameters,
        QUOTAS.conformancePackTemplate,
        QUOTAS.conformancePackParameters,
        QUOTAS.conformancePackParameterValue,
        QUOTAS.stackSetTemplate,
      ]
        .map(({ what }) => what)
        .sort(),
    );
  });

  it("the largest input is what it says: every commercial Region alerted on, the longest names and lists the validations take", () => {
    const regions = (planned: Plan, type: string) =>
      new Set(
        planned.resources.filter((resource) => resource.type === type).map((resource) => resource.region),
      );
    for (const name of COMMERCIAL)
      expect(regions(single, "aws_cloudwatch_event_rule").has(name), name).toBe(true);
    const alerts = stackSets(whole).find(({ name }) => name.endsWith("-root-alerts"));
    expect(new Set(alerts?.regions)).toEqual(
      new Set(largestOrganization(organization).root_activity_alert_regions as string[]),
    );
    expect(String(largestSingleAccount(root).name).length).toBe(48);
    expect(String(largestOrganization(organization).name).length).toBe(46);
  });
});
