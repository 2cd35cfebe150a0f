import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { declarations, dependsOn, loadModule, moduleCallProblems, nested, nestedAll } from "./support/hcl.ts";
import {
  callScope,
  evaluateExpression,
  moduleScope,
  type ScopeOptions,
  type Value,
} from "./support/hcl-expression.ts";
import { sampleValues, validationGaps } from "./support/validation-cases.ts";

const MODULE_DIR = join("terraform", "modules", "organization");
const mod = await loadModule(MODULE_DIR);
const root = await loadModule("terraform");
const events = await loadModule(join("terraform", "modules", "root-activity-events"));
const forwarding = await loadModule(join("terraform", "modules", "root-activity-forwarding"));
const shared = await loadModule(join("terraform", "modules", "notifications"));
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
  root_activity_alert_read_only: false,
  call_as: "SELF",
};
/** The modules the module's calls run. */
const CALLS: ScopeOptions = {
  modules: { root_activity_events: events, notifications: shared, root_activity_forwarding: forwarding },
};
/** The same in the commercial partition, whose console the messages link to. */
const IN_AWS: ScopeOptions = { ...CALLS, data: { "aws_partition.current": { partition: "aws" } } };
/** What an expression of the module is for its variables `vars`. */
const inModule = (expression: unknown, vars: Record<string, Value> = ON): Value =>
  evaluateExpression(expression, moduleScope(mod, vars, CALLS));
/** What an expression of the module the module's call `name` runs (`module`) is for its variables `vars`. */
const inCall = (
  name: string,
  module: Parameters<typeof callScope>[3],
  expression: unknown,
  vars: Record<string, Value> = ON,
  options: ScopeOptions = CALLS,
): Value => evaluateExpression(expression, callScope(mod, vars, name, module, options));
/** What the patterns-and-messages module gives for the alerts of `vars` (the forwarding names of name "ra"). */
const eventsOutput = (output: string, vars: Record<string, Value> = ON): Value =>
  evaluateExpression(
    events.outputs[output]?.value,
    moduleScope(events, {
      read_only: vars.root_activity_alert_read_only ?? null,
      console_domain: "console.aws.amazon.com",
      forwarding_rule_name: "ra-root-forward",
      forwarding_alarm_name: "ra-root-forward-failures",
      message_suffix: "",
    }),
  );
/** The alerts are off: asked for without notifications, or not asked for. */
const ALERTS_OFF: Record<string, Value>[] = [
  { ...ON, create_notifications: false },
  { ...ON, create_root_activity_alerts: false },
];
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
      const vars = { create_root_activity_alerts: alerts, create_notifications: notify };
      expect(inModule(precondition?.condition, vars), JSON.stringify(vars)).toBe(ok);
    }
    expect(String(precondition?.error_message)).toMatch(/needs create_notifications = true/);
    // The alerts are on only with notifications as well.
    for (const [alerts, notify] of [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      const vars = { create_root_activity_alerts: alerts, create_notifications: notify };
      expect(inModule("${local.create_root_activity_alerts}", vars), JSON.stringify(vars)).toBe(
        alerts && notify,
      );
    }
  });
});

describe("alert rules on the central bus", () => {
  it("the central bus's rules get every alert, the forwarding alarm's with alarm_on_failures", () => {
    const eventsCall = call("root_activity_events");
    expect(eventsCall.source).toBe("../root-activity-events");
    expect(moduleCallProblems(eventsCall, events)).toEqual([]);
    // The notifications module's rules: the alerts as the patterns-and-messages module renders them for
    // root_activity_alert_read_only and the forwarding names, the forwarding alarm's only with alarms.
    const alertRules = (vars: Record<string, Value>): Value =>
      inCall("notifications", shared, "${var.alert_rules}", vars, IN_AWS);
    for (const readOnly of [true, false]) {
      for (const alarms of [true, false]) {
        const vars = { ...ON, root_activity_alert_read_only: readOnly, alarm_on_failures: alarms };
        const { "fwd-alarm": alarm, ...rootEvents } = eventsOutput("alerts", vars) as Record<string, Value>;
        expect(alarm).toBeDefined();
        expect(alertRules(vars), JSON.stringify({ readOnly, alarms })).toEqual(
          alarms ? { ...rootEvents, "fwd-alarm": alarm } : rootEvents,
        );
      }
    }
    for (const vars of ALERTS_OFF) expect(alertRules(vars), JSON.stringify(vars)).toEqual({});
    // On the central bus.
    expect(inCall("notifications", shared, "${var.event_bus_name}")).toBe(
      "<aws_cloudwatch_event_bus.compliance[0].name>",
    );
    // The console links of the messages: this partition's console.
    for (const [partition, domain] of [
      ["aws", "console.aws.amazon.com"],
      ["aws-cn", "console.amazonaws.cn"],
      ["aws-us-gov", "console.amazonaws-us-gov.com"],
      ["aws-iso", "console.aws.amazon.com"],
    ] as const) {
      const scope = callScope(mod, ON, "root_activity_events", events, {
        data: { "aws_partition.current": { partition } },
      });
      expect(evaluateExpression("${var.console_domain}", scope), partition).toBe(domain);
    }
    // No re-evaluation note: the organization module cannot re-evaluate (README).
    expect(eventsCall).not.toHaveProperty("message_suffix");
  });

  it("the central bus still accepts only this organization, and only events:PutEvents", () => {
    // The bus policy is unchanged by the alerts (checked in terraform-organization-notifications.test.ts).
    const bus = resource("aws_cloudwatch_event_bus_policy", "compliance");
    expect(inModule(bus.policy)).toBe("<data.aws_iam_policy_document.compliance_event_bus[0].json>");
  });

  it("the names are the forwarding module's, so this account and the member accounts match", () => {
    // The member accounts' names (the templates') and this account's (its forwarding module's, as called here).
    for (const [here, there, name] of [
      ["root_forward_rule", "forward_rule_name", "ra-root-forward"],
      ["root_alarm_forward_rule", "alarm_rule_name", "ra-root-alarm-fwd"],
      ["root_forwarding_alarm", "alarm_name", "ra-root-forward-failures"],
      ["root_forwarding_role", "role_name", "ra-root-forwarder"],
    ] as const) {
      expect(inModule(`\${local.${here}}`), here).toBe(name);
      expect(inCall("root_activity_forwarding", forwarding, `\${local.${there}}`), there).toBe(name);
    }
    // Within their services' limits for the longest name the module accepts.
    const longest = { ...ON, name: "a".repeat(46) };
    for (const [local, limit] of [
      ["root_forwarding_role", 64],
      ["root_forward_rule", 64],
      ["root_alarm_forward_rule", 64],
      ["root_alerts_stack_set_name", 128],
    ] as const) {
      expect(String(inModule(`\${local.${local}}`, longest)).length, local).toBeLessThanOrEqual(limit);
    }
  });
});

describe("member accounts: the forwarding role (member role's StackSet)", () => {
  const role = roleResources.RootActivityForwardingRole;

  it("is added to the member role's template only with the alerts", () => {
    expect(Object.keys(roleResources)).toEqual(["RootActivityForwardingRole"]);
    // In the member role's StackSet's template exactly when the alerts are on.
    const template = (vars: Record<string, Value>): Record<string, Record<string, Value>> => {
      const stackSet = resource("aws_cloudformation_stack_set", "member_role");
      return JSON.parse(
        String(
          inModule(stackSet.template_body, {
            ...vars,
            member_role_name: "member",
            notify_on: ["NON_COMPLIANT"],
          }),
        ),
      );
    };
    expect(template(ON).Resources?.RootActivityForwardingRole).toEqual(inModule(role));
    for (const vars of ALERTS_OFF)
      expect(Object.keys(template(vars).Resources ?? {}), JSON.stringify(vars)).not.toContain(
        "RootActivityForwardingRole",
      );
    expect(role?.Type).toBe("AWS::IAM::Role");
    expect(inModule(role?.Properties.RoleName)).toBe("ra-root-forwarder");
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
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
  const rule = ruleResources.RootActivityForwardingRule;

  it("a service-managed StackSet with automatic deployment, only with the alerts, no IAM capability", () => {
    // Created exactly when the alerts are on.
    const stackSets = (vars: Record<string, Value>): Value =>
      inModule("${aws_cloudformation_stack_set.root_alerts[*].name}", vars);
    expect(stackSets(ON)).toEqual(["<aws_cloudformation_stack_set.root_alerts[0].name>"]);
    for (const vars of ALERTS_OFF) expect(stackSets(vars), JSON.stringify(vars)).toEqual([]);
    expect(stackSet.permission_model).toBe("SERVICE_MANAGED");
    expect(nested(stackSet, "auto_deployment")).toEqual({
      enabled: true,
      retain_stacks_on_account_removal: false,
    });
    expect(stackSet).not.toHaveProperty("capabilities");
    // The template: the forwarding rule, with alarms the alarm and the rule forwarding its state changes.
    for (const alarms of [true, false]) {
      const vars = { ...ON, alarm_on_failures: alarms };
      const body = JSON.parse(String(inModule(stackSet.template_body, vars)));
      expect(body, `alarms ${alarms}`).toEqual({
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `root-activity alerts: forwards the root activity events of this account and region to ${centralBus()}`,
        Resources: {
          RootActivityForwardingRule: inModule(rule, vars),
          ...(alarms ? (inModule(mod.locals.root_forwarding_alarm_resources, vars) as object) : {}),
        },
      });
    }
    expect(inModule(stackSet.call_as, { ...ON, call_as: "DELEGATED_ADMIN" })).toBe("DELEGATED_ADMIN");
    expect(inModule(stackSet.name)).toBe("ra-root-alerts");
  });

  it("the rule: root events -> central bus through the forwarding role, on all management events", () => {
    expect(rule?.Type).toBe("AWS::Events::Rule");
    // Every root event, as the patterns-and-messages module gives it.
    const { Targets, ...properties } = inModule(rule?.Properties) as Record<string, Value>;
    expect(properties).toEqual({
      Name: "ra-root-forward",
      Description: `Forwards the root activity events of this account and region to ${centralBus()}`,
      EventPattern: eventsOutput("root_event_pattern_object"),
      State: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
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
    expect(Targets).toEqual(targets);
    expect(inModule(alarmResources.RootActivityAlarmForwardingRule?.Properties.Targets)).toEqual(targets);
    // The alarm watches that rule.
    expect(inModule(alarmResources.RootActivityForwardingAlarm?.Properties.Dimensions)).toEqual([
      { Name: "RuleName", Value: inModule(rule?.Properties.Name) },
    ]);
  });

  it("with alarm_on_failures: the alarm on FailedInvocations of the rule, and a rule forwarding its state changes", () => {
    // (In the template with alarm_on_failures only: the StackSet's test above.)
    const alarm = alarmResources.RootActivityForwardingAlarm;
    expect(alarm?.Type).toBe("AWS::CloudWatch::Alarm");
    expect(inModule(alarm?.Properties)).toMatchObject({
      AlarmName: "ra-root-forward-failures",
      Namespace: "AWS/Events",
      MetricName: "FailedInvocations",
      Dimensions: [{ Name: "RuleName", Value: "ra-root-forward" }],
      Statistic: "Sum",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
    });
    // No action: an alarm notifies only topics of its own region and account.
    expect(alarm?.Properties).not.toHaveProperty("AlarmActions");
    const alarmRule = alarmResources.RootActivityAlarmForwardingRule;
    // The forwarding alarm's state changes, as the patterns-and-messages module gives them (its target: above).
    expect(inModule(alarmRule?.Properties)).toMatchObject({
      Name: "ra-root-alarm-fwd",
      EventPattern: eventsOutput("forwarding_alarm_event_pattern_object"),
      State: "ENABLED",
    });
  });
});

describe("this account (call_as = SELF): every alert region -> central bus", () => {
  const forwardCall = call("root_activity_forwarding");

  it("uses the forwarding module with every alert region, this one included", () => {
    expect(forwardCall.source).toBe("../root-activity-forwarding");
    expect(moduleCallProblems(forwardCall, forwarding)).toEqual([]);
    // Called exactly with the alerts in the management account (call_as = SELF).
    const calls = (vars: Record<string, Value>): number =>
      (moduleScope(mod, vars, CALLS).module as Record<string, Value[]>).root_activity_forwarding?.length ??
      -1;
    expect(calls(ON)).toBe(1);
    expect(calls({ ...ON, call_as: "DELEGATED_ADMIN" })).toBe(0);
    for (const vars of ALERTS_OFF) expect(calls(vars), JSON.stringify(vars)).toBe(0);
    const given = (name: string): Value => inCall("root_activity_forwarding", forwarding, `\${var.${name}}`);
    // This region and the alert regions, each once, to the central bus.
    expect(given("regions")).toEqual([REGION, "ap-south-1", "us-east-1"].sort());
    expect(given("destination_bus_arn")).toBe(centralBus());
    expect(given("name")).toBe("ra");
    expect(
      inCall("root_activity_forwarding", forwarding, "${var.alarm_on_failures}", {
        ...ON,
        alarm_on_failures: false,
      }),
    ).toBe(false);
    // Every root event, and the forwarding alarm's state changes: the patterns the member accounts' rules use.
    expect(JSON.parse(String(given("event_pattern")))).toEqual(eventsOutput("root_event_pattern_object"));
    expect(JSON.parse(String(given("alarm_event_pattern")))).toEqual(
      eventsOutput("forwarding_alarm_event_pattern_object"),
    );
    expect(dependsOn(forwardCall)).toEqual(["aws_cloudwatch_event_bus_policy.compliance"]);
  });
});

describe("outputs, example and documentation", () => {
  it("outputs give the alert rules, the regions, the StackSet and its template", () => {
    const value = (name: string, vars: Record<string, Value> = ON): Value =>
      evaluateExpression(mod.outputs[name]?.value, moduleScope(mod, vars, IN_AWS));
    // The central bus's alert rules, by key: the notifications module's.
    const keys = ["api", "assumed", "failed", "fwd-alarm", "signevent", "signin"];
    expect(value("root_activity_alert_rule_arns")).toEqual(
      Object.fromEntries(
        keys.map((key) => [key, `<aws_cloudwatch_event_rule.alert[${JSON.stringify(key)}].arn>`]),
      ),
    );
    expect(value("root_alerts_stack_set_name")).toBe("<aws_cloudformation_stack_set.root_alerts[0].name>");
    expect(value("root_activity_alert_regions")).toEqual([REGION, "ap-south-1", "us-east-1"].sort());
    for (const vars of ALERTS_OFF) {
      for (const name of [
        "root_activity_alert_rule_arns",
        "root_alerts_stack_set_name",
        "root_activity_alert_regions",
      ])
        expect(value(name, vars), `${name} ${JSON.stringify(vars)}`).toBeNull();
    }
    // The template the StackSet deploys, for the accounts it does not reach.
    for (const alarms of [true, false]) {
      const vars = { ...ON, alarm_on_failures: alarms };
      const stackSet = resource("aws_cloudformation_stack_set", "root_alerts");
      expect(value("root_alerts_template_body", vars)).toBe(
        evaluateExpression(stackSet.template_body, moduleScope(mod, vars, IN_AWS)),
      );
    }
  });

  it("the example turns notifications and alerts on with the e-mail addresses", () => {
    const [, moduleCall] = Object.entries(example.modules)[0] ?? [];
    for (const emails of [["security@example.com"], []]) {
      const vars = { notification_emails: emails, root_activity_alert_regions: ["us-east-1"] };
      const given = (argument: string): Value =>
        evaluateExpression(moduleCall?.[argument], moduleScope(example, vars));
      expect(given("create_notifications"), `${emails}`).toBe(emails.length > 0);
      expect(given("create_root_activity_alerts"), `${emails}`).toBe(emails.length > 0);
      expect(given("root_activity_alert_regions")).toEqual(["us-east-1"]);
    }
  });
});
