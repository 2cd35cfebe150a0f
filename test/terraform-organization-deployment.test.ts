/**
 * How the organization module's deployments run in CloudFormation and AWS Config (issue 19, defects 3 and 4): one
 * operation per StackSet (CloudFormation runs one at a time and refuses a second with
 * OperationInProgressException), in the order the resources need, and waits long enough for organizations with
 * hundreds of accounts (the provider's defaults: 5 minutes for aws_config_organization_custom_rule, 10 for
 * aws_config_organization_conformance_pack, 30 for aws_cloudformation_stack_instances; hashicorp/
 * terraform-provider-aws internal/service/configservice/organization_custom_rule.go, organization_conformance_pack.go,
 * internal/service/cloudformation/stack_instances.go).
 */
import { describe, expect, it } from "vitest";
import type { Value } from "./support/hcl-expression.ts";
import { type Instance, loadConfiguration, type Plan, PlanError, plan, WORLD } from "./support/plan.ts";
import { stackSets } from "./support/stack-set-templates.ts";

const organization = await loadConfiguration("terraform/modules/organization");

const ALERT_REGIONS = ["us-east-1", "eu-central-1", "ap-south-1", "sa-east-1"];
const WHOLE: Record<string, Value> = {
  create_notifications: true,
  create_root_activity_alerts: true,
  root_activity_alert_regions: ALERT_REGIONS,
  create_conformance_pack: true,
  organizational_unit_ids: ["ou-ab12-cdef5678", "ou-ab12-90abcdef"],
};

const of = (planned: Plan, type: string): Instance[] =>
  planned.resources.filter((resource) => resource.type === type);

/** The resources that create stack instances of the StackSet `name`. */
const instancesOf = (planned: Plan, name: string): Instance[] =>
  planned.resources.filter(
    (resource) =>
      resource.type.startsWith("aws_cloudformation_stack") && resource.values.stack_set_name === name,
  );

describe("one CloudFormation operation per StackSet", () => {
  const planned = plan(organization, WHOLE);

  it("every StackSet's stack instances are one resource: one CreateStackInstances for all its regions and OUs", () => {
    const sets = stackSets(planned);
    expect(sets.map(({ name }) => name).sort()).toEqual([
      "root-activity-member-role",
      "root-activity-root-alerts",
    ]);
    for (const { name } of sets) {
      const instances = instancesOf(planned, name);
      expect(
        instances.map((instance) => instance.type),
        name,
      ).toEqual(["aws_cloudformation_stack_instances"]);
      expect(instances[0]?.values.deployment_targets, name).toEqual([
        { organizational_unit_ids: ["ou-ab12-cdef5678", "ou-ab12-90abcdef"] },
      ]);
      expect(instances[0]?.values.call_as, name).toBe("SELF");
    }
    // The member role once (IAM is global), the forwarding rules in this region and every alert region.
    expect(instancesOf(planned, "root-activity-member-role")[0]?.values.regions).toEqual([WORLD.region]);
    expect(instancesOf(planned, "root-activity-root-alerts")[0]?.values.regions).toEqual(
      [...new Set([WORLD.region, ...ALERT_REGIONS])].sort(),
    );
  });

  it("the forwarding rules' stacks come after the member role's template and stacks, which hold their role", () => {
    const [alerts] = instancesOf(planned, "root-activity-root-alerts");
    expect(alerts?.dependsOn).toEqual(
      expect.arrayContaining([
        "aws_cloudformation_stack_set.member_role",
        "aws_cloudformation_stack_instances.member_role",
      ]),
    );
  });

  it("the organization rule and pack come after the member roles, so that their first evaluations can assume them", () => {
    for (const type of ["aws_config_organization_custom_rule", "aws_config_organization_conformance_pack"]) {
      const [resource] = of(planned, type);
      expect(resource?.dependsOn, type).toEqual(
        expect.arrayContaining([
          "aws_cloudformation_stack_instances.member_role",
          "aws_iam_role_policy.member",
        ]),
      );
    }
  });

  it("without OUs to deploy to (a delegated administrator cannot read the root), the plan says to set organizational_unit_ids", () => {
    const delegated = { ...WORLD, organization: { ...WORLD.organization, rootId: "" } };
    const vars = { call_as: "DELEGATED_ADMIN", create_member_role_in_this_account: false };
    expect(() => plan(organization, vars, delegated)).toThrow(/Set organizational_unit_ids/);
    expect(() =>
      plan(organization, { ...vars, organizational_unit_ids: ["ou-ab12-cdef5678"] }, delegated),
    ).not.toThrow();
  });
});

describe("deployment timeouts sized for large organizations", () => {
  const timeouts = (planned: Plan): Record<string, Value> =>
    Object.fromEntries(
      planned.resources
        .filter((resource) => "timeouts" in resource.values)
        .map((resource) => [resource.address, resource.values.timeouts ?? null]),
    );

  it("the organization rule, the organization pack and every StackSet's stack instances wait 60 minutes by default", () => {
    const waits = timeouts(plan(organization, WHOLE));
    expect(Object.keys(waits).sort()).toEqual([
      "aws_cloudformation_stack_instances.member_role",
      "aws_cloudformation_stack_instances.root_alerts[0]",
      "aws_config_organization_conformance_pack.this[0]",
      "aws_config_organization_custom_rule.this",
    ]);
    for (const [address, wait] of Object.entries(waits))
      expect(wait, address).toEqual([{ create: "60m", update: "60m", delete: "60m" }]);
  });

  it("deployment_timeouts sets them, each part on its own", () => {
    const waits = timeouts(plan(organization, { ...WHOLE, deployment_timeouts: { create: "3h" } }));
    for (const [address, wait] of Object.entries(waits))
      expect(wait, address).toEqual([{ create: "3h", update: "60m", delete: "60m" }]);
  });

  it("a timeout that is not a duration is refused at plan", () => {
    expect(() => plan(organization, { deployment_timeouts: { create: "1 hour" } })).toThrow(PlanError);
  });
});
