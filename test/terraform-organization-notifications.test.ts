// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * The opt-in notifications of the organization module (terraform/modules/organization/
 * notifications.tf, the notifications module it calls with the single-account module,
 * terraform/modules/notifications, and the forwarding resources of its StackSet template): parsed with the real
 * HCL parser, checked for format, least privilege (who may put events on the central bus, what
 * the forwarding roles may do), the EventBridge pattern (evaluated against sample organization
 * events, prefix filter included), the message (rendered with the input transformer model), the
 * alarms (against the metrics the function writes) and the documentation.
 */
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { METRICS_NAMESPACE } from "../rule/metrics.ts";
import { type EventPattern, matches } from "./support/event-pattern.ts";
import {
  type Block,
  declarations,
  loadModule,
  moduleCallProblems,
  nested,
  nestedAll,
  policyDocumentOf,
  policyStatements,
  undocumentedOutputs,
  undocumentedVariables,
} from "./support/hcl.ts";
import {
  accepts,
  callScope,
  evaluateExpression,
  moduleScope,
  references,
  type Value,
} from "./support/hcl-expression.ts";
import {
  complianceChangeEvent,
  type InputTransformer,
  MAX_TEMPLATE_LENGTH,
  messageText,
  placeholders,
  render,
} from "./support/input-transformer.ts";
import { sampleValues, validationGaps } from "./support/validation-cases.ts";

const MODULE_DIR = join("terraform", "modules", "organization");
const EXAMPLE_DIR = join("terraform", "examples", "organization");

const mod = await loadModule(MODULE_DIR);
const root = await loadModule("terraform");
const shared = await loadModule(join("terraform", "modules", "notifications"));
const events = await loadModule(join("terraform", "modules", "root-activity-events"));
const { resource, data, variable, call } = declarations(mod);
const inShared = declarations(shared);
const notificationsCall = call("notifications");
const notificationsSource = await readFile(join(MODULE_DIR, "notifications.tf"), "utf8");
const notificationsJson = (await parse("notifications.tf", notificationsSource)) as Record<
  string,
  Record<string, Record<string, unknown>>
>;

const NOTIFICATION_VARIABLES = [
  "create_notifications",
  "notification_topic_arn",
  "notification_kms_key_arn",
  "notification_emails",
  "notify_on",
  "alarm_on_failures",
];

const PARTITION = "<data.aws_partition.current.partition>";
const REGION = "<data.aws_region.current.region>";
const ACCOUNT_ID = "<data.aws_caller_identity.current.account_id>";
/** The module's variables in the tests that evaluate its expressions: notifications on, in the management account. */
const ON = {
  name: "ra",
  create_notifications: true,
  call_as: "SELF",
  create_member_role_in_this_account: true,
  notify_on: ["NON_COMPLIANT", "COMPLIANT"],
};
/** What an expression of the module is for its variables `vars`. */
const inModule = (expression: unknown, vars: Record<string, Value> = ON): Value =>
  evaluateExpression(expression, moduleScope(mod, vars));
/** What an expression of the notifications module is as `caller` (this module or the root) calls it for `vars`. */
const inNotificationsOf = (
  caller: typeof mod,
  expression: unknown,
  vars: Record<string, Value> = ON,
): Value => evaluateExpression(expression, callScope(caller, vars, "notifications", shared));
/** What an expression of the notifications module is as this module calls it for `vars`. */
const inCall = (expression: unknown, vars: Record<string, Value> = ON): Value =>
  inNotificationsOf(mod, expression, vars);
/** The instances `address` (`aws_sns_topic.this`, `data.<type>.<name>`, `module.<name>`) has in `scope`. */
const instancesIn = (scope: Readonly<Record<string, Value>>, address: string): Value =>
  address.split(".").reduce<Value>((value, part) => (value as Record<string, Value>)[part] ?? null, scope);

const MEMBER_ACCOUNT = "111122223333";
const NAME = "root-activity";
const MEMBER_RULE = `OrgConfigRule-${NAME}-abc123`;

/** The module's pattern for the name and notify_on. */
function eventPattern(values: { name: string; notifyOn: readonly string[] }): EventPattern {
  const vars = { ...ON, name: values.name, notify_on: [...values.notifyOn] };
  return inModule(mod.locals.compliance_event_pattern, vars) as EventPattern;
}

/** A member account's compliance change, forwarded to the central bus unchanged. */
const memberEvent = (change: Partial<Parameters<typeof complianceChangeEvent>[0]> = {}) =>
  complianceChangeEvent({
    compliance: "NON_COMPLIANT",
    rule: MEMBER_RULE,
    account: MEMBER_ACCOUNT,
    annotation: "Root user used.",
    ...change,
  });

/** Every resource and data source declared in notifications.tf, as `[address, block]`. */
function declaredInNotifications(): [string, Block][] {
  const found: [string, Block][] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, named] of Object.entries(notificationsJson[kind] ?? {})) {
      for (const name of Object.keys(named as Record<string, unknown>)) {
        const block = kind === "resource" ? resource(type, name) : data(type, name);
        found.push([`${kind === "data" ? "data." : ""}${type}.${name}`, block]);
      }
    }
  }
  return found;
}

const forwarding = mod.locals.compliance_forwarding_resources as Record<
  string,
  { Type: string; Properties: Record<string, unknown> }
>;

describe("organization notifications.tf", () => {
  it("parses and is formatted as terraform fmt writes it, like the files it changes", async () => {
    for (const file of ["notifications.tf", "stackset.tf", "variables.tf", "outputs.tf"]) {
      const source = await readFile(join(MODULE_DIR, file), "utf8");
      await parse(file, source);
      expect(await format(source), `${file}: run npx tsx scripts/check-terraform-format.ts --write`).toBe(
        source,
      );
    }
  });

  it("creates nothing unless create_notifications is set", () => {
    expect(variable("create_notifications").default).toBe(false);
    const combinations = [true, false].flatMap((notify) =>
      ["SELF", "DELEGATED_ADMIN"].map((callAs) => ({ ...ON, create_notifications: notify, call_as: callAs })),
    );
    // The topic, key, central rule, its role and the alarms: the notifications module, called
    // only with notifications (what it switches within is checked in terraform-notifications.test.ts).
    expect(notificationsCall.source).toBe("../notifications");
    for (const vars of combinations) {
      const calls = instancesIn(moduleScope(mod, vars), "module.notifications");
      expect(calls, JSON.stringify(vars)).toHaveLength(vars.create_notifications ? 1 : 0);
    }
    expect(moduleCallProblems(notificationsCall, shared)).toEqual([]);

    // What stays here: the central bus and this account's forwarding.
    const declared = declaredInNotifications();
    expect(declared.map(([address]) => address).sort()).toEqual(
      [
        "aws_cloudwatch_event_bus.compliance",
        "aws_cloudwatch_event_bus_policy.compliance",
        "aws_cloudwatch_event_rule.forward_here",
        "aws_cloudwatch_event_target.forward_here",
        "aws_iam_role.forward_here",
        "aws_iam_role_policy.forward_here",
        "data.aws_iam_policy_document.compliance_event_bus",
        "data.aws_iam_policy_document.forward_here",
        "data.aws_iam_policy_document.forward_here_assume_role",
      ].sort(),
    );
    // Each exists once with notifications, this account's forwarding only in the management account (SELF).
    for (const vars of combinations) {
      const scope = moduleScope(mod, vars);
      for (const [address] of declared) {
        const here = /\.forward_here/.test(address);
        const on = vars.create_notifications && (!here || vars.call_as === "SELF");
        expect(instancesIn(scope, address), `${address} ${JSON.stringify(vars)}`).toHaveLength(on ? 1 : 0);
      }
    }
    // The StackSet template gets the forwarding resources only with notifications.
    for (const notify of [true, false]) {
      const vars = {
        ...ON,
        create_notifications: notify,
        create_root_activity_alerts: false,
        member_role_name: "m",
        root_activity_alert_regions: [],
        alarm_on_failures: true,
      };
      const stackSet = resource("aws_cloudformation_stack_set", "member_role");
      const { Resources } = JSON.parse(String(inModule(stackSet.template_body, vars)));
      expect(Object.keys(Resources).sort(), `notifications ${notify}`).toEqual(
        notify ? ["ComplianceForwardingRole", "ComplianceForwardingRule", "MemberRole"] : ["MemberRole"],
      );
      if (notify)
        expect(Resources.ComplianceForwardingRule).toEqual(
          inModule(forwarding.ComplianceForwardingRule, vars),
        );
    }
  });

  it("names fit their services' limits for the longest name the module accepts", () => {
    const longest = "a".repeat(46);
    expect(accepts(mod.variables, "name", longest)).toBe(true);
    expect(accepts(mod.variables, "name", `${longest}a`)).toBe(false);
    const vars = { ...ON, name: longest };
    // This module's names, and the notifications module's as this module calls it.
    const names: [string, Value, number][] = [
      ["IAM role", inCall(shared.locals.role_name, vars), 64],
      ["forwarding IAM role", inModule(mod.locals.forwarding_role, vars), 64],
      ["EventBridge rule", inCall(shared.locals.rule_name, vars), 64],
      ["forwarding EventBridge rule", inModule(mod.locals.forwarding_event_rule, vars), 64],
      ["event bus", inModule(mod.locals.compliance_event_bus, vars), 256],
      ["SNS topic", inCall(shared.locals.topic_name, vars), 256],
      ["KMS alias", inCall(shared.locals.kms_alias, vars), 256],
      ["IAM role policy", inCall(inShared.resource("aws_iam_role_policy", "publisher").name, vars), 128],
      [
        "forwarding IAM role policy",
        inModule(resource("aws_iam_role_policy", "forward_here").name, vars),
        128,
      ],
      ...Object.entries(shared.resources.aws_cloudwatch_metric_alarm ?? {}).map(
        ([name, alarm]) => [`alarm ${name}`, inCall(alarm.alarm_name, vars), 255] as [string, Value, number],
      ),
    ];
    // The notifications module is named after this module, its central rule as this module names it.
    expect(inCall("${var.name}", vars)).toBe(longest);
    expect(inModule(mod.locals.compliance_event_rule, vars)).toBe(inCall(shared.locals.rule_name, vars));
    for (const [what, value, limit] of names) {
      expect(typeof value, what).toBe("string");
      expect(String(value), what).toContain(longest);
      expect(String(value).length, what).toBeLessThanOrEqual(limit);
    }
  });

  it("tags every taggable resource it creates", () => {
    const TAGS = { team: "security" };
    for (const [address, block] of declaredInNotifications()) {
      const taggable =
        /^(aws_kms_key|aws_sns_topic|aws_iam_role|aws_cloudwatch_event_rule|aws_cloudwatch_event_bus|aws_cloudwatch_metric_alarm)\./;
      if (taggable.test(address)) expect(inModule(block.tags, { ...ON, tags: TAGS }), address).toEqual(TAGS);
    }
    // The notifications module tags its resources with what it is passed.
    expect(inCall("${var.tags}", { ...ON, tags: TAGS })).toEqual(TAGS);
  });
});

describe("organization notification variables", () => {
  it("are documented, typed, and the same as the single-account module's (defaults and validations)", () => {
    expect(undocumentedVariables(mod)).toEqual([]);
    expect(undocumentedOutputs(mod)).toEqual([]);
    for (const name of NOTIFICATION_VARIABLES) {
      const here = variable(name);
      const there = declarations(root).variable(name);
      expect(here.type, name).toBe(there.type);
      expect(here.default, name).toEqual(there.default);
      const validated = nestedAll(here, "validation").length > 0;
      expect(validated, name).toBe(nestedAll(there, "validation").length > 0);
      if (validated)
        expect(validationGaps(mod, name, root, name, sampleValues(name), true), name).toEqual([]);
    }
    expect(variable("notify_on").default).toEqual(["NON_COMPLIANT", "COMPLIANT"]);
    expect(variable("alarm_on_failures").default).toBe(true);
    // Passed through unchanged to the notifications module, as the single-account module passes them.
    for (const [argument, name, given] of [
      ["topic_arn", "notification_topic_arn", "arn:aws:sns:eu-west-1:123456789012:topic"],
      ["kms_key_arn", "notification_kms_key_arn", "arn:aws:kms:eu-west-1:123456789012:key/k"],
      ["emails", "notification_emails", ["security@example.com"]],
      ["alarm_on_failures", "alarm_on_failures", false],
    ] as const) {
      const vars = { ...ON, [name]: given };
      expect(inCall(`\${var.${argument}}`, vars), argument).toEqual(given);
      expect(inNotificationsOf(root, `\${var.${argument}}`, vars), argument).toEqual(given);
    }
    expect(variable("notification_emails").default).toEqual([]);
  });
});

describe("central event bus: only the organization may put events", () => {
  const bus = resource("aws_cloudwatch_event_bus", "compliance");
  const policy = resource("aws_cloudwatch_event_bus_policy", "compliance");
  const statements = policyStatements(policyDocumentOf(mod, policy.policy));

  it("is the bus <name>-compliance, whose ARN the member accounts target", () => {
    expect(inModule(bus.name)).toBe("ra-compliance");
    // The ARN the member accounts target is this bus's: in this account and region, by its name.
    expect(inModule(mod.locals.compliance_event_bus_arn)).toBe(
      `arn:${PARTITION}:events:${REGION}:${ACCOUNT_ID}:event-bus/ra-compliance`,
    );
    expect(inModule(policy.event_bus_name)).toBe("<aws_cloudwatch_event_bus.compliance[0].name>");
  });

  it("allows only events:PutEvents on this bus, only to principals of this organization", () => {
    expect(inModule(statements)).toEqual([
      {
        sid: "OrganizationPutEvents",
        effect: "Allow",
        actions: ["events:PutEvents"],
        resources: ["<aws_cloudwatch_event_bus.compliance[0].arn>"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [
          {
            test: "StringEquals",
            variable: "aws:PrincipalOrgID",
            values: ["<data.aws_organizations_organization.current.id>"],
          },
        ],
      },
    ]);
  });
});

describe("the compliance change pattern (member rules and central rule)", () => {
  const pattern = eventPattern({ name: NAME, notifyOn: variable("notify_on").default as string[] });

  it("is exact: AWS Config, compliance changes, OrgConfigRule-<name>- by prefix, notify_on", () => {
    expect(pattern).toEqual({
      source: ["aws.config"],
      "detail-type": ["Config Rules Compliance Change"],
      detail: {
        messageType: ["ComplianceChangeNotification"],
        configRuleName: [{ prefix: `OrgConfigRule-${NAME}-` }],
        newEvaluationResult: { complianceType: ["NON_COMPLIANT", "COMPLIANT"] },
      },
    });
  });

  it.each([
    ["a member account's NON_COMPLIANT", {}],
    ["a member account's COMPLIANT again", { compliance: "COMPLIANT", previous: "NON_COMPLIANT" }],
    ["another suffix", { rule: `OrgConfigRule-${NAME}-zz9` }],
    ["the management account's own copy", { account: "123456789012" }],
  ])("matches %s", (_, change) => {
    expect(matches(pattern, memberEvent(change))).toBe(true);
  });

  it.each([
    ["another organization rule", { rule: "OrgConfigRule-other-abc123" }],
    ["the single-account rule of the same name", { rule: NAME }],
    ["a rule that only contains the prefix", { rule: `x-OrgConfigRule-${NAME}-abc123` }],
    ["a re-evaluation status event", { detailType: "Config Rules Re-evaluation Status" }],
    ["a configuration item change", { detailType: "Config Configuration Item Change" }],
    ["a custom event claiming to be Config", { source: "custom.config" }],
    ["another message type", { messageType: "ConfigurationItemChangeNotification" }],
    ["a change to NOT_APPLICABLE (not in notify_on)", { compliance: "NOT_APPLICABLE" }],
  ])("does not match %s", (_, change) => {
    expect(matches(pattern, memberEvent(change))).toBe(false);
  });

  it("also matches a second deployment named <name>-<more> (documented limit of a prefix)", () => {
    // Config appends only a suffix to the name, so a deployment named "root-activity-eu" has
    // rules OrgConfigRule-root-activity-eu-*, which this prefix matches too (the README says so).
    expect(matches(pattern, memberEvent({ rule: `OrgConfigRule-${NAME}-eu-abc123` }))).toBe(true);
  });

  it("follows notify_on and the name", () => {
    const only = eventPattern({ name: "prod-root", notifyOn: ["NON_COMPLIANT"] });
    expect(matches(only, memberEvent({ rule: "OrgConfigRule-prod-root-a1" }))).toBe(true);
    expect(matches(only, memberEvent({ rule: "OrgConfigRule-prod-root-a1", compliance: "COMPLIANT" }))).toBe(
      false,
    );
    expect(matches(only, memberEvent())).toBe(false);
  });

  it("is used by the member accounts' rules, this account's forwarding rule and the central rule", () => {
    const own = eventPattern({ name: "ra", notifyOn: ["NON_COMPLIANT", "COMPLIANT"] });
    expect(inModule(forwarding.ComplianceForwardingRule?.Properties.EventPattern)).toEqual(own);
    const forwardHere = resource("aws_cloudwatch_event_rule", "forward_here");
    expect(JSON.parse(String(inModule(forwardHere.event_pattern)))).toEqual(own);
    // The central rule is the notifications module's, with the pattern this module passes.
    const central = inShared.resource("aws_cloudwatch_event_rule", "this");
    expect(JSON.parse(String(inCall(central.event_pattern)))).toEqual(own);
    // Member accounts and this account's forwarder: the default bus; the central rule: the bus.
    expect(forwardHere).not.toHaveProperty("event_bus_name");
    expect(forwarding.ComplianceForwardingRule?.Properties).not.toHaveProperty("EventBusName");
    expect(inCall(central.event_bus_name)).toBe("<aws_cloudwatch_event_bus.compliance[0].name>");
  });
});

describe("forwarding from the member accounts (StackSet template)", () => {
  const role = forwarding.ComplianceForwardingRole;
  const rule = forwarding.ComplianceForwardingRule;

  it("adds exactly a role and a rule", () => {
    expect(Object.keys(forwarding).sort()).toEqual(["ComplianceForwardingRole", "ComplianceForwardingRule"]);
    expect(role?.Type).toBe("AWS::IAM::Role");
    expect(rule?.Type).toBe("AWS::Events::Rule");
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("the role: only EventBridge, for this account and this rule, can assume it", () => {
    const ruleName = inModule(rule?.Properties.Name);
    expect(ruleName).toBe("ra-forward");
    expect(inModule(role?.Properties.AssumeRolePolicyDocument)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EventBridgeRuleAssumeRole",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
            ArnEquals: {
              "aws:SourceArn": {
                "Fn::Sub": `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${ruleName}`,
              },
            },
          },
        },
      ],
    });
  });

  it("the role may only events:PutEvents on the central bus", () => {
    const policies = role?.Properties.Policies as { PolicyDocument: unknown }[];
    expect(policies).toHaveLength(1);
    // The central bus of this account and region, by its name.
    const bus = `arn:${PARTITION}:events:${REGION}:${ACCOUNT_ID}:event-bus/${String(
      inModule(resource("aws_cloudwatch_event_bus", "compliance").name),
    )}`;
    expect(inModule(policies[0]?.PolicyDocument)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "PutEventsToCentralBus", Effect: "Allow", Action: "events:PutEvents", Resource: bus },
      ],
    });
  });

  it("the rule targets the central bus through the role (the bus grants an organization)", () => {
    expect(rule?.Properties.State).toBe("ENABLED");
    const bus = `arn:${PARTITION}:events:${REGION}:${ACCOUNT_ID}:event-bus/${String(
      inModule(resource("aws_cloudwatch_event_bus", "compliance").name),
    )}`;
    expect(inModule(rule?.Properties.Targets)).toEqual([
      {
        Id: "central-compliance-bus",
        Arn: bus,
        RoleArn: { "Fn::GetAtt": ["ComplianceForwardingRole", "Arn"] },
      },
    ]);
  });
});

describe("forwarding from this account (call_as = SELF, which StackSets never reach)", () => {
  it("the role: only EventBridge, for this account and this rule; it may only put events on the bus", () => {
    const trust = policyStatements(data("aws_iam_policy_document", "forward_here_assume_role"));
    expect(trust).toHaveLength(1);
    expect(trust[0]?.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    expect(trust[0]?.actions).toEqual(["sts:AssumeRole"]);
    expect(inModule(trust[0]?.condition)).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
      {
        test: "ArnEquals",
        variable: "aws:SourceArn",
        values: ["<aws_cloudwatch_event_rule.forward_here[0].arn>"],
      },
    ]);
    expect(inModule(policyStatements(data("aws_iam_policy_document", "forward_here")))).toEqual([
      {
        sid: "PutEventsToCentralBus",
        effect: "Allow",
        actions: ["events:PutEvents"],
        resources: ["<aws_cloudwatch_event_bus.compliance[0].arn>"],
      },
    ]);
    // That rule sends to that bus as that role.
    const target = resource("aws_cloudwatch_event_target", "forward_here");
    expect(inModule(target.rule)).toBe("<aws_cloudwatch_event_rule.forward_here[0].name>");
    expect(inModule(target.arn)).toBe("<aws_cloudwatch_event_bus.compliance[0].arn>");
    expect(inModule(target.role_arn)).toBe("<aws_iam_role.forward_here[0].arn>");
    expect(inModule(resource("aws_iam_role", "forward_here").name)).toBe("ra-forwarder");
  });
});

describe("central rule -> topic (the notifications module, on the central bus)", () => {
  const target = inShared.resource("aws_cloudwatch_event_target", "this");

  it("publishes through a role only the central rule can assume, which may only publish to the topic", () => {
    // The notifications module runs on the central bus: its rule and its target.
    const bus = inModule(notificationsCall.event_bus_name);
    expect(bus).toBe("<aws_cloudwatch_event_bus.compliance[0].name>");
    // As this module calls it, with the root activity alerts.
    const vars = {
      ...ON,
      create_root_activity_alerts: true,
      root_activity_alert_read_only: true,
      alarm_on_failures: true,
    };
    const scope = callScope(mod, vars, "notifications", shared, {
      modules: { root_activity_events: events },
      data: { "aws_partition.current": { partition: "aws" } },
    });
    const inNotifications = (expression: unknown): Value => evaluateExpression(expression, scope);
    expect(inNotifications(target.event_bus_name)).toBe(bus);
    expect(inNotifications(inShared.resource("aws_cloudwatch_event_rule", "this").event_bus_name)).toBe(bus);
    expect(inNotifications(target.role_arn)).toBe("<aws_iam_role.publisher.arn>");
    const role = inShared.resource("aws_iam_role", "publisher");
    const trust = policyStatements(policyDocumentOf(shared, role.assume_role_policy));
    expect(trust).toHaveLength(1);
    expect(trust[0]?.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    // The central rule and the root activity alert rules on the central bus, in this account.
    expect(inNotifications(trust[0]?.condition)).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
      {
        test: "ArnEquals",
        variable: "aws:SourceArn",
        values: [
          "<aws_cloudwatch_event_rule.this.arn>",
          ...["api", "assumed", "failed", "fwd-alarm", "signevent", "signin"].map(
            (key) => `<aws_cloudwatch_event_rule.alert[${JSON.stringify(key)}].arn>`,
          ),
        ],
      },
    ]);
    const policy = inShared.resource("aws_iam_role_policy", "publisher");
    expect(references(policy.role)).toEqual(["aws_iam_role.publisher.id"]);
    const actions = policyStatements(policyDocumentOf(shared, policy.policy)).flatMap(
      (statement) => statement.actions ?? [],
    );
    expect(actions.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"]);
  });

  it("the topic policy lets only CloudWatch publish, for this module's alarms in this account", () => {
    const policy = inShared.resource("aws_sns_topic_policy", "this");
    const [statement, ...more] = policyStatements(policyDocumentOf(shared, policy.policy));
    expect(more).toEqual([]);
    expect(statement?.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(statement?.actions).toEqual(["sns:Publish"]);
    // This account, and exactly this module's alarms: the alert failures' one with the root activity alerts.
    for (const alerts of [true, false]) {
      const vars = {
        ...ON,
        alarm_on_failures: true,
        notification_topic_arn: null,
        create_root_activity_alerts: alerts,
        root_activity_alert_read_only: true,
      };
      const scope = callScope(mod, vars, "notifications", shared, {
        modules: { root_activity_events: events },
        data: { "aws_partition.current": { partition: "aws" } },
      });
      const alarms = ["evaluator_errors", "no_evaluations", "notification_failures"];
      expect(evaluateExpression(statement?.condition, scope), `alerts ${alerts}`).toEqual([
        { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
        {
          test: "ArnEquals",
          variable: "aws:SourceArn",
          values: [...alarms, ...(alerts ? ["alert_failures"] : [])].map(
            (alarm) => `<aws_cloudwatch_metric_alarm.${alarm}[0].arn>`,
          ),
        },
      ]);
    }
  });
});

describe("the message of an organization compliance change", () => {
  // The target is the notifications module's; both deployments pass it their paths and template.
  const transformerBlock = nested(
    inShared.resource("aws_cloudwatch_event_target", "this"),
    "input_transformer",
  );
  const block = {
    input_paths: shared.variables.input_paths?.default,
    input_template: notificationsCall.input_template,
  };
  const rootBlock = {
    input_paths: shared.variables.input_paths?.default,
    input_template: root.locals.notification_input_template,
  };
  /** The template the notifications module gets, for this module named NAME in account 123456789012. */
  const templateFor = (withAggregator: boolean): string =>
    String(
      evaluateExpression(
        "${var.input_template}",
        callScope(mod, { ...ON, name: NAME, create_aggregator: withAggregator }, "notifications", shared, {
          data: { "aws_caller_identity.current": { account_id: "123456789012" } },
        }),
      ),
    );

  it("reuses the single-account module's input paths and template text", () => {
    // The central rule's target gets the module's default input paths (both deployments leave them), and the
    // template this module passes.
    expect(notificationsCall).not.toHaveProperty("input_paths");
    expect(declarations(root).call("notifications")).not.toHaveProperty("input_paths");
    expect(inCall(transformerBlock.input_paths)).toEqual(block.input_paths);
    expect(block.input_paths).toEqual(rootBlock.input_paths);
    const template = templateFor(false);
    expect(inCall(transformerBlock.input_template, { ...ON, name: NAME, create_aggregator: false })).toBe(
      inModule(block.input_template, { ...ON, name: NAME, create_aggregator: false }),
    );
    // The single-account module's text up to the annotation, then where to look in an organization.
    const rootTemplate = String(
      evaluateExpression(
        rootBlock.input_template,
        moduleScope(root, {}, { data: { "aws_partition.current": { partition: "aws" } } }),
      ),
    );
    const sharedText = rootTemplate.slice(0, rootTemplate.indexOf("<annotation> ") + "<annotation> ".length);
    expect(sharedText).toContain("<annotation> ");
    expect(template.startsWith(sharedText)).toBe(true);
    expect(placeholders(template).sort()).toEqual(Object.keys(rootBlock.input_paths as object).sort());
  });

  it.each([
    [true, "All accounts: the root-activity aggregator of AWS Config in account 123456789012."],
    [false, "Organization rule root-activity of account 123456789012."],
  ])(
    "names the member account, the verdict, the rule and where to look (aggregator: %s)",
    (withAggregator, tail) => {
      const transformer: InputTransformer = {
        inputPaths: block.input_paths as Record<string, string>,
        inputTemplate: templateFor(withAggregator),
      };
      expect(transformer.inputTemplate.length).toBeLessThanOrEqual(MAX_TEMPLATE_LENGTH);
      const message = messageText(render(transformer, memberEvent({ region: "eu-central-1" })));
      expect(message).toBe(
        `Root user activity: account ${MEMBER_ACCOUNT} is now NON_COMPLIANT for AWS Config rule ${MEMBER_RULE} in eu-central-1 (2025-03-14T09:26:53Z). Root user used. ${tail}`,
      );
      const back = messageText(
        render(transformer, memberEvent({ compliance: "COMPLIANT", previous: "NON_COMPLIANT" })),
      );
      expect(back).toContain(`account ${MEMBER_ACCOUNT} is now COMPLIANT`);
    },
  );
});

describe("organization failure alarms", () => {
  it("watch the organization function: Lambda Errors, EvaluationsPosted below 1 for two periods, FailedInvocations", async () => {
    // The alarms are the notifications module's, on the function and frequency this module passes.
    const vars = { ...ON, maximum_execution_frequency: "Six_Hours", alarm_on_failures: true };
    const given = (name: string, at: Record<string, Value> = vars): Value => inCall(`\${var.${name}}`, at);
    expect(given("function_name")).toBe("<module.evaluator.function_name>");
    expect(given("maximum_execution_frequency")).toBe("Six_Hours");
    expect(given("alarm_on_failures", { ...vars, alarm_on_failures: false })).toBe(false);

    const errors = inShared.resource("aws_cloudwatch_metric_alarm", "evaluator_errors");
    expect(errors.namespace).toBe("AWS/Lambda");
    expect(errors.metric_name).toBe("Errors");
    expect(inCall(errors.dimensions, vars)).toEqual({ FunctionName: "<module.evaluator.function_name>" });

    const none = inShared.resource("aws_cloudwatch_metric_alarm", "no_evaluations");
    expect(inCall(none.namespace, vars)).toBe(METRICS_NAMESPACE);
    expect(none.metric_name).toBe("EvaluationsPosted");
    expect(await readFile("rule/metrics.ts", "utf8")).toContain(
      'addMetric("EvaluationsPosted", MetricUnit.Count, 1)',
    );
    expect(inCall(none.dimensions, vars)).toEqual({ service: "<module.evaluator.function_name>" });
    // A period of the frequency this module passes (two of them without an evaluation alarm).
    for (const [frequency, hours] of [
      ["One_Hour", 1],
      ["Three_Hours", 3],
      ["Six_Hours", 6],
      ["Twelve_Hours", 12],
      ["TwentyFour_Hours", 24],
    ] as const) {
      expect(inCall(none.period, { ...vars, maximum_execution_frequency: frequency }), frequency).toBe(
        hours * 3600,
      );
    }
    expect(
      validationGaps(
        mod,
        "maximum_execution_frequency",
        root,
        "maximum_execution_frequency",
        sampleValues("maximum_execution_frequency"),
        true,
      ),
    ).toEqual([]);
    expect([none.evaluation_periods, none.datapoints_to_alarm, none.threshold]).toEqual([2, 2, 1]);
    expect(none.comparison_operator).toBe("LessThanThreshold");
    expect(none.treat_missing_data).toBe("breaching");

    const failures = inShared.resource("aws_cloudwatch_metric_alarm", "notification_failures");
    expect(failures.namespace).toBe("AWS/Events");
    expect(failures.metric_name).toBe("FailedInvocations");
    // Metrics of a rule on a custom bus have both dimensions: this module passes its bus.
    expect(inCall(failures.dimensions, vars)).toEqual({
      EventBusName: "<aws_cloudwatch_event_bus.compliance[0].name>",
      RuleName: "<aws_cloudwatch_event_rule.this.name>",
    });

    for (const name of ["evaluator_errors", "no_evaluations", "notification_failures"]) {
      // Created exactly with alarm_on_failures, notifying the module's topic (none given here).
      for (const alarms of [true, false]) {
        const scope = callScope(
          mod,
          { ...vars, alarm_on_failures: alarms, notification_topic_arn: null },
          "notifications",
          shared,
        );
        expect(instancesIn(scope, `aws_cloudwatch_metric_alarm.${name}`), `${name} ${alarms}`).toHaveLength(
          alarms ? 1 : 0,
        );
        const alarm = inShared.resource("aws_cloudwatch_metric_alarm", name);
        for (const actions of [alarm.alarm_actions, alarm.ok_actions])
          expect(evaluateExpression(actions, scope), name).toEqual(["<aws_sns_topic.this[0].arn>"]);
      }
    }
    const descriptions = notificationsCall.alarm_descriptions as Record<string, string>;
    expect(Object.keys(descriptions).sort()).toEqual([
      "evaluator_errors",
      "no_evaluations",
      "notification_failures",
    ]);
    for (const [name, text] of Object.entries(descriptions)) {
      expect(text, name).toContain("organization rule");
    }
  });
});

describe("shared with the single-account module: both call modules/notifications", () => {
  const rootCall = declarations(root).call("notifications");

  it("both call the same module, counted on create_notifications, with arguments it declares", () => {
    expect(normalize(join(MODULE_DIR, String(notificationsCall.source)))).toBe(shared.dir);
    expect(normalize(join("terraform", String(rootCall.source)))).toBe(shared.dir);
    for (const [module, moduleCall] of [
      [mod, notificationsCall],
      [root, rootCall],
    ] as const) {
      // Called exactly when var.create_notifications is true.
      for (const notify of [true, false]) {
        const calls = instancesIn(
          moduleScope(module, { create_notifications: notify }),
          "module.notifications",
        );
        expect(calls, `${module.dir} ${notify}`).toHaveLength(notify ? 1 : 0);
      }
      expect(moduleCallProblems(moduleCall, shared)).toEqual([]);
    }
  });

  it("pass the same names, topic, key, e-mails, function, frequency and alarm switch", () => {
    // The same caller's values give the notifications module the same variables.
    const vars = {
      ...ON,
      notification_topic_arn: "arn:aws:sns:eu-west-1:123456789012:topic",
      notification_kms_key_arn: "arn:aws:kms:eu-west-1:123456789012:key/k",
      notification_emails: ["security@example.com"],
      alarm_on_failures: false,
      maximum_execution_frequency: "Twelve_Hours",
      tags: { team: "security" },
    };
    for (const argument of [
      "name",
      "topic_arn",
      "kms_key_arn",
      "emails",
      "alarm_on_failures",
      "function_name",
      "maximum_execution_frequency",
      "tags",
    ]) {
      const value = inCall(`\${var.${argument}}`, vars);
      expect(value, argument).not.toBeNull();
      expect(inNotificationsOf(root, `\${var.${argument}}`, vars), argument).toEqual(value);
    }
    expect(notificationsCall).not.toHaveProperty("input_paths");
    expect(rootCall).not.toHaveProperty("input_paths");
  });

  it("neither declares a topic, key, topic policy, subscription, publisher role or alarm of its own", () => {
    for (const module of [mod, root]) {
      for (const type of [
        "aws_kms_key",
        "aws_kms_alias",
        "aws_sns_topic",
        "aws_sns_topic_policy",
        "aws_sns_topic_subscription",
        "aws_cloudwatch_metric_alarm",
      ]) {
        // The single-account module's one alarm of its own: its re-evaluation state machine's.
        const own = Object.keys(module.resources[type] ?? {});
        expect(own, `${module.dir}: ${type}`).toEqual(
          module === root && type === "aws_cloudwatch_metric_alarm" ? ["reevaluate_failures"] : [],
        );
      }
      // The only EventBridge roles left are the organization module's forwarding role.
      expect(Object.keys(module.resources.aws_iam_role ?? {}), module.dir).not.toContain("notifications");
    }
  });

  it("the outputs of both give the module's values", () => {
    for (const module of [mod, root]) {
      // The notifications module's outputs with notifications, null without.
      for (const notify of [true, false]) {
        const scope = moduleScope(module, { create_notifications: notify });
        for (const [output, expression] of [
          ["kms_key_arn", module.outputs.notification_kms_key_arn?.value],
          ["event_rule_arn", module.outputs.compliance_event_rule_arn?.value],
          ["alarm_arns", module.outputs.failure_alarm_arns?.value],
          ["topic_arn", module.locals.notification_topic_arn],
        ] as const) {
          expect(evaluateExpression(expression, scope), `${module.dir} ${output} ${notify}`).toBe(
            notify ? `<module.notifications[0].${output}>` : null,
          );
        }
      }
    }
  });
});

describe("organization notifications: documentation", () => {
  it("the module README says where the events arrive and how they are forwarded", async () => {
    const readme = await readFile(join(MODULE_DIR, "README.md"), "utf8");
    for (const text of [
      "## Notifications (`create_notifications = true`)",
      "default event bus of each member account",
      "aws:PrincipalOrgID",
      '[{"prefix": "OrgConfigRule-<name>-"}]',
      "`<name>-forwarder`",
      "`<name>-compliance`",
      "One region",
      "EvaluationsPosted",
    ]) {
      expect(readme).toContain(text);
    }
  });

  it("the example README and the root README point at it", async () => {
    const example = await readFile(join(EXAMPLE_DIR, "README.md"), "utf8");
    expect(example).toContain("create_notifications");
    const rootReadme = await readFile("README.md", "utf8");
    expect(rootReadme).not.toContain("not built by the organization module");
  });
});
