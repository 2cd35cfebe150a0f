// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * Root activity alerts of the organization module (issue 12): terraform/modules/organization/
 * alerts.tf, the forwarding role it adds to the member role's StackSet, the regional StackSet with
 * one instance per alert region, this account's forwarding (../root-activity-forwarding) and the
 * alert rules on the central bus (../notifications). The patterns and messages are the ones the
 * single-account module uses (test/terraform-root-activity-alerts.test.ts checks them).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  declarations,
  dependsOn,
  evaluateBoolCondition,
  instanceCount,
  loadModule,
  moduleCallProblems,
  nested,
  nestedAll,
  unwrap,
} from "./support/hcl.ts";
import { evaluateExpression, moduleScope, type Value } from "./support/hcl-expression.ts";
import { sampleValues, validationGaps } from "./support/validation-cases.ts";

const MODULE_DIR = join("terraform", "modules", "organization");
const mod = await loadModule(MODULE_DIR);
const root = await loadModule("terraform");
const events = await loadModule(join("terraform", "modules", "root-activity-events"));
const forwarding = await loadModule(join("terraform", "modules", "root-activity-forwarding"));
const example = await loadModule(join("terraform", "examples", "organization"));
const { resource, variable, call } = declarations(mod);

const PARTITION = "<data.aws_partition.current.partition>";
const REGION = "<data.aws_region.current.region>";
const ACCOUNT_ID = "<data.aws_caller_identity.current.account_id>";
/** The module's variables in the tests that evaluate its expressions: the alerts on, in two more regions. */
const ON = {
  name: "ra",
  create_root_activity_alerts: true,
  create_notifications: true,
  root_activity_alert_regions: ["us-east-1", "ap-south-1"],
  alarm_on_failures: true,
};
/** What an expression of the module is for its variables `vars`. */
const inModule = (expression: unknown, vars: Record<string, Value> = ON): Value =>
  evaluateExpression(expression, moduleScope(mod, vars));
/** The central bus's ARN: in this account and region, by the bus's name. */
const centralBus = (): string =>
  `arn:${PARTITION}:events:${REGION}:${ACCOUNT_ID}:event-bus/${String(
    inModule(declarations(mod).resource("aws_cloudwatch_event_bus", "compliance").name),
  )}`;

type CfnResource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string };

const roleResources = mod.locals.root_forwarding_role_resources as Record<string, CfnResource>;
const ruleResources = mod.locals.root_forwarding_rule_resources as Record<string, CfnResource>;
const alarmResources = mod.locals.root_forwarding_alarm_resources as Record<string, CfnResource>;

describe("variables", () => {
  it("are the single-account module's (types, defaults, validations), without the re-evaluation", () => {
    for (const name of [
      "create_root_activity_alerts",
      "root_activity_alert_regions",
      "root_activity_alert_read_only",
    ]) {
      const here = variable(name);
      const there = declarations(root).variable(name);
      expect(here.type, name).toBe(there.type);
      expect(here.default, name).toEqual(there.default);
      // Validated in both or in neither; where validated, both accept the same values.
      const validated = nestedAll(here, "validation").length > 0;
      expect(nestedAll(there, "validation").length > 0, name).toBe(validated);
      if (validated)
        expect(validationGaps(mod, name, root, name, sampleValues(name), true), name).toEqual([]);
      expect(String(here.description).length, name).toBeGreaterThan(80);
    }
    expect(mod.variables).not.toHaveProperty("root_activity_alert_reevaluate");
    expect(String(variable("create_root_activity_alerts").description)).toMatch(
      /trail that logs management events/,
    );
  });

  it("create_root_activity_alerts without notifications is a clear error (precondition of the organization rule)", () => {
    const [precondition, ...others] = nestedAll(
      nested(resource("aws_config_organization_custom_rule", "this"), "lifecycle"),
      "precondition",
    );
    expect(others).toEqual([]);
    for (const [alerts, notify, ok] of [
      [true, false, false],
      [true, true, true],
      [false, false, true],
    ] as const) {
      expect(
        evaluateBoolCondition(String(precondition?.condition), {
          "var.create_root_activity_alerts": alerts,
          "var.create_notifications": notify,
        }),
      ).toBe(ok);
    }
    expect(String(precondition?.error_message)).toMatch(/needs create_notifications = true/);
    expect(unwrap(mod.locals.create_root_activity_alerts)).toBe(
      "var.create_root_activity_alerts && var.create_notifications",
    );
  });
});

describe("alert rules on the central bus", () => {
  const notificationsCall = call("notifications");

  it("the central bus's rules get every alert, the forwarding alarm's with alarm_on_failures", () => {
    expect(unwrap(notificationsCall.alert_rules)).toBe("local.root_activity_alert_rules");
    expect(unwrap(notificationsCall.event_bus_name)).toBe("aws_cloudwatch_event_bus.compliance[0].name");
    expect(unwrap(mod.locals.root_activity_alert_rules).replace(/\s+/g, " ")).toBe(
      '{ for key, alert in module.root_activity_events.alerts : key => alert if local.create_root_activity_alerts && (key != "fwd-alarm" || var.alarm_on_failures) }',
    );
    const eventsCall = call("root_activity_events");
    expect(eventsCall.source).toBe("../root-activity-events");
    expect(moduleCallProblems(eventsCall, events)).toEqual([]);
    expect(unwrap(eventsCall.read_only)).toBe("var.root_activity_alert_read_only");
    expect(unwrap(eventsCall.forwarding_rule_name)).toBe("local.root_forward_rule");
    expect(unwrap(eventsCall.forwarding_alarm_name)).toBe("local.root_forwarding_alarm");
    // No re-evaluation note: the organization module cannot re-evaluate (README).
    expect(eventsCall).not.toHaveProperty("message_suffix");
  });

  it("the central bus still accepts only this organization, and only events:PutEvents", () => {
    // The bus policy is unchanged by the alerts (checked in terraform-organization-notifications.test.ts).
    const bus = resource("aws_cloudwatch_event_bus_policy", "compliance");
    expect(unwrap(bus.policy)).toBe("data.aws_iam_policy_document.compliance_event_bus[0].json");
  });

  it("the names are the forwarding module's, so this account and the member accounts match", () => {
    expect(mod.locals.root_forward_rule).toBe("${var.name}-root-forward");
    expect(mod.locals.root_alarm_forward_rule).toBe("${var.name}-root-alarm-fwd");
    expect(mod.locals.root_forwarding_alarm).toBe("${var.name}-root-forward-failures");
    expect(mod.locals.root_forwarding_role).toBe("${var.name}-root-forwarder");
    expect(forwarding.locals.forward_rule_name).toBe("${var.name}-root-forward");
    expect(forwarding.locals.alarm_rule_name).toBe("${var.name}-root-alarm-fwd");
    expect(forwarding.locals.alarm_name).toBe("${var.name}-root-forward-failures");
    expect(forwarding.locals.role_name).toBe("${var.name}-root-forwarder");
    const longest = "a".repeat(46);
    expect(`${longest}-root-forwarder`.length).toBeLessThanOrEqual(64);
    expect(
      String(mod.locals.root_alerts_stack_set_name).replace("${var.name}", longest).length,
    ).toBeLessThanOrEqual(128);
  });
});

describe("member accounts: the forwarding role (member role's StackSet)", () => {
  const role = roleResources.RootActivityForwardingRole;

  it("is added to the member role's template only with the alerts", () => {
    expect(Object.keys(roleResources)).toEqual(["RootActivityForwardingRole"]);
    expect(unwrap(mod.locals.stack_set_template)).toContain(
      "{ for logical_id, resource in local.root_forwarding_role_resources : logical_id => resource if local.create_root_activity_alerts }",
    );
    expect(role?.Type).toBe("AWS::IAM::Role");
    expect(inModule(role?.Properties.RoleName)).toBe("ra-root-forwarder");
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("only events.amazonaws.com, for that account and exactly its forwarding rules in the alert regions, may assume it", () => {
    const document = role?.Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] };
    for (const alarms of [false, true]) {
      const vars = { ...ON, alarm_on_failures: alarms };
      /** The ARN, in the member account, of the template's rule `logicalId` in `region`, by its name. */
      const ruleArn = (
        resources: Record<string, CfnResource>,
        logicalId: string,
        region: string,
      ): unknown => ({
        "Fn::Sub": `arn:\${AWS::Partition}:events:${region}:\${AWS::AccountId}:rule/${String(
          inModule(resources[logicalId]?.Properties.Name, vars),
        )}`,
      });
      // This region and the alert regions, each once: its forwarding rule, and with alarms its alarm's rule.
      const rules = [REGION, "ap-south-1", "us-east-1"].flatMap((region) => [
        ruleArn(ruleResources, "RootActivityForwardingRule", region),
        ...(alarms ? [ruleArn(alarmResources, "RootActivityAlarmForwardingRule", region)] : []),
      ]);
      expect(inModule(document.Statement, vars), `alarms ${alarms}`).toEqual([
        {
          Sid: "EventBridgeRulesAssumeRole",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
            ArnEquals: { "aws:SourceArn": rules },
          },
        },
      ]);
    }
  });

  it("may only events:PutEvents on the central bus", () => {
    const policies = role?.Properties.Policies as { PolicyDocument: unknown }[];
    expect(policies).toHaveLength(1);
    expect(inModule(policies[0]?.PolicyDocument)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "PutEventsToCentralBus", Effect: "Allow", Action: "events:PutEvents", Resource: centralBus() },
      ],
    });
  });
});

describe("member accounts: the forwarding rules (regional StackSet, one instance per alert region)", () => {
  const stackSet = resource("aws_cloudformation_stack_set", "root_alerts");
  const instance = resource("aws_cloudformation_stack_set_instance", "root_alerts");
  const rule = ruleResources.RootActivityForwardingRule;

  it("a service-managed StackSet with automatic deployment, only with the alerts, no IAM capability", () => {
    // Created exactly when local.create_root_activity_alerts is true.
    expect(instanceCount(stackSet, { "local.create_root_activity_alerts": true })).toBe(1);
    expect(instanceCount(stackSet, { "local.create_root_activity_alerts": false })).toBe(0);
    expect(stackSet.permission_model).toBe("SERVICE_MANAGED");
    expect(nested(stackSet, "auto_deployment")).toEqual({
      enabled: true,
      retain_stacks_on_account_removal: false,
    });
    expect(stackSet).not.toHaveProperty("capabilities");
    expect(unwrap(stackSet.template_body)).toBe("jsonencode(local.root_alerts_template)");
    expect(unwrap(stackSet.call_as)).toBe("var.call_as");
    expect(stackSet.name).toBe("${local.root_alerts_stack_set_name}");
  });

  it("one instance per alert region, in the OUs of the member role, after the member role (which holds the forwarding role)", () => {
    expect(unwrap(instance.for_each)).toBe(
      "local.create_root_activity_alerts ? local.root_activity_alert_regions : toset([])",
    );
    expect(unwrap(instance.stack_set_instance_region)).toBe("each.key");
    expect(nested(instance, "deployment_targets").organizational_unit_ids).toBe("${local.target_ou_ids}");
    expect(unwrap(instance.call_as)).toBe("var.call_as");
    expect(dependsOn(instance)).toEqual(["aws_cloudformation_stack_set_instance.member_role"]);
  });

  it("the rule: root events -> central bus through the forwarding role, on all management events", () => {
    expect(rule?.Type).toBe("AWS::Events::Rule");
    expect(rule?.Properties).toEqual({
      Name: "${local.root_forward_rule}",
      Description:
        "Forwards the root activity events of this account and region to ${local.compliance_event_bus_arn}",
      EventPattern: "${module.root_activity_events.root_event_pattern_object}",
      State: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
      Targets: [
        {
          Id: "central-root-activity-bus",
          Arn: "${local.compliance_event_bus_arn}",
          RoleArn: "${local.root_forwarding_role_arn}",
        },
      ],
    });
    // To the central bus, as the member account's forwarding role (by its name).
    const forwardingRole = inModule(roleResources.RootActivityForwardingRole?.Properties.RoleName);
    const targets = [
      {
        Id: "central-root-activity-bus",
        Arn: centralBus(),
        RoleArn: {
          "Fn::Sub": `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${String(forwardingRole)}`,
        },
      },
    ];
    expect(inModule(rule?.Properties.Targets)).toEqual(targets);
    expect(inModule(alarmResources.RootActivityAlarmForwardingRule?.Properties.Targets)).toEqual(targets);
    // The alarm watches that rule.
    expect(inModule(alarmResources.RootActivityForwardingAlarm?.Properties.Dimensions)).toEqual([
      { Name: "RuleName", Value: inModule(rule?.Properties.Name) },
    ]);
  });

  it("with alarm_on_failures: the alarm on FailedInvocations of the rule, and a rule forwarding its state changes", () => {
    expect(unwrap(mod.locals.root_alerts_template)).toBeDefined();
    const template = mod.locals.root_alerts_template as { Resources: string };
    expect(unwrap(template.Resources).replace(/\s+/g, " ")).toBe(
      "merge( local.root_forwarding_rule_resources, { for logical_id, resource in local.root_forwarding_alarm_resources : logical_id => resource if var.alarm_on_failures }, )",
    );
    const alarm = alarmResources.RootActivityForwardingAlarm;
    expect(alarm?.Type).toBe("AWS::CloudWatch::Alarm");
    expect(alarm?.Properties).toMatchObject({
      AlarmName: "${local.root_forwarding_alarm}",
      Namespace: "AWS/Events",
      MetricName: "FailedInvocations",
      Dimensions: [{ Name: "RuleName", Value: "${local.root_forward_rule}" }],
      Statistic: "Sum",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
    });
    // No action: an alarm notifies only topics of its own region and account.
    expect(alarm?.Properties).not.toHaveProperty("AlarmActions");
    const alarmRule = alarmResources.RootActivityAlarmForwardingRule;
    expect(alarmRule?.Properties).toMatchObject({
      Name: "${local.root_alarm_forward_rule}",
      EventPattern: "${module.root_activity_events.forwarding_alarm_event_pattern_object}",
      State: "ENABLED",
      Targets: [
        {
          Id: "central-root-activity-bus",
          Arn: "${local.compliance_event_bus_arn}",
          RoleArn: "${local.root_forwarding_role_arn}",
        },
      ],
    });
  });
});

describe("this account (call_as = SELF): every alert region -> central bus", () => {
  const forwardCall = call("root_activity_forwarding");

  it("uses the forwarding module with every alert region, this one included", () => {
    expect(forwardCall.source).toBe("../root-activity-forwarding");
    expect(moduleCallProblems(forwardCall, forwarding)).toEqual([]);
    // Created exactly when local.forward_root_activity_here is true.
    expect(instanceCount(forwardCall, { "local.forward_root_activity_here": true })).toBe(1);
    expect(instanceCount(forwardCall, { "local.forward_root_activity_here": false })).toBe(0);
    expect(unwrap(mod.locals.forward_root_activity_here)).toBe(
      'local.create_root_activity_alerts && var.call_as == "SELF"',
    );
    expect(unwrap(forwardCall.regions)).toBe("local.root_activity_alert_regions");
    expect(unwrap(forwardCall.destination_bus_arn)).toBe("local.compliance_event_bus_arn");
    expect(unwrap(forwardCall.event_pattern)).toBe("module.root_activity_events.root_event_pattern");
    expect(unwrap(forwardCall.alarm_event_pattern)).toBe(
      "module.root_activity_events.forwarding_alarm_event_pattern",
    );
    expect(dependsOn(forwardCall)).toEqual(["aws_cloudwatch_event_bus_policy.compliance"]);
    for (const [callSelf, alerts, expected] of [
      ["SELF", true, true],
      ["DELEGATED_ADMIN", true, false],
      ["SELF", false, false],
    ] as const) {
      expect(
        evaluateBoolCondition(String(mod.locals.forward_root_activity_here), {
          "local.create_root_activity_alerts": alerts,
          "var.call_as": callSelf,
        }),
      ).toBe(expected);
    }
  });
});

describe("outputs, example and documentation", () => {
  it("outputs give the alert rules, the regions, the StackSet and its template", () => {
    const value = (name: string): string => unwrap(mod.outputs[name]?.value);
    expect(value("root_activity_alert_rule_arns")).toBe(
      "local.create_root_activity_alerts ? one(module.notifications[*].alert_rule_arns) : null",
    );
    expect(value("root_alerts_stack_set_name")).toBe("one(aws_cloudformation_stack_set.root_alerts[*].name)");
    expect(value("root_alerts_template_body")).toBe("jsonencode(local.root_alerts_template)");
    expect(value("root_activity_alert_regions")).toBe(
      "local.create_root_activity_alerts ? sort(tolist(local.root_activity_alert_regions)) : null",
    );
  });

  it("the example turns notifications and alerts on with the e-mail addresses", () => {
    const [, moduleCall] = Object.entries(example.modules)[0] ?? [];
    expect(unwrap(moduleCall?.create_notifications)).toBe("length(var.notification_emails) > 0");
    expect(unwrap(moduleCall?.create_root_activity_alerts)).toBe("length(var.notification_emails) > 0");
    expect(unwrap(moduleCall?.root_activity_alert_regions)).toBe("var.root_activity_alert_regions");
  });

  it("the module README explains the forwarding, the delegated administrator case and why there is no re-evaluation", async () => {
    const readme = await readFile(join(MODULE_DIR, "README.md"), "utf8");
    for (const text of [
      "## Root activity alerts (`create_root_activity_alerts = true`)",
      "`<name>-root-forwarder`",
      "`<name>-root-alerts`",
      "one stack instance\n  per alert region",
      "root_alerts_template_body",
      "aws:PrincipalOrgID",
      "No re-evaluation",
      "Centralized root session (sts:AssumeRoot) in account 222222222222",
    ]) {
      expect(readme, text).toContain(text);
    }
  });
});
