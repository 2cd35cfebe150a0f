/**
 * The opt-in notifications of the Terraform module (terraform/notifications.tf and the
 * notifications module it calls, terraform/modules/notifications): parsed with the real HCL parser, checked for format, least privilege (who may publish to the topic and use its
 * key), the EventBridge pattern (evaluated against sample events), the alarms (against the
 * metrics the function writes) and the documentation.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { METRICS_NAMESPACE } from "../rule/metrics.ts";
import { type EventPattern, matches } from "./support/event-pattern.ts";
import {
  type Block,
  declarations,
  docsTables,
  dynamicBlocks,
  instanceCount,
  loadModule,
  moduleCallProblems,
  nested,
  nestedAll,
  policiesOn,
  policyDocumentOf,
  policyStatements,
  unwrap,
} from "./support/hcl.ts";
import {
  accepts,
  evaluateExpression,
  moduleScope,
  referencedObjects,
  references,
  type Value,
} from "./support/hcl-expression.ts";
import { complianceChangeEvent } from "./support/input-transformer.ts";
import { sampleValues, validationGaps } from "./support/validation-cases.ts";

const TERRAFORM_DIR = "terraform";
const EXAMPLE_DIR = join(TERRAFORM_DIR, "examples", "single-account");

const mod = await loadModule(TERRAFORM_DIR);
const evaluator = await loadModule(join(TERRAFORM_DIR, "modules", "evaluator"));
const shared = await loadModule(join(TERRAFORM_DIR, "modules", "notifications"));
const sharedSource = shared.files.map((file) => file.source).join("\n");
const example = await loadModule(EXAMPLE_DIR);
const notificationsSource = await readFile(join(TERRAFORM_DIR, "notifications.tf"), "utf8");
const notificationsJson = (await parse("notifications.tf", notificationsSource)) as Record<
  string,
  Record<string, Record<string, unknown>>
>;

const { variable, call } = declarations(mod);
const { resource, data } = declarations(shared);
const notificationsCall = call("notifications");
const statements = policyStatements;
/** The policy documents are the notifications module's. */
const policyDocument = (expression: unknown): Block => policyDocumentOf(shared, expression);

/** Every resource and data source of the notifications module, as `[address, block]`. */
function declaredInNotifications(): [string, Block][] {
  const found: [string, Block][] = [];
  for (const [kind, declared] of [
    ["resource", shared.resources],
    ["data", shared.data],
  ] as const) {
    for (const [type, named] of Object.entries(declared)) {
      for (const name of Object.keys(named)) {
        const block = kind === "resource" ? resource(type, name) : data(type, name);
        found.push([`${kind === "data" ? "data." : ""}${type}.${name}`, block]);
      }
    }
  }
  return found;
}

const NEW_VARIABLES = [
  "create_notifications",
  "notification_topic_arn",
  "notification_kms_key_arn",
  "notification_emails",
  "notify_on",
  "alarm_on_failures",
];

/** Who may assume the publisher role: the compliance rule and every root activity alert rule. */
const ACCOUNT_ID = "<data.aws_caller_identity.current.account_id>";
const GIVEN_TOPIC = "arn:aws:sns:eu-west-1:123456789012:security-alerts";
const GIVEN_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** The notifications module's variables: its own topic and key (null), or the given ones. */
const OWN_TOPIC = {
  name: "ra",
  topic_arn: null,
  kms_key_arn: null,
  event_bus_name: null,
  alert_rules: {},
  alarm_on_failures: true,
};
const GIVEN_TOPIC_AND_KEY = { ...OWN_TOPIC, topic_arn: GIVEN_TOPIC, kms_key_arn: GIVEN_KEY };
/** What an expression of the notifications module is for its variables `vars`. */
const inShared = (
  expression: unknown,
  vars: Record<string, Value>,
  more: Record<string, Value> = {},
): Value => evaluateExpression(expression, { ...moduleScope(shared, vars), ...more });

/** What an expression of the single-account module is for its variables `vars`. */
const inMod = (expression: unknown, vars: Record<string, Value> = {}): Value =>
  evaluateExpression(expression, moduleScope(mod, vars));

const CONFIG_COMPLIANCE_TYPES = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"];

describe("notifications.tf", () => {
  it("parses and is formatted as terraform fmt writes it, like the files it appends to", async () => {
    for (const file of ["notifications.tf", "variables.tf", "outputs.tf"]) {
      const source = await readFile(join(TERRAFORM_DIR, file), "utf8");
      await parse(file, source);
      expect(await format(source), `${file}: run npx tsx scripts/check-terraform-format.ts --write`).toBe(
        source,
      );
    }
  });

  it("creates nothing unless create_notifications is set", () => {
    expect(variable("create_notifications").default).toBe(false);
    // notifications.tf declares no resource or data source of its own: everything is in the
    // notifications module, whose call is counted on create_notifications.
    expect(notificationsJson.resource).toBeUndefined();
    expect(notificationsJson.data).toBeUndefined();
    expect(notificationsCall.source).toBe("./modules/notifications");
    // Created exactly when var.create_notifications is true.
    expect(instanceCount(notificationsCall, { "var.create_notifications": true })).toBe(1);
    expect(instanceCount(notificationsCall, { "var.create_notifications": false })).toBe(0);
    expect(notificationsCall).not.toHaveProperty("for_each");
    expect(moduleCallProblems(notificationsCall, shared)).toEqual([]);
    // Within the module, what is optional is switched on what the call passes through: the topic
    // (when none is given), its key (when neither is given) and alarm_on_failures.
    for (const [topic, key, createTopic, createKey] of [
      [null, null, true, true],
      [null, GIVEN_KEY, true, false],
      [GIVEN_TOPIC, null, false, false],
      [GIVEN_TOPIC, GIVEN_KEY, false, false],
    ] as const) {
      const vars = { topic_arn: topic, kms_key_arn: key };
      expect(inShared(shared.locals.create_topic, vars), `${topic}, ${key}`).toBe(createTopic);
      expect(inShared(shared.locals.create_key, vars), `${topic}, ${key}`).toBe(createKey);
    }
    for (const [argument, name, given] of [
      ["topic_arn", "notification_topic_arn", GIVEN_TOPIC],
      ["kms_key_arn", "notification_kms_key_arn", GIVEN_KEY],
      ["emails", "notification_emails", ["a@example.com"]],
      ["alarm_on_failures", "alarm_on_failures", false],
    ] as const) {
      expect(inMod(notificationsCall[argument], { [name]: given }), argument).toEqual(given);
    }
    // Every counted block is one or none for those values alone (and some alert rules), each both.
    const passedThrough = [null, GIVEN_TOPIC].flatMap((topic_arn) =>
      [null, GIVEN_KEY].flatMap((kms_key_arn) =>
        [true, false].map((alarm_on_failures) => ({
          topic_arn,
          kms_key_arn,
          alarm_on_failures,
          alert_rules: { api: {} },
        })),
      ),
    );
    const declared = declaredInNotifications();
    expect(declared.length).toBeGreaterThan(10);
    for (const [address, block] of declared) {
      if (!("count" in block)) continue;
      const counts = new Set(passedThrough.map((vars) => inShared(block.count, vars)));
      expect([...counts].sort(), address).toEqual([0, 1]);
    }
    // The rest: one per e-mail address or one per alert rule the caller passes, none without.
    const keys = (value: Value): Value[] =>
      Array.isArray(value) ? [...value] : Object.keys(value as Record<string, Value>);
    const forEach = declared.filter(([, block]) => "for_each" in block);
    expect(forEach.map(([address]) => address).sort()).toEqual([
      "aws_cloudwatch_event_rule.alert",
      "aws_cloudwatch_event_target.alert",
      "aws_sns_topic_subscription.email",
    ]);
    for (const [address, block] of forEach) {
      const given = { emails: ["a@example.com"], alert_rules: { api: {} } };
      expect(keys(inShared(block.for_each, given)), address).toEqual(
        address.endsWith(".email") ? ["a@example.com"] : ["api"],
      );
      expect(keys(inShared(block.for_each, { emails: [], alert_rules: {} })), address).toEqual([]);
    }
  });

  it("names fit their services' limits for the longest name the module accepts", () => {
    const longest = "a".repeat(48);
    expect(accepts(mod.variables, "name", longest)).toBe(true);
    expect(accepts(mod.variables, "name", `${longest}a`)).toBe(false);
    expect(inMod(notificationsCall.name, { name: longest })).toBe(longest);
    // The compliance rule the caller names in its alarm description is the module's rule.
    expect(inMod(mod.locals.compliance_event_rule, { name: longest })).toBe(
      inShared(resource("aws_cloudwatch_event_rule", "this").name, { name: longest }),
    );
    const names: [string, unknown, number][] = [
      ["IAM role", resource("aws_iam_role", "publisher").name, 64],
      ["EventBridge rule", resource("aws_cloudwatch_event_rule", "this").name, 64],
      ["SNS topic", resource("aws_sns_topic", "this").name, 256],
      ["KMS alias", resource("aws_kms_alias", "this").name, 256],
      ["IAM role policy", resource("aws_iam_role_policy", "publisher").name, 128],
      ...Object.entries(shared.resources.aws_cloudwatch_metric_alarm ?? {}).map(
        ([name, alarm]) => [`alarm ${name}`, alarm.alarm_name, 255] as [string, unknown, number],
      ),
    ];
    expect(names.map(([, template]) => template)).not.toContain(undefined);
    for (const [what, template, limit] of names) {
      const value = inShared(template, { name: longest });
      expect(typeof value, what).toBe("string");
      expect(String(value), what).toContain(longest);
      expect(String(value).length, what).toBeLessThanOrEqual(limit);
    }
  });

  it("tags every taggable resource it creates", () => {
    for (const type of [
      "aws_kms_key",
      "aws_sns_topic",
      "aws_cloudwatch_event_rule",
      "aws_iam_role",
      "aws_cloudwatch_metric_alarm",
    ]) {
      const blocks = Object.entries(shared.resources[type] ?? {});
      expect(blocks.length, type).toBeGreaterThan(0);
      for (const [name, block] of blocks) {
        expect(inShared(block.tags, { tags: { Team: "security" } }), `${type}.${name}`).toEqual({
          Team: "security",
        });
      }
    }
    // The caller's tags, with its own.
    expect(evaluateExpression(notificationsCall.tags, { local: { tags: { Team: "security" } } })).toEqual({
      Team: "security",
    });
  });
});

describe("notification variables", () => {
  it.each(NEW_VARIABLES)("%s has a description, a type and a default (opt-in)", (name) => {
    const block = variable(name);
    expect(typeof block.description === "string" && block.description.length > 40).toBe(true);
    expect(block.type).toMatch(/^\$\{.+\}$/);
    expect("default" in block).toBe(true);
  });

  it("default to: off, a topic and key of the module, no e-mail, both verdicts, alarms with notifications", () => {
    expect(variable("create_notifications").default).toBe(false);
    expect(variable("notification_topic_arn").default).toBeNull();
    expect(variable("notification_kms_key_arn").default).toBeNull();
    expect(variable("notification_emails").default).toEqual([]);
    expect(variable("notify_on").default).toEqual(["NON_COMPLIANT", "COMPLIANT"]);
    expect(variable("alarm_on_failures").default).toBe(true);
  });

  // Which values each validation accepts is in test/terraform-validations.test.ts.
  it("the notifications module is passed these variables unchanged and accepts the same values", () => {
    for (const [argument, name] of [
      ["topic_arn", "notification_topic_arn"],
      ["kms_key_arn", "notification_kms_key_arn"],
      ["emails", "notification_emails"],
    ] as const) {
      const given = `the value of var.${name}`;
      expect(evaluateExpression(notificationsCall[argument], { var: { [name]: given } }), argument).toBe(
        given,
      );
      expect(declarations(shared).variable(argument).type, argument).toBe(variable(name).type);
      expect(validationGaps(mod, name, shared, argument, sampleValues(name), true), argument).toEqual([]);
    }
  });

  it("notify_on: one or more distinct AWS Config compliance types", () => {
    const accepted = (value: string[]): boolean => accepts(mod.variables, "notify_on", value);
    for (const type of CONFIG_COMPLIANCE_TYPES) expect(accepted([type]), type).toBe(true);
    expect(accepted([...CONFIG_COMPLIANCE_TYPES])).toBe(true);
    expect(accepted([])).toBe(false);
    expect(accepted(["NON_COMPLIANT", "NON_COMPLIANT"])).toBe(false);
    expect(accepted(["NON_COMPLIANT", "FAILED"])).toBe(false);
  });
});

/**
 * The event pattern the module passes its notifications module for the name and notify_on given, the Config
 * rule's name (which only Terraform knows once the rule exists) the name the module gives the rule.
 */
function eventPattern(values: { ruleName: string; notifyOn: readonly string[] }): EventPattern {
  const vars = { name: values.ruleName, notify_on: [...values.notifyOn] };
  const ruleName = inMod(mod.resources.aws_config_config_rule?.this?.name, vars);
  const resolve = (node: unknown): unknown => {
    if (node === "<aws_config_config_rule.this.name>") return ruleName;
    if (typeof node === "string" && node.startsWith("<")) throw new Error(`unresolved ${node}`);
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
    }
    return node;
  };
  return resolve(JSON.parse(String(inMod(notificationsCall.event_pattern, vars)))) as EventPattern;
}

describe("EventBridge rule: this rule's compliance changes only", () => {
  const rule = resource("aws_cloudwatch_event_rule", "this");
  const defaults = { ruleName: "root-activity", notifyOn: variable("notify_on").default as string[] };
  const pattern = eventPattern(defaults);

  it("uses the pattern of local.compliance_event_pattern on the default bus", () => {
    // The pattern the caller passes (eventPattern(), below) on the bus it passes.
    expect(inShared(rule.event_pattern, { ...OWN_TOPIC, event_pattern: "the pattern" })).toBe("the pattern");
    expect(inShared(rule.event_bus_name, { ...OWN_TOPIC, event_bus_name: "the-bus" })).toBe("the-bus");
    // No bus passed: the module's event_bus_name defaults to null, the default bus.
    expect(notificationsCall).not.toHaveProperty("event_bus_name");
    expect(declarations(shared).variable("event_bus_name").default).toBeNull();
    expect(rule).not.toHaveProperty("schedule_expression");
    // The rule name in the pattern is the Config rule's, which is the name given.
    expect(inMod(mod.resources.aws_config_config_rule?.this?.name, { name: "root-activity-prod" })).toBe(
      "root-activity-prod",
    );
    expect(variable("name").default).toBe(defaults.ruleName);
  });

  it("is exact: AWS Config source, compliance change detail type and message type, this rule, notify_on", () => {
    expect(pattern).toEqual({
      source: ["aws.config"],
      "detail-type": ["Config Rules Compliance Change"],
      detail: {
        messageType: ["ComplianceChangeNotification"],
        configRuleName: ["root-activity"],
        newEvaluationResult: { complianceType: ["NON_COMPLIANT", "COMPLIANT"] },
      },
    });
  });

  it.each([
    ["NON_COMPLIANT after COMPLIANT", { compliance: "NON_COMPLIANT", previous: "COMPLIANT" }],
    ["COMPLIANT again", { compliance: "COMPLIANT", previous: "NON_COMPLIANT" }],
    ["NON_COMPLIANT on the first evaluation", { compliance: "NON_COMPLIANT" }],
    ["COMPLIANT on the first evaluation", { compliance: "COMPLIANT" }],
  ])("matches %s", (_, change) => {
    expect(matches(pattern, complianceChangeEvent({ ...change, annotation: "a" }))).toBe(true);
  });

  it.each([
    ["another rule's change", { compliance: "NON_COMPLIANT", rule: "iam-password-policy" }],
    ["a rule whose name starts with this one", { compliance: "NON_COMPLIANT", rule: "root-activity-eu" }],
    [
      "an organization rule's member copy",
      { compliance: "NON_COMPLIANT", rule: "OrgConfigRule-root-activity-a1b2" },
    ],
    ["a rule name differing in case", { compliance: "NON_COMPLIANT", rule: "Root-Activity" }],
    [
      "a re-evaluation status event",
      { compliance: "NON_COMPLIANT", detailType: "Config Rules Re-evaluation Status" },
    ],
    [
      "a configuration item change",
      { compliance: "NON_COMPLIANT", detailType: "Config Configuration Item Change" },
    ],
    ["a custom event claiming to be Config", { compliance: "NON_COMPLIANT", source: "custom.config" }],
    [
      "another message type",
      { compliance: "NON_COMPLIANT", messageType: "ConfigurationItemChangeNotification" },
    ],
    [
      "a change to NOT_APPLICABLE (not in notify_on)",
      { compliance: "NOT_APPLICABLE", previous: "COMPLIANT" },
    ],
    ["a change to INSUFFICIENT_DATA", { compliance: "INSUFFICIENT_DATA" }],
  ])("does not match %s", (_, change) => {
    expect(matches(pattern, complianceChangeEvent({ ...change, annotation: "a" }))).toBe(false);
  });

  it("follows notify_on", () => {
    const onlyNonCompliant = eventPattern({ ruleName: "root-activity", notifyOn: ["NON_COMPLIANT"] });
    expect(matches(onlyNonCompliant, complianceChangeEvent({ compliance: "NON_COMPLIANT" }))).toBe(true);
    expect(matches(onlyNonCompliant, complianceChangeEvent({ compliance: "COMPLIANT" }))).toBe(false);
    const all = eventPattern({ ruleName: "root-activity", notifyOn: CONFIG_COMPLIANCE_TYPES });
    for (const compliance of CONFIG_COMPLIANCE_TYPES) {
      expect(matches(all, complianceChangeEvent({ compliance })), compliance).toBe(true);
    }
  });

  it("follows the rule name", () => {
    const renamed = eventPattern({ ruleName: "root-activity-prod", notifyOn: ["NON_COMPLIANT"] });
    expect(
      matches(renamed, complianceChangeEvent({ compliance: "NON_COMPLIANT", rule: "root-activity-prod" })),
    ).toBe(true);
    expect(matches(renamed, complianceChangeEvent({ compliance: "NON_COMPLIANT" }))).toBe(false);
  });

  it("refuses a topic in another region (EventBridge targets are regional)", () => {
    const [precondition] = nestedAll(nested(rule, "lifecycle"), "precondition");
    expect(unwrap(precondition?.condition)).toBe(
      'var.topic_arn == null ? true : split(":", var.topic_arn)[3] == local.region',
    );
    // The region the module is deployed in; the topic the caller is given.
    expect(inShared(shared.locals.region, OWN_TOPIC)).toBe("<data.aws_region.current.region>");
    expect(inMod(notificationsCall.topic_arn, { notification_topic_arn: GIVEN_TOPIC })).toBe(GIVEN_TOPIC);
  });
});

describe("publishing to the topic: least privilege", () => {
  const target = resource("aws_cloudwatch_event_target", "this");

  it("the target publishes to the topic (the module's own, or the given one) through the module's role", () => {
    for (const [vars, topic] of [
      [OWN_TOPIC, "<aws_sns_topic.this[0].arn>"],
      [GIVEN_TOPIC_AND_KEY, GIVEN_TOPIC],
    ] as const) {
      expect(inShared(target.rule, vars)).toBe("<aws_cloudwatch_event_rule.this.name>");
      expect(inShared(target.event_bus_name, { ...vars, event_bus_name: "the-bus" })).toBe("the-bus");
      expect(inShared(target.arn, vars), topic).toBe(topic);
      expect(inShared(target.role_arn, vars)).toBe("<aws_iam_role.publisher.arn>");
      expect(inShared(shared.outputs.topic_arn?.value, vars), topic).toBe(topic);
    }
    expect(references(target.depends_on)).toContain("aws_iam_role_policy.publisher");
    // The caller's topic ARN is the output of its one notifications module, when it has one.
    const callerTopic = (on: boolean): Value =>
      evaluateExpression(mod.locals.notification_topic_arn, moduleScope(mod, { create_notifications: on }));
    expect(callerTopic(true)).toBe("<module.notifications[0].topic_arn>");
    expect(callerTopic(false)).toBeNull();
  });

  it("only this module's EventBridge rules (compliance, and the root activity alerts), in this account, can assume the role", () => {
    const role = resource("aws_iam_role", "publisher");
    const [statement, ...others] = statements(policyDocument(role.assume_role_policy));
    expect(others).toEqual([]);
    expect(statement?.effect).toBe("Allow");
    expect(statement?.actions).toEqual(["sts:AssumeRole"]);
    expect(statement?.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    // The compliance rule and the rule of each alert, by key, and no other.
    const alertRules = { "sign-in": {}, api: {} };
    expect(inShared(statement?.condition, { ...OWN_TOPIC, alert_rules: alertRules })).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
      {
        test: "ArnEquals",
        variable: "aws:SourceArn",
        values: [
          "<aws_cloudwatch_event_rule.this.arn>",
          '<aws_cloudwatch_event_rule.alert["api"].arn>',
          '<aws_cloudwatch_event_rule.alert["sign-in"].arn>',
        ],
      },
    ]);
    expect(inShared(statement?.condition, OWN_TOPIC)).toContainEqual({
      test: "ArnEquals",
      variable: "aws:SourceArn",
      values: ["<aws_cloudwatch_event_rule.this.arn>"],
    });
  });

  it("the role may only publish to the topic and use the topic's key", () => {
    const role = resource("aws_iam_role", "publisher");
    expect(role.managed_policy_arns).toBeUndefined();
    expect(role.inline_policy).toBeUndefined();
    const onRole = (block: Block): boolean =>
      referencedObjects(block.role ?? block.roles).includes("aws_iam_role.publisher");
    const inline = Object.values(shared.resources.aws_iam_role_policy ?? {}).filter(onRole);
    const attached = Object.values(shared.resources.aws_iam_role_policy_attachment ?? {}).filter(onRole);
    // Neither this module nor the caller attaches anything to the role from outside.
    expect(policiesOn(mod, "module.notifications")).toEqual({ inline: [], attachments: [] });
    expect(inline).toHaveLength(1);
    expect(attached).toEqual([]);

    const granted = statements(policyDocument(inline[0]?.policy));
    expect(granted.map((statement) => statement.actions)).toEqual([
      ["sns:Publish"],
      ["kms:GenerateDataKey", "kms:Decrypt"],
    ]);
    // The topic, and the key of the dynamic statement's one instance: the topic's key.
    const [kmsBlock, ...moreDynamic] = dynamicBlocks(policyDocument(inline[0]?.policy), "statement");
    expect(moreDynamic).toEqual([]);
    for (const [vars, topic, key] of [
      [OWN_TOPIC, "<aws_sns_topic.this[0].arn>", "<aws_kms_key.this[0].arn>"],
      [GIVEN_TOPIC_AND_KEY, GIVEN_TOPIC, GIVEN_KEY],
    ] as const) {
      expect(inShared(granted[0]?.resources, vars)).toEqual([topic]);
      expect(inShared(kmsBlock?.for_each, vars)).toEqual([key]);
      expect(inShared(granted[1]?.resources, vars, { statement: { key: 0, value: key } })).toEqual([key]);
      // The topic's own key is the one the role may use.
      if (vars === OWN_TOPIC)
        expect(inShared(resource("aws_sns_topic", "this").kms_master_key_id, vars)).toBe(key);
    }
    // A given topic without a key (SSE off): no KMS statement.
    expect(inShared(kmsBlock?.for_each, { ...GIVEN_TOPIC_AND_KEY, kms_key_arn: null })).toEqual([]);
    for (const statement of granted) {
      expect(statement.effect).toBe("Allow");
      expect(statement.not_actions).toBeUndefined();
      expect(statement.not_resources).toBeUndefined();
    }
  });

  it("the topic policy lets only CloudWatch publish, for this module's alarms in this account", () => {
    const policy = resource("aws_sns_topic_policy", "this");
    // The policy of the module's own topic when its alarms publish there, and of no other topic.
    expect(inShared(policy.count, OWN_TOPIC)).toBe(1);
    expect(inShared(policy.count, { ...OWN_TOPIC, alarm_on_failures: false })).toBe(0);
    expect(inShared(policy.count, GIVEN_TOPIC_AND_KEY)).toBe(0);
    expect(inShared(policy.arn, OWN_TOPIC)).toBe("<aws_sns_topic.this[0].arn>");
    const all = statements(policyDocument(policy.policy));
    expect(all).toHaveLength(1);
    const [statement] = all;
    expect(statement?.effect).toBe("Allow");
    expect(statement?.actions).toEqual(["sns:Publish"]);
    expect(inShared(statement?.resources, OWN_TOPIC)).toEqual(["<aws_sns_topic.this[0].arn>"]);
    expect(statement?.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    const account = statement?.condition?.find((condition) => condition.variable === "aws:SourceAccount");
    expect(inShared(account, OWN_TOPIC)).toEqual({
      test: "StringEquals",
      variable: "aws:SourceAccount",
      values: [ACCOUNT_ID],
    });
    const sourceArn = statement?.condition?.find((condition) => condition.variable === "aws:SourceArn");
    expect(sourceArn?.test).toBe("ArnEquals");
    // This module's alarms (the alert rules' only with alert rules) and the caller's extra ones, no other.
    const alarmsOf = (alertRules: Record<string, Value>): Value =>
      inShared(sourceArn?.values, {
        ...OWN_TOPIC,
        alert_rules: alertRules,
        extra_alarm_arns: ["the extra alarm"],
      });
    const own = [
      "<aws_cloudwatch_metric_alarm.evaluator_errors[0].arn>",
      "<aws_cloudwatch_metric_alarm.no_evaluations[0].arn>",
      "<aws_cloudwatch_metric_alarm.notification_failures[0].arn>",
    ];
    expect(alarmsOf({ api: {} })).toEqual([
      ...own,
      "<aws_cloudwatch_metric_alarm.alert_failures[0].arn>",
      "the extra alarm",
    ]);
    expect(alarmsOf({})).toEqual([...own, "the extra alarm"]);
    // The caller's extra alarms: the single-account module's re-evaluation alarm when it has one, nothing else.
    const reevaluation = {
      create_root_activity_alerts: true,
      create_notifications: true,
      root_activity_alert_reevaluate: true,
      cloudtrail_lookup: true,
      alarm_on_failures: true,
    };
    expect(inMod(notificationsCall.extra_alarm_arns, reevaluation)).toEqual([
      "<aws_cloudwatch_metric_alarm.reevaluate_failures[0].arn>",
    ]);
    expect(
      inMod(notificationsCall.extra_alarm_arns, { ...reevaluation, root_activity_alert_reevaluate: false }),
    ).toEqual([]);
    // EventBridge is not in the topic policy: SNS topic policies cannot put conditions on it, so
    // it publishes through the role above.
    expect(JSON.stringify(all)).not.toContain("events.amazonaws.com");
  });

  it("no policy of the notifications has a wildcard principal, NotAction, NotPrincipal or NotResource", () => {
    const documents = declaredInNotifications()
      .filter(([address]) => address.startsWith("data.aws_iam_policy_document."))
      .map(([address, block]) => [address, statements(block)] as const);
    expect(documents.map(([address]) => address).sort()).toEqual([
      "data.aws_iam_policy_document.key",
      "data.aws_iam_policy_document.publisher",
      "data.aws_iam_policy_document.publisher_assume_role",
      "data.aws_iam_policy_document.topic",
    ]);
    for (const [address, all] of documents) {
      for (const statement of all) {
        expect(statement.effect, address).toBe("Allow");
        for (const principal of statement.principals ?? []) {
          expect(principal.type, address).not.toBe("*");
          expect(principal.identifiers, address).not.toContain("*");
        }
        expect(statement.not_actions, address).toBeUndefined();
        expect(statement.not_principals, address).toBeUndefined();
        expect(statement.not_resources, address).toBeUndefined();
      }
    }
  });

  it("the module's key: the account's IAM policies administer it, CloudWatch (this account) may encrypt", () => {
    const key = resource("aws_kms_key", "this");
    expect(key.enable_key_rotation).toBe(true);
    // Created exactly when local.create_key is true.
    expect(instanceCount(key, { "local.create_key": true })).toBe(1);
    expect(instanceCount(key, { "local.create_key": false })).toBe(0);
    const all = statements(policyDocument(key.policy));
    const root = all.find((statement) => statement.actions?.includes("kms:*"));
    // This account's IAM policies (its root principal, in this partition).
    expect(inShared(root?.principals, OWN_TOPIC)).toEqual([
      { type: "AWS", identifiers: [`arn:<data.aws_partition.current.partition>:iam::${ACCOUNT_ID}:root`] },
    ]);
    const services = all.filter((statement) => statement !== root);
    expect(services).toHaveLength(1);
    expect(services[0]?.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(services[0]?.actions).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
    expect(inShared(services[0]?.condition, OWN_TOPIC)).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
    ]);
    // No service principal, EventBridge included, gets the key without the alarms needing it.
    expect(JSON.stringify(all)).not.toContain("events.amazonaws.com");
    // CloudWatch's statement only with the alarms.
    const [cloudwatch, ...moreDynamic] = dynamicBlocks(policyDocument(key.policy), "statement");
    expect(moreDynamic).toEqual([]);
    expect(inShared(cloudwatch?.for_each, OWN_TOPIC)).toEqual(["cloudwatch"]);
    expect(inShared(cloudwatch?.for_each, { ...OWN_TOPIC, alarm_on_failures: false })).toEqual([]);
  });

  it("the module's topic is encrypted with a customer managed key, never alias/aws/sns", () => {
    const topic = resource("aws_sns_topic", "this");
    // The module's own key, or the key given for it (whose validation refuses an alias).
    expect(inShared(topic.kms_master_key_id, OWN_TOPIC)).toBe("<aws_kms_key.this[0].arn>");
    expect(inShared(topic.kms_master_key_id, { ...OWN_TOPIC, kms_key_arn: GIVEN_KEY })).toBe(GIVEN_KEY);
    expect(notificationsSource).not.toContain('"alias/aws/sns"');
    expect(sharedSource).not.toContain('"alias/aws/sns"');
    // Created exactly when no topic is given.
    expect(inShared(topic.count, OWN_TOPIC)).toBe(1);
    expect(inShared(topic.count, GIVEN_TOPIC_AND_KEY)).toBe(0);
  });

  it("subscribes each e-mail address to the topic", () => {
    const subscription = resource("aws_sns_topic_subscription", "email");
    expect(subscription.protocol).toBe("email");
    const emails = ["b@example.com", "a@example.com", "b@example.com"];
    for (const [vars, topic] of [
      [OWN_TOPIC, "<aws_sns_topic.this[0].arn>"],
      [GIVEN_TOPIC_AND_KEY, GIVEN_TOPIC],
    ] as const) {
      const given = { ...vars, emails };
      // Each address once, to the topic.
      expect(inShared(subscription.for_each, given)).toEqual(["a@example.com", "b@example.com"]);
      for (const email of ["a@example.com", "b@example.com"]) {
        const each = { each: { key: email, value: email } };
        expect(inShared(subscription.endpoint, given, each)).toBe(email);
        expect(inShared(subscription.topic_arn, given, each)).toBe(topic);
      }
    }
    expect(
      evaluateExpression(notificationsCall.emails, moduleScope(mod, { notification_emails: emails })),
    ).toEqual(emails);
  });
});

describe("failure alarms", () => {
  const alarms = shared.resources.aws_cloudwatch_metric_alarm ?? {};
  const descriptions = (notificationsCall.alarm_descriptions ?? {}) as Record<string, string>;
  const metricsSource = readFile("rule/metrics.ts", "utf8");

  it("are the three alarms, counted on alarm_on_failures, publishing ALARM and OK to the topic", () => {
    for (const on of [true, false])
      expect(inMod(notificationsCall.alarm_on_failures, { alarm_on_failures: on })).toBe(on);
    // alert_failures, of the root activity alerts, is checked in terraform-root-activity-alerts.test.ts.
    expect(Object.keys(alarms).sort()).toEqual([
      "alert_failures",
      "evaluator_errors",
      "no_evaluations",
      "notification_failures",
    ]);
    for (const [name, alarm] of Object.entries(alarms).filter(([name]) => name !== "alert_failures")) {
      for (const on of [true, false])
        expect(inShared(alarm.count, { ...OWN_TOPIC, alarm_on_failures: on }), name).toBe(on ? 1 : 0);
      expect(inShared(alarm.alarm_actions, OWN_TOPIC), name).toEqual(["<aws_sns_topic.this[0].arn>"]);
      expect(inShared(alarm.ok_actions, GIVEN_TOPIC_AND_KEY), name).toEqual([GIVEN_TOPIC]);
      expect(alarm.statistic, name).toBe("Sum");
      // The caller's description of that alarm.
      const given = { alarm_descriptions: { [name]: `what ${name} means` } };
      expect(inShared(alarm.alarm_description, given), name).toBe(`what ${name} means`);
      expect(String(descriptions[name]).length, name).toBeGreaterThan(40);
    }
  });

  it("evaluator_errors: Lambda Errors of this function, any error in 5 minutes", () => {
    const alarm = alarms.evaluator_errors ?? {};
    expect(alarm.namespace).toBe("AWS/Lambda");
    expect(alarm.metric_name).toBe("Errors");
    // The function the caller passes: its evaluator's.
    expect(inShared(alarm.dimensions, { function_name: "the-function" })).toEqual({
      FunctionName: "the-function",
    });
    expect(evaluateExpression(notificationsCall.function_name, moduleScope(mod, {}))).toBe(
      "<module.evaluator.function_name>",
    );
    expect([alarm.comparison_operator, alarm.threshold, alarm.period, alarm.evaluation_periods]).toEqual([
      "GreaterThanThreshold",
      0,
      300,
      1,
    ]);
    expect(alarm.treat_missing_data).toBe("notBreaching");
  });

  it("no_evaluations: the function's EvaluationsPosted, none in two rule periods, missing data breaching", async () => {
    const alarm = alarms.no_evaluations ?? {};
    // The namespace the function writes its metrics to.
    expect(inShared(alarm.namespace, OWN_TOPIC)).toBe(METRICS_NAMESPACE);
    expect(alarm.metric_name).toBe("EvaluationsPosted");
    expect(await metricsSource).toContain('addMetric("EvaluationsPosted", MetricUnit.Count, 1)');
    // Powertools' `service` dimension is POWERTOOLS_SERVICE_NAME, which the evaluator module sets to
    // the function name, and gives as its function_name output.
    expect(inShared(alarm.dimensions, { function_name: "the-function" })).toEqual({
      service: "the-function",
    });
    expect(evaluateExpression(notificationsCall.function_name, moduleScope(mod, {}))).toBe(
      "<module.evaluator.function_name>",
    );
    const fn = declarations(evaluator).resource("aws_lambda_function", "this");
    const inEvaluator = (expression: unknown): Value =>
      evaluateExpression(expression, moduleScope(evaluator, { name: "the-function", log_level: "INFO" }));
    expect(inEvaluator(nested(fn, "environment").variables)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: inEvaluator(fn.function_name),
    });
    expect(inEvaluator(fn.function_name)).toBe("the-function");
    expect([alarm.comparison_operator, alarm.threshold]).toEqual(["LessThanThreshold", 1]);
    // Periods of the rule period of the frequency the caller passes unchanged (two of them, below).
    for (const [frequency, seconds] of [
      ["One_Hour", 3600],
      ["TwentyFour_Hours", 86400],
    ] as const) {
      expect(inShared(alarm.period, { maximum_execution_frequency: frequency }), frequency).toBe(seconds);
      expect(
        evaluateExpression(
          notificationsCall.maximum_execution_frequency,
          moduleScope(mod, { maximum_execution_frequency: frequency }),
        ),
      ).toBe(frequency);
    }
    expect([alarm.evaluation_periods, alarm.datapoints_to_alarm]).toEqual([2, 2]);
    expect(alarm.treat_missing_data).toBe("breaching");
  });

  it("the rule period in seconds covers every frequency, within CloudWatch's alarm limits", () => {
    const seconds = shared.locals.rule_period_seconds as Record<string, number>;
    // Exactly the frequencies both modules accept have a period.
    for (const module of [mod, shared]) {
      const accepted = sampleValues("maximum_execution_frequency").filter((frequency) =>
        accepts(module.variables, "maximum_execution_frequency", frequency),
      );
      expect(accepted.length, module.dir).toBeGreaterThan(0);
      expect(Object.keys(seconds).sort(), module.dir).toEqual([...new Set(accepted)].sort());
    }
    expect(seconds).toEqual({
      One_Hour: 3600,
      Three_Hours: 3 * 3600,
      Six_Hours: 6 * 3600,
      Twelve_Hours: 12 * 3600,
      TwentyFour_Hours: 24 * 3600,
    });
    for (const [frequency, period] of Object.entries(seconds)) {
      expect(period % 60, frequency).toBe(0);
      // Period x evaluation periods may not exceed 7 days, and 1 day for periods under an hour.
      expect(period, frequency).toBeGreaterThanOrEqual(3600);
      expect(period * 2, frequency).toBeLessThanOrEqual(7 * 86_400);
    }
  });

  it("notification_failures: EventBridge FailedInvocations of the compliance rule", () => {
    const alarm = alarms.notification_failures ?? {};
    expect(alarm.namespace).toBe("AWS/Events");
    expect(alarm.metric_name).toBe("FailedInvocations");
    // The compliance rule's; on the default bus (this module passes no event_bus_name), its name alone.
    expect(inShared(alarm.dimensions, OWN_TOPIC)).toEqual({
      RuleName: "<aws_cloudwatch_event_rule.this.name>",
    });
    expect(inShared(alarm.dimensions, { ...OWN_TOPIC, event_bus_name: "the-bus" })).toEqual({
      EventBusName: "the-bus",
      RuleName: "<aws_cloudwatch_event_rule.this.name>",
    });
    expect(notificationsCall).not.toHaveProperty("event_bus_name");
    expect([alarm.comparison_operator, alarm.threshold, alarm.treat_missing_data]).toEqual([
      "GreaterThanThreshold",
      0,
      "notBreaching",
    ]);
  });
});

describe("notification outputs", () => {
  it("give the topic, the key, the EventBridge rule and the alarms, null when off", () => {
    /** The output `name` of the module for `vars`, its notifications module's outputs evaluated. */
    const value = (name: string, vars: Record<string, Value>): Value =>
      evaluateExpression(
        mod.outputs[name]?.value,
        moduleScope(mod, vars, { modules: { notifications: shared } }),
      );
    const on = {
      name: "ra",
      create_notifications: true,
      notification_topic_arn: null,
      notification_kms_key_arn: null,
      alarm_on_failures: true,
    };
    // The module's own topic and key, or the given topic and no key of the module's.
    expect(value("notification_topic_arn", on)).toBe("<aws_sns_topic.this[0].arn>");
    expect(value("notification_kms_key_arn", on)).toBe("<aws_kms_key.this[0].arn>");
    const given = { ...on, notification_topic_arn: GIVEN_TOPIC, notification_kms_key_arn: GIVEN_KEY };
    expect(value("notification_topic_arn", given)).toBe(GIVEN_TOPIC);
    expect(value("notification_kms_key_arn", given)).toBeNull();
    expect(value("compliance_event_rule_arn", on)).toBe("<aws_cloudwatch_event_rule.this.arn>");
    expect(value("failure_alarm_arns", on)).toEqual({
      evaluator_errors: "<aws_cloudwatch_metric_alarm.evaluator_errors[0].arn>",
      no_evaluations: "<aws_cloudwatch_metric_alarm.no_evaluations[0].arn>",
      notification_failures: "<aws_cloudwatch_metric_alarm.notification_failures[0].arn>",
    });
    expect(value("failure_alarm_arns", { ...on, alarm_on_failures: false })).toBeNull();
    // Null when create_notifications is false.
    for (const name of [
      "notification_topic_arn",
      "notification_kms_key_arn",
      "compliance_event_rule_arn",
      "failure_alarm_arns",
    ]) {
      expect(value(name, { ...on, create_notifications: false }), name).toBeNull();
    }
  });
});

describe("documentation and example", () => {
  it("the module README documents the notifications and lists them in its tables", async () => {
    const readme = await readFile(join(TERRAFORM_DIR, "README.md"), "utf8");
    expect(readme).toContain("## Notifications");
    for (const text of [
      "create_notifications",
      "Config Rules Compliance Change",
      "OrgConfigRule-",
      "alias/aws/sns",
      "EvaluationsPosted",
    ]) {
      expect(readme).toContain(text);
    }
    for (const [section, table] of docsTables(mod)) {
      expect(readme, section).toContain(`## ${section}\n\n${table}\n`);
    }
  });

  it("the notifications module's README documents it and lists it in its tables", async () => {
    const readme = await readFile(join(shared.dir, "README.md"), "utf8");
    for (const text of ["count = var.create_notifications ? 1 : 0", "alias/aws/sns", "EvaluationsPosted"]) {
      expect(readme).toContain(text);
    }
    for (const [section, table] of docsTables(shared)) {
      expect(readme, section).toContain(`## ${section}\n\n${table}\n`);
    }
  });

  it("the example shows the opt-in", async () => {
    const [, call] = Object.entries(example.modules)[0] ?? [];
    // On exactly when there are e-mail addresses to notify, which it passes unchanged.
    const inExample = (expression: unknown, emails: string[]): Value =>
      evaluateExpression(expression, moduleScope(example, { notification_emails: emails }));
    expect(inExample(call?.create_notifications, ["a@example.com"])).toBe(true);
    expect(inExample(call?.create_notifications, [])).toBe(false);
    expect(inExample(call?.notification_emails, ["a@example.com"])).toEqual(["a@example.com"]);
    expect(example.variables.notification_emails?.default).toEqual([]);
    // The module's topic.
    expect(inExample(example.outputs.notification_topic_arn?.value, [])).toBe(
      "<module.root_activity.notification_topic_arn>",
    );
    const readme = await readFile(join(EXAMPLE_DIR, "README.md"), "utf8");
    expect(readme).toContain("notification_emails");
  });
});
