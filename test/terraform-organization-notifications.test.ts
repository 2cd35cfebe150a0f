// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * The opt-in notifications of the organization module (terraform/modules/organization/
 * notifications.tf and the forwarding resources of its StackSet template): parsed with the real
 * HCL parser, checked for format, least privilege (who may put events on the central bus, what
 * the forwarding roles may do), the EventBridge pattern (evaluated against sample organization
 * events, prefix filter included), the message (rendered with the input transformer model), the
 * alarms (against the metrics the function writes) and the documentation.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { METRICS_NAMESPACE } from "../rule/metrics.ts";
import {
  type Block,
  declarations,
  loadModule,
  nested,
  policyDocumentOf,
  policyStatements,
  undocumentedOutputs,
  undocumentedVariables,
  unwrap,
  validationConditions,
} from "./support/hcl.ts";
import {
  complianceChangeEvent,
  type InputTransformer,
  MAX_TEMPLATE_LENGTH,
  messageText,
  placeholders,
  render,
} from "./support/input-transformer.ts";

const MODULE_DIR = join("terraform", "modules", "organization");
const EXAMPLE_DIR = join("terraform", "examples", "organization");

const mod = await loadModule(MODULE_DIR);
const root = await loadModule("terraform");
const { resource, data, variable } = declarations(mod);
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

const MEMBER_ACCOUNT = "111122223333";
const NAME = "root-activity";
const MEMBER_RULE = `OrgConfigRule-${NAME}-abc123`;

// ---------------------------------------------------------------------------------------------
// A model of EventBridge matching for the patterns used here: exact values and `prefix`.
// ---------------------------------------------------------------------------------------------

type Pattern = { [key: string]: unknown[] | Pattern };

function matchesValue(option: unknown, candidate: unknown): boolean {
  if (typeof option === "object" && option !== null) {
    const keys = Object.keys(option);
    const prefix = (option as { prefix?: unknown }).prefix;
    if (keys.length !== 1 || typeof prefix !== "string") {
      throw new Error(`only the prefix filter is modelled: ${JSON.stringify(option)}`);
    }
    return typeof candidate === "string" && candidate.startsWith(prefix);
  }
  return candidate !== undefined && option === candidate;
}

function matches(pattern: Pattern, event: unknown): boolean {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const value = (event as Record<string, unknown>)[key];
    if (Array.isArray(expected)) {
      const candidates = Array.isArray(value) ? value : [value];
      return candidates.some((candidate) => expected.some((option) => matchesValue(option, candidate)));
    }
    if (typeof expected !== "object" || expected === null) throw new Error(`bad pattern at ${key}`);
    return matches(expected as Pattern, value);
  });
}

/** The module's pattern with its references replaced by values. */
function eventPattern(values: { name: string; notifyOn: readonly string[] }): Pattern {
  const prefix = String(mod.locals.member_rule_name_prefix).replace("${var.name}", values.name);
  const resolve = (node: unknown): unknown => {
    if (node === "${local.member_rule_name_prefix}") return prefix;
    if (node === "${var.notify_on}") return [...values.notifyOn];
    if (typeof node === "string") {
      if (node.includes("${")) throw new Error(`unresolved reference ${node}`);
      return node;
    }
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
    }
    return node;
  };
  return resolve(mod.locals.compliance_event_pattern) as Pattern;
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
    const gates: Record<string, string> = {
      "var.create_notifications": "var.create_notifications",
      "local.create_notification_topic": unwrap(mod.locals.create_notification_topic),
      "local.create_notification_key": unwrap(mod.locals.create_notification_key),
      "local.create_failure_alarms": unwrap(mod.locals.create_failure_alarms),
      "local.forward_here": unwrap(mod.locals.forward_here),
    };
    expect(gates["local.create_notification_topic"]).toMatch(/^var\.create_notifications && /);
    expect(gates["local.create_notification_key"]).toMatch(/^local\.create_notification_topic && /);
    expect(gates["local.create_failure_alarms"]).toBe("var.create_notifications && var.alarm_on_failures");
    expect(gates["local.forward_here"]).toBe('var.create_notifications && var.call_as == "SELF"');

    const declared = declaredInNotifications();
    expect(declared.length).toBeGreaterThan(15);
    for (const [address, block] of declared) {
      const switchExpression = unwrap(block.count ?? block.for_each);
      const gate = Object.keys(gates).find((name) => switchExpression.startsWith(name));
      expect(gate, `${address}: ${switchExpression}`).toBeDefined();
      expect(switchExpression, address).toMatch(
        /\? (1 : 0|toset\(var\.notification_emails\) : toset\(\[\]\))$/,
      );
    }
    // The StackSet template gets the forwarding resources only with notifications.
    expect(unwrap(mod.locals.stack_set_template)).toContain(
      "{ for logical_id, resource in local.compliance_forwarding_resources : logical_id => resource if var.create_notifications }",
    );
  });

  it("names fit their services' limits for the longest name the module accepts", () => {
    const longest = "a".repeat(46);
    expect(validationConditions(variable("name"))[0]).toContain("{0,45}");
    const names: [string, unknown, number][] = [
      ["IAM role", mod.locals.notification_role, 64],
      ["forwarding IAM role", mod.locals.forwarding_role, 64],
      ["EventBridge rule", mod.locals.compliance_event_rule, 64],
      ["forwarding EventBridge rule", mod.locals.forwarding_event_rule, 64],
      ["event bus", mod.locals.compliance_event_bus, 256],
      ["SNS topic", mod.locals.notification_topic_name, 256],
      ["KMS alias", mod.locals.notification_kms_alias, 256],
      ["IAM role policy", resource("aws_iam_role_policy", "notifications").name, 128],
      ["forwarding IAM role policy", resource("aws_iam_role_policy", "forward_here").name, 128],
      ...Object.entries(mod.resources.aws_cloudwatch_metric_alarm ?? {}).map(
        ([name, alarm]) => [`alarm ${name}`, alarm.alarm_name, 255] as [string, unknown, number],
      ),
    ];
    for (const [what, template, limit] of names) {
      const value = String(template)
        .replaceAll("${var.name}", longest)
        .replaceAll("${local.notification_role}", `${longest}-notifications`)
        .replaceAll("${local.forwarding_role}", `${longest}-forwarder`);
      expect(value, what).not.toContain("${");
      expect(value.length, what).toBeLessThanOrEqual(limit);
    }
  });

  it("tags every taggable resource it creates", () => {
    for (const [address, block] of declaredInNotifications()) {
      const taggable =
        /^(aws_kms_key|aws_sns_topic|aws_iam_role|aws_cloudwatch_event_rule|aws_cloudwatch_event_bus|aws_cloudwatch_metric_alarm)\./;
      if (taggable.test(address)) expect(unwrap(block.tags), address).toBe("local.tags");
    }
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
      expect(validationConditions(here), name).toEqual(validationConditions(there));
    }
    expect(variable("notify_on").default).toEqual(["NON_COMPLIANT", "COMPLIANT"]);
    expect(variable("alarm_on_failures").default).toBe(true);
    expect(variable("notification_emails").default).toEqual([]);
  });
});

describe("central event bus: only the organization may put events", () => {
  const bus = resource("aws_cloudwatch_event_bus", "compliance");
  const policy = resource("aws_cloudwatch_event_bus_policy", "compliance");
  const statements = policyStatements(policyDocumentOf(mod, policy.policy));

  it("is the bus <name>-compliance, whose ARN the member accounts target", () => {
    expect(bus.name).toBe("${local.compliance_event_bus}");
    expect(mod.locals.compliance_event_bus).toBe("${var.name}-compliance");
    expect(mod.locals.compliance_event_bus_arn).toBe(
      "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${local.compliance_event_bus}",
    );
    expect(unwrap(policy.event_bus_name)).toBe("aws_cloudwatch_event_bus.compliance[0].name");
  });

  it("allows only events:PutEvents on this bus, only to principals of this organization", () => {
    expect(statements).toEqual([
      {
        sid: "OrganizationPutEvents",
        effect: "Allow",
        actions: ["events:PutEvents"],
        resources: ["${aws_cloudwatch_event_bus.compliance[0].arn}"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [
          { test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["${local.organization_id}"] },
        ],
      },
    ]);
    expect(unwrap(mod.locals.organization_id)).toBe("data.aws_organizations_organization.current.id");
  });
});

describe("the compliance change pattern (member rules and central rule)", () => {
  const pattern = eventPattern({ name: NAME, notifyOn: variable("notify_on").default as string[] });

  it("is exact: AWS Config, compliance changes, OrgConfigRule-<name>- by prefix, notify_on", () => {
    expect(mod.locals.member_rule_name_prefix).toBe("OrgConfigRule-${var.name}-");
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
    expect(forwarding.ComplianceForwardingRule?.Properties.EventPattern).toBe(
      "${local.compliance_event_pattern}",
    );
    for (const name of ["forward_here", "compliance_change"]) {
      expect(unwrap(resource("aws_cloudwatch_event_rule", name).event_pattern)).toBe(
        "jsonencode(local.compliance_event_pattern)",
      );
    }
    // Member accounts and this account's forwarder: the default bus; the central rule: the bus.
    expect(resource("aws_cloudwatch_event_rule", "forward_here")).not.toHaveProperty("event_bus_name");
    expect(forwarding.ComplianceForwardingRule?.Properties).not.toHaveProperty("EventBusName");
    expect(unwrap(resource("aws_cloudwatch_event_rule", "compliance_change").event_bus_name)).toBe(
      "aws_cloudwatch_event_bus.compliance[0].name",
    );
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
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
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
                "Fn::Sub":
                  "arn:$${AWS::Partition}:events:$${AWS::Region}:$${AWS::AccountId}:rule/${local.forwarding_event_rule}",
              },
            },
          },
        },
      ],
    });
    expect(rule?.Properties.Name).toBe("${local.forwarding_event_rule}");
  });

  it("the role may only events:PutEvents on the central bus", () => {
    const policies = role?.Properties.Policies as { PolicyDocument: unknown }[];
    expect(policies).toHaveLength(1);
    expect(policies[0]?.PolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PutEventsToCentralBus",
          Effect: "Allow",
          Action: "events:PutEvents",
          Resource: "${local.compliance_event_bus_arn}",
        },
      ],
    });
  });

  it("the rule targets the central bus through the role (the bus grants an organization)", () => {
    expect(rule?.Properties.State).toBe("ENABLED");
    expect(rule?.Properties.Targets).toEqual([
      {
        Id: "central-compliance-bus",
        Arn: "${local.compliance_event_bus_arn}",
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
    expect(trust[0]?.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["${local.account_id}"] },
      {
        test: "ArnEquals",
        variable: "aws:SourceArn",
        values: ["${aws_cloudwatch_event_rule.forward_here[0].arn}"],
      },
    ]);
    expect(policyStatements(data("aws_iam_policy_document", "forward_here"))).toEqual([
      {
        sid: "PutEventsToCentralBus",
        effect: "Allow",
        actions: ["events:PutEvents"],
        resources: ["${aws_cloudwatch_event_bus.compliance[0].arn}"],
      },
    ]);
    const target = resource("aws_cloudwatch_event_target", "forward_here");
    expect(unwrap(target.arn)).toBe("aws_cloudwatch_event_bus.compliance[0].arn");
    expect(unwrap(target.role_arn)).toBe("aws_iam_role.forward_here[0].arn");
    expect(resource("aws_iam_role", "forward_here").name).toBe("${local.forwarding_role}");
  });
});

describe("central rule -> topic", () => {
  const target = resource("aws_cloudwatch_event_target", "notifications");

  it("publishes through a role only the central rule can assume, which may only publish to the topic", () => {
    expect(unwrap(target.role_arn)).toBe("aws_iam_role.notifications[0].arn");
    expect(unwrap(target.event_bus_name)).toBe("aws_cloudwatch_event_bus.compliance[0].name");
    const trust = policyStatements(data("aws_iam_policy_document", "notifications_assume_role"));
    expect(trust[0]?.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["${local.account_id}"] },
      {
        test: "ArnEquals",
        variable: "aws:SourceArn",
        values: ["${aws_cloudwatch_event_rule.compliance_change[0].arn}"],
      },
    ]);
    const actions = policyStatements(data("aws_iam_policy_document", "notifications")).flatMap(
      (statement) => statement.actions ?? [],
    );
    expect(actions.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"]);
  });

  it("the topic policy lets only CloudWatch publish, for this module's alarms in this account", () => {
    const [statement, ...more] = policyStatements(data("aws_iam_policy_document", "notifications_topic"));
    expect(more).toEqual([]);
    expect(statement?.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(statement?.actions).toEqual(["sns:Publish"]);
  });
});

describe("the message of an organization compliance change", () => {
  const block = nested(resource("aws_cloudwatch_event_target", "notifications"), "input_transformer");
  const rootBlock = nested(
    declarations(root).resource("aws_cloudwatch_event_target", "notifications"),
    "input_transformer",
  );
  const rawTemplate = String(mod.locals.notification_input_template);
  const pointer = unwrap(mod.locals.notification_pointer);

  const templateFor = (withAggregator: boolean): string => {
    const match = /^var\.create_aggregator \? "(.*)" : "(.*)"$/.exec(pointer);
    if (match === null) throw new Error(`unexpected pointer ${pointer}`);
    const text = (withAggregator ? match[1] : match[2]) ?? "";
    const resolved = text
      .replaceAll("${local.aggregator_name}", NAME)
      .replaceAll("${local.rule_name}", NAME)
      .replaceAll("${local.account_id}", "123456789012");
    return rawTemplate.replace("${local.notification_pointer}", resolved);
  };

  it("reuses the single-account module's input paths and template text", () => {
    expect(unwrap(block.input_template)).toBe("local.notification_input_template");
    expect(block.input_paths).toEqual(rootBlock.input_paths);
    const rootTemplate = String(rootBlock.input_template);
    const shared = rootTemplate.slice(0, rootTemplate.indexOf("<annotation> ") + "<annotation> ".length);
    expect(rawTemplate.startsWith(shared)).toBe(true);
    expect(placeholders(rawTemplate).sort()).toEqual(Object.keys(rootBlock.input_paths as object).sort());
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
    const errors = resource("aws_cloudwatch_metric_alarm", "evaluator_errors");
    expect(errors.namespace).toBe("AWS/Lambda");
    expect(errors.metric_name).toBe("Errors");
    expect(errors.dimensions).toEqual({ FunctionName: "${module.evaluator.function_name}" });

    const none = resource("aws_cloudwatch_metric_alarm", "no_evaluations");
    expect(mod.locals.metrics_namespace).toBe(METRICS_NAMESPACE);
    expect(unwrap(none.namespace)).toBe("local.metrics_namespace");
    expect(none.metric_name).toBe("EvaluationsPosted");
    expect(await readFile("rule/metrics.ts", "utf8")).toContain(
      'addMetric("EvaluationsPosted", MetricUnit.Count, 1)',
    );
    expect(none.dimensions).toEqual({ service: "${module.evaluator.function_name}" });
    expect(unwrap(none.period)).toBe("local.rule_period_seconds[var.maximum_execution_frequency]");
    expect(mod.locals.rule_period_seconds).toEqual(root.locals.rule_period_seconds);
    expect([none.evaluation_periods, none.datapoints_to_alarm, none.threshold]).toEqual([2, 2, 1]);
    expect(none.comparison_operator).toBe("LessThanThreshold");
    expect(none.treat_missing_data).toBe("breaching");

    const failures = resource("aws_cloudwatch_metric_alarm", "notification_failures");
    expect(failures.namespace).toBe("AWS/Events");
    expect(failures.metric_name).toBe("FailedInvocations");
    // Metrics of a rule on a custom bus have both dimensions.
    expect(failures.dimensions).toEqual({
      EventBusName: "${aws_cloudwatch_event_bus.compliance[0].name}",
      RuleName: "${aws_cloudwatch_event_rule.compliance_change[0].name}",
    });

    for (const alarm of [errors, none, failures]) {
      expect(unwrap(alarm.count)).toBe("local.create_failure_alarms ? 1 : 0");
      expect(alarm.alarm_actions).toEqual(["${local.notification_topic_arn}"]);
      expect(alarm.ok_actions).toEqual(["${local.notification_topic_arn}"]);
    }
  });
});

describe("duplicated from the single-account module (no shared module yet): kept identical", () => {
  it.each(["notifications_key", "notifications_topic", "notifications_assume_role", "notifications"])(
    "the %s policy document",
    (name) => {
      const here = data("aws_iam_policy_document", name);
      const there = declarations(root).data("aws_iam_policy_document", name);
      expect(here.count).toEqual(there.count);
      expect(policyStatements(here)).toEqual(policyStatements(there));
    },
  );

  it.each([
    "create_notification_topic",
    "create_notification_key",
    "encrypt_notifications",
    "create_failure_alarms",
    "notification_topic_name",
    "notification_kms_alias",
    "notification_role",
    "compliance_event_rule",
    "notification_topic_arn",
    "notification_kms_key_arn",
    "metrics_namespace",
    "rule_period_seconds",
  ])("local.%s", (name) => {
    expect(mod.locals[name]).toEqual(root.locals[name]);
  });

  it("the key, topic, topic policy, subscriptions, role and alarms, except their descriptions and dimensions", () => {
    const ignored = new Set([
      "description",
      "alarm_description",
      "dimensions",
      "event_bus_name",
      "event_pattern",
      "input_transformer",
    ]);
    const strip = (block: Block): Block =>
      Object.fromEntries(Object.entries(block).filter(([key]) => !ignored.has(key)));
    for (const [type, name] of [
      ["aws_kms_key", "notifications"],
      ["aws_kms_alias", "notifications"],
      ["aws_sns_topic", "notifications"],
      ["aws_sns_topic_policy", "notifications"],
      ["aws_sns_topic_subscription", "email"],
      ["aws_iam_role", "notifications"],
      ["aws_iam_role_policy", "notifications"],
      ["aws_cloudwatch_event_target", "notifications"],
      ["aws_cloudwatch_metric_alarm", "evaluator_errors"],
      ["aws_cloudwatch_metric_alarm", "no_evaluations"],
      ["aws_cloudwatch_metric_alarm", "notification_failures"],
    ] as const) {
      expect(strip(resource(type, name)), `${type}.${name}`).toEqual(
        strip(declarations(root).resource(type, name)),
      );
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
