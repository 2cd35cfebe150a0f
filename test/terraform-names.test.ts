/**
 * Every name and description a module sends AWS is one AWS accepts, for every value the validations of the
 * variables that name things accept (issue 19, defect 1). fast-check draws values from each validation's characters
 * and lengths (one character longer too), keeps those accepts() says the validation takes, plans the module with
 * every switch on (test/support/plan.ts) and holds each name of the plan, the StackSet templates' included, to its
 * rule in test/support/aws-limits.ts, where every rule names its source.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NAMES, type NameRule, ruleProblem } from "./support/aws-limits.ts";
import { regionsOf } from "./support/aws-regions.ts";
import { parseCloudFormation } from "./support/cfn.ts";
import { nestedAll } from "./support/hcl.ts";
import { accepts, type Value } from "./support/hcl-expression.ts";
import { loadConfiguration, type Plan, plan, WORLD } from "./support/plan.ts";
import { stackSets } from "./support/stack-set-templates.ts";

const root = await loadConfiguration("terraform");
const organization = await loadConfiguration("terraform/modules/organization");

/** The single-account module with every switch on that creates something named. */
const ROOT_SWITCHES: Record<string, Value> = {
  create_config_recorder: true,
  create_notifications: true,
  create_root_activity_alerts: true,
  root_activity_alert_reevaluate: true,
  create_conformance_pack: true,
  alarm_on_failures: true,
  root_activity_alert_regions: ["us-east-1", "ap-southeast-5"],
};

/** The organization module with every switch on that creates something named. */
const ORGANIZATION_SWITCHES: Record<string, Value> = {
  create_aggregator: true,
  create_notifications: true,
  create_root_activity_alerts: true,
  create_conformance_pack: true,
  alarm_on_failures: true,
  create_member_role_in_this_account: true,
  root_activity_alert_regions: ["us-east-1", "ap-southeast-5"],
};

/** The rule of each name and text attribute, by resource type; a type without names has none listed. */
const RESOURCE_NAMES: Record<string, Record<string, NameRule>> = {
  aws_iam_role: { name: NAMES.iamRoleName, description: NAMES.iamRoleDescription },
  aws_iam_role_policy: { name: NAMES.iamPolicyName },
  aws_iam_role_policy_attachment: {},
  aws_lambda_function: { function_name: NAMES.lambdaFunctionName, description: NAMES.lambdaDescription },
  aws_lambda_permission: { statement_id: NAMES.lambdaStatementId },
  aws_lambda_function_event_invoke_config: {},
  aws_cloudwatch_log_group: { name: NAMES.logGroupName },
  aws_cloudwatch_event_rule: { name: NAMES.eventRuleName, description: NAMES.eventRuleDescription },
  aws_cloudwatch_event_target: { target_id: NAMES.eventTargetId },
  aws_cloudwatch_event_bus: { name: NAMES.eventBusName, description: NAMES.eventBusDescription },
  aws_cloudwatch_event_bus_policy: {},
  aws_cloudwatch_metric_alarm: { alarm_name: NAMES.alarmName, alarm_description: NAMES.alarmDescription },
  aws_sns_topic: { name: NAMES.snsTopicName },
  aws_sns_topic_policy: {},
  aws_sns_topic_subscription: {},
  aws_kms_key: { description: NAMES.kmsKeyDescription },
  aws_kms_alias: { name: NAMES.kmsAliasName },
  aws_sfn_state_machine: { name: NAMES.stateMachineName },
  aws_config_config_rule: { name: NAMES.configRuleName, description: NAMES.configRuleDescription },
  aws_config_organization_custom_rule: {
    name: NAMES.organizationConfigRuleName,
    description: NAMES.organizationConfigRuleDescription,
  },
  aws_config_configuration_recorder: { name: NAMES.recorderName },
  aws_config_configuration_recorder_status: {},
  aws_config_delivery_channel: { name: NAMES.deliveryChannelName },
  aws_config_configuration_aggregator: { name: NAMES.aggregatorName },
  aws_config_conformance_pack: { name: NAMES.conformancePackName },
  aws_config_organization_conformance_pack: { name: NAMES.organizationConformancePackName },
  aws_cloudformation_stack_set: { name: NAMES.stackSetName, description: NAMES.stackSetDescription },
  aws_cloudformation_stack_instances: {},
  aws_cloudformation_stack_set_instance: {},
  aws_s3_bucket: { bucket: NAMES.s3BucketName },
  aws_s3_bucket_public_access_block: {},
  aws_s3_bucket_ownership_controls: {},
  aws_s3_bucket_server_side_encryption_configuration: {},
  aws_s3_bucket_versioning: {},
  aws_s3_bucket_lifecycle_configuration: {},
  aws_s3_bucket_policy: {},
};

/** The names of a StackSet template's resources, by resource type: property -> rule ("[]" for each list item). */
const TEMPLATE_NAMES: Record<string, Record<string, NameRule>> = {
  "AWS::IAM::Role": {
    RoleName: NAMES.iamRoleName,
    Description: NAMES.iamRoleDescription,
    "Policies[].PolicyName": NAMES.iamPolicyName,
  },
  "AWS::Events::Rule": {
    Name: NAMES.eventRuleName,
    Description: NAMES.eventRuleDescription,
    "Targets[].Id": NAMES.eventTargetId,
  },
  "AWS::CloudWatch::Alarm": { AlarmName: NAMES.alarmName, AlarmDescription: NAMES.alarmDescription },
};

/** The suffix AWS Config adds to an organization rule's or pack's name in each account (8 characters). */
const CONFIG_SUFFIX = "a1b2c3d4";

interface Named {
  readonly where: string;
  readonly value: string;
  readonly rule: NameRule;
}

/** The values at `path` (`Policies[].PolicyName`) of `properties`. */
function at(properties: Record<string, unknown>, path: string): unknown[] {
  const [head = "", ...rest] = path.split(".");
  const list = head.endsWith("[]");
  const value = properties[list ? head.slice(0, -2) : head];
  const items = list ? ((value ?? []) as unknown[]) : [value];
  return rest.length === 0
    ? items
    : items.flatMap((item) => at(item as Record<string, unknown>, rest.join(".")));
}

/** Every name and text of `planned` that AWS receives, with its rule. */
function namesOf(planned: Plan): Named[] {
  const found: Named[] = [];
  for (const resource of planned.resources) {
    const rules = RESOURCE_NAMES[resource.type];
    if (rules === undefined) throw new Error(`${resource.type}: list its names in RESOURCE_NAMES`);
    for (const [attribute, rule] of Object.entries(rules)) {
      const value = resource.values[attribute];
      if (value !== null && value !== undefined)
        found.push({ where: `${resource.address}.${attribute}`, value: String(value), rule });
    }
    // The pack's rule, as AWS Config names it in each account: <ConfigRuleName>-conformance-pack-<id>.
    if (resource.type.endsWith("conformance_pack")) {
      const template = parseCloudFormation(String(resource.values.template_body)) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      for (const [logicalId, rule] of Object.entries(template.Resources))
        if (rule.Type === "AWS::Config::ConfigRule")
          found.push({
            where: `${resource.address} ${logicalId} rule in each account`,
            value: `${String(rule.Properties.ConfigRuleName)}-conformance-pack-${CONFIG_SUFFIX}x`,
            rule: NAMES.configRuleName,
          });
    }
  }
  for (const { name, template } of stackSets(planned)) {
    if (template.Description !== undefined)
      found.push({ where: `${name} template`, value: template.Description, rule: NAMES.templateDescription });
    for (const [logicalId, { Type, Properties }] of Object.entries(template.Resources)) {
      const rules = TEMPLATE_NAMES[Type];
      if (rules === undefined) throw new Error(`${Type}: list its names in TEMPLATE_NAMES`);
      for (const [path, rule] of Object.entries(rules))
        for (const value of at(Properties, path))
          if (value !== undefined)
            found.push({ where: `${name} ${logicalId}.${path}`, value: String(value), rule });
    }
  }
  // The organization rule in each member account: OrgConfigRule-<name>-<suffix>.
  const prefix = planned.outputs.member_config_rule_name_prefix;
  if (typeof prefix === "string")
    found.push({
      where: "the rule in each member account",
      value: `${prefix}${CONFIG_SUFFIX}`,
      rule: NAMES.configRuleName,
    });
  return found;
}

/** The names among `names` AWS refuses, each with why. */
const refused = (names: readonly Named[]): string[] =>
  names.flatMap(({ where, value, rule }) => {
    const problem = ruleProblem(rule, value);
    return problem === undefined
      ? []
      : [`${where} = ${JSON.stringify(value)}: ${rule.what}, ${problem} (${rule.source})`];
  });

/** Strings of `characters`, `minLength` to `maxLength` long. */
const strings = (characters: string, minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...characters), minLength, maxLength });

const LETTERS_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** The characters of the name validations (`[A-Za-z0-9_-]`). */
const NAME_CHARACTERS = `${LETTERS_DIGITS}_-`;

/** Values of `arbitrary` that the validation of `name` in `config` accepts. */
const accepted = (
  config: { module: { variables: Parameters<typeof accepts>[0] } },
  name: string,
  arbitrary: fc.Arbitrary<Value>,
): fc.Arbitrary<Value> =>
  arbitrary.filter((value) => value === null || accepts(config.module.variables, name, value));

/** Whether the validations of `config` accept every value of `vars` (null is every optional variable's default). */
const allAccepted = (
  config: { module: { variables: Parameters<typeof accepts>[0] } },
  vars: Readonly<Record<string, Value>>,
): boolean =>
  Object.entries(vars).every(
    ([name, value]) =>
      value === null ||
      nestedAll(config.module.variables[name] ?? {}, "validation").length === 0 ||
      accepts(config.module.variables, name, value),
  );

/** The commercial Regions, the one with the longest name first (it makes the longest bucket names). */
const REGIONS = regionsOf("aws").sort((a, b) => b.length - a.length);

describe("every name a module derives is one AWS accepts, for every value its validations accept", () => {
  it("the rules cover every resource type the modules create", () => {
    // Assess: namesOf() throws on a type or a template resource it has no rules for.
    for (const [config, vars] of [
      [root, ROOT_SWITCHES],
      [organization, ORGANIZATION_SWITCHES],
    ] as const) {
      const names = namesOf(plan(config, vars));
      expect(names.length).toBeGreaterThan(40);
    }
  });

  it("single account: name, config_bucket_name, conformance_pack_name", () => {
    fc.assert(
      fc.property(
        fc.record({
          name: accepted(root, "name", strings(NAME_CHARACTERS, 1, 49)),
          config_bucket_name: accepted(
            root,
            "config_bucket_name",
            fc.option(strings("abcdefghijklmnopqrstuvwxyz0123456789.-", 3, 64), { nil: null }),
          ),
          conformance_pack_name: accepted(
            root,
            "conformance_pack_name",
            fc.option(strings(`${LETTERS_DIGITS}-`, 1, 257), { nil: null }),
          ),
          region: fc.constantFrom(...REGIONS),
        }),
        ({ region, ...vars }) => {
          // The examples below are not filtered: only what the validations accept counts.
          fc.pre(allAccepted(root, vars));
          const names = namesOf(plan(root, { ...ROOT_SWITCHES, ...vars }, { ...WORLD, region }));
          expect(refused(names)).toEqual([]);
        },
      ),
      {
        numRuns: 60,
        examples: [
          [
            {
              name: "a".repeat(48),
              config_bucket_name: null,
              conformance_pack_name: null,
              region: REGIONS[0] as string,
            },
          ],
          [{ name: "xn__root", config_bucket_name: null, conformance_pack_name: null, region: "eu-west-1" }],
          [
            {
              name: "root_activity",
              config_bucket_name: "xn--config",
              conformance_pack_name: null,
              region: "eu-west-1",
            },
          ],
          [
            {
              name: "r",
              config_bucket_name: "a..b",
              conformance_pack_name: "A".repeat(256),
              region: "eu-west-1",
            },
          ],
          [
            {
              name: "r",
              config_bucket_name: "192.168.10.10",
              conformance_pack_name: null,
              region: "eu-west-1",
            },
          ],
        ],
      },
    );
  });

  it("organization: name, member_role_name, conformance_pack_name", () => {
    fc.assert(
      fc.property(
        fc.record({
          name: accepted(organization, "name", strings(NAME_CHARACTERS, 1, 47)),
          member_role_name: accepted(
            organization,
            "member_role_name",
            strings(`${LETTERS_DIGITS}+=,.@_-`, 1, 65),
          ),
          conformance_pack_name: accepted(
            organization,
            "conformance_pack_name",
            fc.option(strings(`${LETTERS_DIGITS}-`, 1, 129), { nil: null }),
          ),
          lambda_invoke_source_account_ids: fc.constantFrom([], ["210987654321"]),
          region: fc.constantFrom(...REGIONS),
        }),
        ({ region, ...vars }) => {
          fc.pre(allAccepted(organization, vars));
          const names = namesOf(
            plan(organization, { ...ORGANIZATION_SWITCHES, ...vars }, { ...WORLD, region }),
          );
          expect(refused(names)).toEqual([]);
        },
      ),
      {
        numRuns: 60,
        examples: [
          [
            {
              name: "a".repeat(46),
              member_role_name: "m".repeat(64),
              conformance_pack_name: null,
              lambda_invoke_source_account_ids: [],
              region: REGIONS[0] as string,
            },
          ],
          [
            {
              name: "root_activity",
              member_role_name: "root-activity-member",
              conformance_pack_name: null,
              lambda_invoke_source_account_ids: [],
              region: "eu-west-1",
            },
          ],
        ],
      },
    );
  });
});
