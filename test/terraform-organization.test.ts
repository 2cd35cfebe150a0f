/**
 * What the organization module deploys besides the function and the rule (terraform-function.test.ts), planned
 * (test/support/plan.ts): the member role, in every account through a service-managed StackSet and in the
 * management account directly, and the role ARN the function builds (rule/aws/assume-role.ts) from the rule
 * parameter is the one that role has and may be assumed; what each StackSet template holds for each switch and the
 * capabilities CloudFormation needs for it; the aggregator; the outputs a delegated administrator deploys by hand.
 */
import { describe, expect, it } from "vitest";
import { memberRoleArn } from "../rule/aws/sts.ts";
import { parseRuleParameters } from "../rule/params.ts";
import type { Value } from "./support/hcl-expression.ts";
import { type Instance, loadConfiguration, type Plan, plan, WORLD } from "./support/plan.ts";
import type { PolicyDocument } from "./support/policy-document.ts";
import { decide } from "./support/simulate.ts";
import { resolve, stackSets } from "./support/stack-set-templates.ts";

const organization = await loadConfiguration("terraform/modules/organization");
const { accountId: ACCOUNT, region: REGION, partition: PARTITION } = WORLD;
const MEMBER = "210987654321";
const DELEGATED = {
  call_as: "DELEGATED_ADMIN",
  create_member_role_in_this_account: false,
  organizational_unit_ids: ["ou-ab12-cdef5678"],
};

function one(planned: Plan, type: string, name?: string): Instance {
  const found = planned.resources.filter(
    (resource) => resource.type === type && (name === undefined || resource.name === name),
  );
  if (found.length !== 1)
    throw new Error(`expected one ${type}${name === undefined ? "" : `.${name}`}, found ${found.length}`);
  return found[0] as Instance;
}
const stackSet = (planned: Plan, suffix: string) => {
  const found = stackSets(planned).find(({ name }) => name.endsWith(suffix));
  if (found === undefined) throw new Error(`no StackSet *${suffix}`);
  return found;
};

describe("the member role the function assumes in every account", () => {
  it("is the role at the ARN the function builds from the rule parameter, and the function may assume it there", async () => {
    const planned = plan(organization, { member_role_name: "audit-reader" });
    const rule = one(planned, "aws_config_organization_custom_rule");
    const { executionRoleName } = parseRuleParameters(String(rule.values.input_parameters));
    const arn = memberRoleArn(PARTITION, MEMBER, String(executionRoleName));
    const template = stackSet(planned, "-member-role").template;
    const properties = resolve(template.Resources.MemberRole?.Properties ?? null, template, {
      partition: PARTITION,
      accountId: MEMBER,
      region: REGION,
    }) as Record<string, Value>;
    expect(`arn:${PARTITION}:iam::${MEMBER}:role/${String(properties.RoleName)}`).toBe(arn);
    const execution = one(planned, "aws_iam_role", "this");
    const identity = planned.resources
      .filter(
        (resource) =>
          resource.type === "aws_iam_role_policy" && resource.values.role === execution.values.name,
      )
      .map((policy) => JSON.parse(String(policy.values.policy)) as PolicyDocument);
    const decision = await decide(
      {
        principal: String(execution.values.arn),
        action: "sts:AssumeRole",
        resource: arn,
        context: {
          "aws:ResourceOrgID": WORLD.organization.id,
          "aws:PrincipalArn": String(execution.values.arn),
        },
      },
      { identity, resource: properties.AssumeRolePolicyDocument as unknown as PolicyDocument },
    );
    expect(decision).toBe("Allowed");
    // In the management account (call_as = SELF), the same role by the same name.
    expect(one(planned, "aws_iam_role", "member").values.arn).toBe(
      memberRoleArn(PARTITION, ACCOUNT, "audit-reader"),
    );
  });

  it("is created in this account only where StackSets cannot reach it (call_as = SELF), and a delegated administrator asking for it is refused", () => {
    expect(
      plan(organization, { create_member_role_in_this_account: false }).resources.some(
        (r) => r.name === "member",
      ),
    ).toBe(false);
    expect(plan(organization, DELEGATED).resources.some((r) => r.name === "member")).toBe(false);
    expect(() => plan(organization, { ...DELEGATED, create_member_role_in_this_account: true })).toThrow(
      /set create_member_role_in_this_account = false/,
    );
  });
});

describe("the StackSets", () => {
  it("are service-managed and deploy to accounts as they join the target OUs, removing their stacks from accounts that leave", () => {
    const planned = plan(organization, { create_notifications: true, create_root_activity_alerts: true });
    for (const { name, stackSet: set } of stackSets(planned)) {
      expect(set.values.permission_model, name).toBe("SERVICE_MANAGED");
      expect(set.values.auto_deployment, name).toEqual([
        { enabled: true, retain_stacks_on_account_removal: false },
      ]);
      expect(set.values.call_as, name).toBe("SELF");
    }
    for (const { name, stackSet: set } of stackSets(
      plan(organization, { ...DELEGATED, create_notifications: true, create_root_activity_alerts: true }),
    ))
      expect(set.values.call_as, name).toBe("DELEGATED_ADMIN");
  });

  it("acknowledge CAPABILITY_NAMED_IAM exactly when their template names IAM roles (CreateStackSet refuses them otherwise)", () => {
    const planned = plan(organization, { create_notifications: true, create_root_activity_alerts: true });
    for (const { name, stackSet: set, template } of stackSets(planned)) {
      const namedRoles = Object.values(template.Resources).some(
        (resource) => resource.Type === "AWS::IAM::Role" && "RoleName" in resource.Properties,
      );
      expect((set.values.capabilities ?? []) as string[], name).toEqual(
        namedRoles ? ["CAPABILITY_NAMED_IAM"] : [],
      );
    }
  });

  it("hold the member role, and what forwards the compliance changes and the root events, only with those switches", () => {
    const resources = (vars: Record<string, Value>, suffix: string) =>
      Object.keys(stackSet(plan(organization, vars), suffix).template.Resources).sort();
    expect(resources({}, "-member-role")).toEqual(["MemberRole"]);
    expect(resources({ create_notifications: true }, "-member-role")).toEqual(
      ["ComplianceForwardingRole", "ComplianceForwardingRule", "MemberRole"].sort(),
    );
    expect(
      resources({ create_notifications: true, create_root_activity_alerts: true }, "-member-role"),
    ).toEqual(
      [
        "ComplianceForwardingRole",
        "ComplianceForwardingRule",
        "MemberRole",
        "RootActivityForwardingRole",
      ].sort(),
    );
    expect(stackSets(plan(organization, { create_notifications: true })).map(({ name }) => name)).toEqual([
      "root-activity-member-role",
    ]);
  });

  it("roll out at the pace and failure tolerance the variables give", () => {
    const planned = plan(organization, {
      create_notifications: true,
      create_root_activity_alerts: true,
      stack_set_failure_tolerance_percentage: 0,
      stack_set_max_concurrent_percentage: 100,
    });
    const instances = planned.resources.filter(
      (resource) => resource.type === "aws_cloudformation_stack_instances",
    );
    expect(instances).toHaveLength(2);
    for (const resource of [...instances, ...stackSets(planned).map(({ stackSet: set }) => set)])
      expect(resource.values.operation_preferences, resource.address).toEqual([
        {
          failure_tolerance_percentage: 0,
          max_concurrent_percentage: 100,
          region_concurrency_type: "PARALLEL",
        },
      ]);
  });
});

describe("the aggregator", () => {
  it("collects every account of the organization, in this region or in all, with its own role", () => {
    const here = plan(organization, {});
    const aggregator = one(here, "aws_config_configuration_aggregator");
    expect(aggregator.values.organization_aggregation_source).toEqual([
      { all_regions: false, regions: [REGION], role_arn: one(here, "aws_iam_role", "aggregator").values.arn },
    ]);
    const everywhere = one(
      plan(organization, { aggregator_all_regions: true }),
      "aws_config_configuration_aggregator",
    );
    expect(everywhere.values.organization_aggregation_source).toMatchObject([
      { all_regions: true, regions: null },
    ]);
    expect(one(here, "aws_iam_role_policy_attachment", "aggregator").values.policy_arn).toBe(
      `arn:${PARTITION}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations`,
    );
    expect(aggregator.dependsOn).toContain("aws_iam_role_policy_attachment.aggregator");
    expect(
      plan(organization, { create_aggregator: false }).resources.some((r) => r.name === "aggregator"),
    ).toBe(false);
  });
});

describe("outputs for the operator", () => {
  const planned = plan(organization, { create_notifications: true, create_root_activity_alerts: true });

  it("the templates to deploy by hand where StackSets do not reach are the StackSets' own", () => {
    expect(planned.outputs.member_role_template_body).toBe(
      stackSet(planned, "-member-role").stackSet.values.template_body,
    );
    expect(planned.outputs.root_alerts_template_body).toBe(
      stackSet(planned, "-root-alerts").stackSet.values.template_body,
    );
    // Without the alerts there is no such StackSet, and no template to deploy by hand.
    expect(plan(organization, {}).outputs.root_alerts_template_body).toBeNull();
  });

  it("the commands and the query name this rule, as it is named in each account", () => {
    expect(planned.outputs.member_config_rule_name_prefix).toBe("OrgConfigRule-root-activity-");
    expect(String(planned.outputs.noncompliant_accounts_query)).toContain(
      "configuration.configRuleList.configRuleName LIKE 'OrgConfigRule-root-activity-%'",
    );
    expect(String(planned.outputs.deployment_status_command)).toBe(
      `aws configservice get-organization-config-rule-detailed-status --region ${REGION} --organization-config-rule-name root-activity`,
    );
  });
});
