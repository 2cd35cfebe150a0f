// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * The opt-in notifications of the Terraform module (terraform/notifications.tf): parsed with the
 * real HCL parser, checked for format, least privilege (who may publish to the topic and use its
 * key), the EventBridge pattern (evaluated against sample events), the alarms (against the
 * metrics the function writes) and the documentation.
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
  docsTables,
  dynamicBlocks,
  loadModule,
  nested,
  nestedAll,
  policyDocumentOf,
  policyStatements,
  references,
  unwrap,
  validationConditions,
} from "./support/hcl.ts";
import { complianceChangeEvent } from "./support/input-transformer.ts";

const TERRAFORM_DIR = "terraform";
const EXAMPLE_DIR = join(TERRAFORM_DIR, "examples", "single-account");

const mod = await loadModule(TERRAFORM_DIR);
const evaluator = await loadModule(join(TERRAFORM_DIR, "modules", "evaluator"));
const example = await loadModule(EXAMPLE_DIR);
const notificationsSource = await readFile(join(TERRAFORM_DIR, "notifications.tf"), "utf8");
const notificationsJson = (await parse("notifications.tf", notificationsSource)) as Record<
  string,
  Record<string, Record<string, unknown>>
>;

const { resource, data, variable } = declarations(mod);
const statements = policyStatements;
const policyDocument = (expression: unknown): Block => policyDocumentOf(mod, expression);

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

const NEW_VARIABLES = [
  "create_notifications",
  "notification_topic_arn",
  "notification_kms_key_arn",
  "notification_emails",
  "notify_on",
  "alarm_on_failures",
];

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
    // The switches the counts use, each implying create_notifications.
    const gates: Record<string, string> = {
      "var.create_notifications": "var.create_notifications",
      "local.create_notification_topic": unwrap(mod.locals.create_notification_topic),
      "local.create_notification_key": unwrap(mod.locals.create_notification_key),
      "local.create_failure_alarms": unwrap(mod.locals.create_failure_alarms),
    };
    expect(gates["local.create_notification_topic"]).toMatch(/^var\.create_notifications && /);
    expect(gates["local.create_notification_key"]).toMatch(/^local\.create_notification_topic && /);
    expect(gates["local.create_failure_alarms"]).toBe("var.create_notifications && var.alarm_on_failures");

    const declared = declaredInNotifications();
    expect(declared.length).toBeGreaterThan(10);
    for (const [address, block] of declared) {
      const switchExpression = unwrap(block.count ?? block.for_each);
      const gate = Object.keys(gates).find((name) => switchExpression.startsWith(name));
      expect(gate, `${address}: ${switchExpression}`).toBeDefined();
      expect(switchExpression, address).toMatch(
        /\? (1 : 0|toset\(var\.notification_emails\) : toset\(\[\]\))$/,
      );
    }
  });

  it("names fit their services' limits for the longest name the module accepts", () => {
    const longest = "a".repeat(48);
    const names: [string, unknown, number][] = [
      ["IAM role", mod.locals.notification_role, 64],
      ["EventBridge rule", mod.locals.compliance_event_rule, 64],
      ["SNS topic", mod.locals.notification_topic_name, 256],
      ["KMS alias", mod.locals.notification_kms_alias, 256],
      ["IAM role policy", resource("aws_iam_role_policy", "notifications").name, 128],
      ...Object.entries(mod.resources.aws_cloudwatch_metric_alarm ?? {}).map(
        ([name, alarm]) => [`alarm ${name}`, alarm.alarm_name, 255] as [string, unknown, number],
      ),
    ];
    for (const [what, template, limit] of names) {
      const value = String(template)
        .replace("${local.notification_role}", String(mod.locals.notification_role))
        .replaceAll("${var.name}", longest);
      expect(value, what).not.toContain("${");
      expect(value.length, what).toBeLessThanOrEqual(limit);
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
      for (const [name, block] of Object.entries(mod.resources[type] ?? {})) {
        expect(block.tags, `${type}.${name}`).toBe("${local.tags}");
      }
    }
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

  it.each(["notification_topic_arn", "notification_kms_key_arn", "notification_emails", "notify_on"])(
    "%s is validated",
    (name) => {
      const conditions = validationConditions(variable(name));
      expect(conditions.length).toBeGreaterThan(0);
      for (const condition of conditions) expect(condition).toContain(`var.${name}`);
    },
  );

  /** The regex of `can(regex("...", <subject>))` in a variable's condition. */
  function conditionRegex(name: string, subject: string): RegExp {
    const condition = validationConditions(variable(name)).join(" ");
    const match = new RegExp(`regex\\(("(?:[^"\\\\]|\\\\.)*"),\\s*${subject.replace(".", "\\.")}\\)`).exec(
      condition,
    );
    if (match?.[1] === undefined) throw new Error(`${name}: no regex on ${subject}`);
    return new RegExp(JSON.parse(match[1]) as string);
  }

  it("notification_topic_arn: null or a standard topic ARN", () => {
    const condition = validationConditions(variable("notification_topic_arn")).join(" ");
    expect(condition).toMatch(/^var\.notification_topic_arn == null \? true : /);
    const pattern = conditionRegex("notification_topic_arn", "var.notification_topic_arn");
    for (const good of [
      "arn:aws:sns:eu-west-1:123456789012:security-alerts",
      "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts_1",
    ]) {
      expect(pattern.test(good), good).toBe(true);
    }
    for (const bad of [
      "security-alerts",
      "arn:aws:sns:eu-west-1:123456789012:alerts.fifo",
      "arn:aws:sqs:eu-west-1:123456789012:alerts",
      "arn:aws:sns:eu-west-1:12345:alerts",
      "arn:aws:sns:eu-west-1:123456789012:alerts:5d1b2c3e-subscription",
    ]) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });

  it("notification_kms_key_arn: null or a key ARN (not an alias such as alias/aws/sns)", () => {
    const condition = validationConditions(variable("notification_kms_key_arn")).join(" ");
    expect(condition).toMatch(/^var\.notification_kms_key_arn == null \? true : /);
    const pattern = conditionRegex("notification_kms_key_arn", "var.notification_kms_key_arn");
    expect(pattern.test("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toBe(
      true,
    );
    for (const bad of ["alias/aws/sns", "arn:aws:kms:eu-west-1:123456789012:alias/aws/sns", "1234abcd"]) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });

  it("notification_emails: every entry is an e-mail address", () => {
    expect(validationConditions(variable("notification_emails")).join(" ")).toMatch(
      /^alltrue\(\[for email in var\.notification_emails : can\(regex\(/,
    );
    const pattern = conditionRegex("notification_emails", "email");
    for (const good of ["security@example.com", "first.last+root@sub.example.co.uk"]) {
      expect(pattern.test(good), good).toBe(true);
    }
    for (const bad of [
      "",
      "security",
      "security@example",
      "@example.com",
      "a b@example.com",
      "a@b@example.com",
    ]) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });

  it("notify_on: one or more distinct AWS Config compliance types", () => {
    const condition = validationConditions(variable("notify_on")).join(" ");
    const listed = /contains\((\[[^\]]*\]),\s*verdict\)/.exec(condition)?.[1];
    expect(JSON.parse(listed ?? "null")).toEqual(CONFIG_COMPLIANCE_TYPES);
    expect(condition).toContain("length(var.notify_on) > 0");
    expect(condition).toContain("length(distinct(var.notify_on)) == length(var.notify_on)");
    expect(condition).toContain("for verdict in var.notify_on");
  });
});

/** A tiny EventBridge pattern matcher: nested objects and arrays of exact values only. */
type Pattern = { readonly [key: string]: readonly unknown[] | Pattern };

function matches(pattern: Pattern, event: unknown): boolean {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const value = (event as Record<string, unknown>)[key];
    if (Array.isArray(expected)) {
      for (const option of expected) {
        if (typeof option === "object" && option !== null) {
          throw new Error(`content filters are not supported here: ${JSON.stringify(option)}`);
        }
      }
      const candidates = Array.isArray(value) ? value : [value];
      return candidates.some((candidate) => candidate !== undefined && expected.includes(candidate));
    }
    if (typeof expected !== "object" || expected === null) throw new Error(`bad pattern at ${key}`);
    return matches(expected as Pattern, value);
  });
}

/** The module's event pattern with its Terraform references replaced by values. */
function eventPattern(values: { ruleName: string; notifyOn: readonly string[] }): Pattern {
  const resolve = (node: unknown): unknown => {
    if (node === "${aws_config_config_rule.this.name}") return values.ruleName;
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

describe("EventBridge rule: this rule's compliance changes only", () => {
  const rule = resource("aws_cloudwatch_event_rule", "compliance_change");
  const defaults = { ruleName: "root-activity", notifyOn: variable("notify_on").default as string[] };
  const pattern = eventPattern(defaults);

  it("uses the pattern of local.compliance_event_pattern on the default bus", () => {
    expect(unwrap(rule.event_pattern)).toBe("jsonencode(local.compliance_event_pattern)");
    expect(rule).not.toHaveProperty("event_bus_name");
    expect(rule).not.toHaveProperty("schedule_expression");
    // The rule name in the pattern is the Config rule's, which is var.name.
    expect(mod.resources.aws_config_config_rule?.this?.name).toBe("${local.rule_name}");
    expect(mod.locals.rule_name).toBe("${var.name}");
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
      'var.notification_topic_arn == null ? true : split(":", var.notification_topic_arn)[3] == local.region',
    );
  });
});

describe("publishing to the topic: least privilege", () => {
  const target = resource("aws_cloudwatch_event_target", "notifications");

  it("the target publishes to the topic through the module's role", () => {
    expect(unwrap(target.rule)).toBe("aws_cloudwatch_event_rule.compliance_change[0].name");
    expect(unwrap(target.arn)).toBe("local.notification_topic_arn");
    expect(unwrap(target.role_arn)).toBe("aws_iam_role.notifications[0].arn");
    expect(references(target.depends_on)).toContain("aws_iam_role_policy.notifications");
    expect(unwrap(mod.locals.notification_topic_arn)).toMatch(
      /^var\.create_notifications \? \(\s*local\.create_notification_topic \? one\(aws_sns_topic\.notifications\[\*\]\.arn\) : var\.notification_topic_arn\s*\) : null$/,
    );
  });

  it("only this EventBridge rule, in this account, can assume the role", () => {
    const role = resource("aws_iam_role", "notifications");
    const [statement, ...others] = statements(policyDocument(role.assume_role_policy));
    expect(others).toEqual([]);
    expect(statement?.effect).toBe("Allow");
    expect(statement?.actions).toEqual(["sts:AssumeRole"]);
    expect(statement?.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    expect(statement?.condition).toEqual(
      expect.arrayContaining([
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["${local.account_id}"] },
        {
          test: "ArnEquals",
          variable: "aws:SourceArn",
          values: ["${aws_cloudwatch_event_rule.compliance_change[0].arn}"],
        },
      ]),
    );
  });

  it("the role may only publish to the topic and use the topic's key", () => {
    const role = resource("aws_iam_role", "notifications");
    expect(role.managed_policy_arns).toBeUndefined();
    expect(role.inline_policy).toBeUndefined();
    const onRole = (block: Block): boolean =>
      references(block.role ?? block.roles).includes("aws_iam_role.notifications");
    const inline = Object.values(mod.resources.aws_iam_role_policy ?? {}).filter(onRole);
    const attached = Object.values(mod.resources.aws_iam_role_policy_attachment ?? {}).filter(onRole);
    expect(inline).toHaveLength(1);
    expect(attached).toEqual([]);

    const granted = statements(policyDocument(inline[0]?.policy));
    expect(granted.map((statement) => [statement.actions, statement.resources])).toEqual([
      [["sns:Publish"], ["${local.notification_topic_arn}"]],
      [["kms:GenerateDataKey", "kms:Decrypt"], ["${statement.value}"]],
    ]);
    for (const statement of granted) {
      expect(statement.effect).toBe("Allow");
      expect(statement.not_actions).toBeUndefined();
      expect(statement.not_resources).toBeUndefined();
    }
    const kms = dynamicBlocks(policyDocument(inline[0]?.policy), "statement").map((block) =>
      unwrap(block.for_each),
    );
    expect(kms).toEqual(["local.encrypt_notifications ? [local.notification_kms_key_arn] : []"]);
    expect(unwrap(mod.locals.encrypt_notifications)).toBe(
      "local.create_notification_key || var.notification_kms_key_arn != null",
    );
  });

  it("the topic policy lets only CloudWatch publish, for this module's alarms in this account", () => {
    const policy = resource("aws_sns_topic_policy", "notifications");
    expect(unwrap(policy.arn)).toBe("aws_sns_topic.notifications[0].arn");
    const all = statements(policyDocument(policy.policy));
    expect(all).toHaveLength(1);
    const [statement] = all;
    expect(statement?.effect).toBe("Allow");
    expect(statement?.actions).toEqual(["sns:Publish"]);
    expect(statement?.resources).toEqual(["${aws_sns_topic.notifications[0].arn}"]);
    expect(statement?.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(statement?.condition).toContainEqual({
      test: "StringEquals",
      variable: "aws:SourceAccount",
      values: ["${local.account_id}"],
    });
    const sourceArn = statement?.condition?.find((condition) => condition.variable === "aws:SourceArn");
    expect(sourceArn?.test).toBe("ArnEquals");
    expect(references(sourceArn?.values)).toEqual([
      "aws_cloudwatch_metric_alarm.evaluator_errors",
      "aws_cloudwatch_metric_alarm.no_evaluations",
      "aws_cloudwatch_metric_alarm.notification_failures",
    ]);
    // EventBridge is not in the topic policy: SNS topic policies cannot put conditions on it, so
    // it publishes through the role above.
    expect(JSON.stringify(all)).not.toContain("events.amazonaws.com");
  });

  it("no policy of the notifications has a wildcard principal, NotAction, NotPrincipal or NotResource", () => {
    const documents = declaredInNotifications()
      .filter(([address]) => address.startsWith("data.aws_iam_policy_document."))
      .map(([address, block]) => [address, statements(block)] as const);
    expect(documents.map(([address]) => address).sort()).toEqual([
      "data.aws_iam_policy_document.notifications",
      "data.aws_iam_policy_document.notifications_assume_role",
      "data.aws_iam_policy_document.notifications_key",
      "data.aws_iam_policy_document.notifications_topic",
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
    const key = resource("aws_kms_key", "notifications");
    expect(key.enable_key_rotation).toBe(true);
    expect(unwrap(key.count)).toBe("local.create_notification_key ? 1 : 0");
    const all = statements(policyDocument(key.policy));
    const root = all.find((statement) => statement.actions?.includes("kms:*"));
    expect(root?.principals).toEqual([
      { type: "AWS", identifiers: ["arn:${local.partition}:iam::${local.account_id}:root"] },
    ]);
    const services = all.filter((statement) => statement !== root);
    expect(services).toHaveLength(1);
    expect(services[0]?.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(services[0]?.actions).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
    expect(services[0]?.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["${local.account_id}"] },
    ]);
    // No service principal, EventBridge included, gets the key without the alarms needing it.
    expect(JSON.stringify(all)).not.toContain("events.amazonaws.com");
    expect(
      dynamicBlocks(policyDocument(key.policy), "statement").map((block) => unwrap(block.for_each)),
    ).toEqual(['local.create_failure_alarms ? ["cloudwatch"] : []']);
  });

  it("the module's topic is encrypted with a customer managed key, never alias/aws/sns", () => {
    const topic = resource("aws_sns_topic", "notifications");
    expect(unwrap(topic.kms_master_key_id)).toBe("local.notification_kms_key_arn");
    expect(unwrap(mod.locals.notification_kms_key_arn)).toBe(
      "local.create_notification_key ? one(aws_kms_key.notifications[*].arn) : var.notification_kms_key_arn",
    );
    expect(notificationsSource).not.toContain('"alias/aws/sns"');
    expect(unwrap(topic.count)).toBe("local.create_notification_topic ? 1 : 0");
    expect(unwrap(mod.locals.create_notification_topic)).toBe(
      "var.create_notifications && var.notification_topic_arn == null",
    );
  });

  it("subscribes each e-mail address to the topic", () => {
    const subscription = resource("aws_sns_topic_subscription", "email");
    expect(subscription.protocol).toBe("email");
    expect(unwrap(subscription.endpoint)).toBe("each.value");
    expect(unwrap(subscription.topic_arn)).toBe("local.notification_topic_arn");
  });
});

describe("failure alarms", () => {
  const alarms = mod.resources.aws_cloudwatch_metric_alarm ?? {};
  const metricsSource = readFile("rule/metrics.ts", "utf8");

  it("are the three alarms, counted on local.create_failure_alarms, publishing ALARM and OK to the topic", () => {
    expect(Object.keys(alarms).sort()).toEqual([
      "evaluator_errors",
      "no_evaluations",
      "notification_failures",
    ]);
    for (const [name, alarm] of Object.entries(alarms)) {
      expect(unwrap(alarm.count), name).toBe("local.create_failure_alarms ? 1 : 0");
      expect(alarm.alarm_actions, name).toEqual(["${local.notification_topic_arn}"]);
      expect(alarm.ok_actions, name).toEqual(["${local.notification_topic_arn}"]);
      expect(alarm.statistic, name).toBe("Sum");
      expect(String(alarm.alarm_description).length, name).toBeGreaterThan(40);
    }
  });

  it("evaluator_errors: Lambda Errors of this function, any error in 5 minutes", () => {
    const alarm = alarms.evaluator_errors ?? {};
    expect(alarm.namespace).toBe("AWS/Lambda");
    expect(alarm.metric_name).toBe("Errors");
    expect(alarm.dimensions).toEqual({ FunctionName: "${module.evaluator.function_name}" });
    expect(unwrap(evaluator.outputs.function_name?.value)).toBe("aws_lambda_function.this.function_name");
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
    expect(mod.locals.metrics_namespace).toBe(METRICS_NAMESPACE);
    expect(alarm.namespace).toBe("${local.metrics_namespace}");
    expect(alarm.metric_name).toBe("EvaluationsPosted");
    expect(await metricsSource).toContain('addMetric("EvaluationsPosted", MetricUnit.Count, 1)');
    // Powertools' `service` dimension is POWERTOOLS_SERVICE_NAME, which the evaluator module sets to
    // the function name, and gives as its function_name output.
    expect(alarm.dimensions).toEqual({ service: "${module.evaluator.function_name}" });
    expect(unwrap(evaluator.outputs.function_name?.value)).toBe("aws_lambda_function.this.function_name");
    const fn = declarations(evaluator).resource("aws_lambda_function", "this");
    expect((nested(fn, "environment").variables as Record<string, string>).POWERTOOLS_SERVICE_NAME).toBe(
      "${local.function_name}",
    );
    expect(unwrap(fn.function_name)).toBe("local.function_name");
    expect([alarm.comparison_operator, alarm.threshold]).toEqual(["LessThanThreshold", 1]);
    expect(alarm.period).toBe("${local.rule_period_seconds[var.maximum_execution_frequency]}");
    expect([alarm.evaluation_periods, alarm.datapoints_to_alarm]).toEqual([2, 2]);
    expect(alarm.treat_missing_data).toBe("breaching");
  });

  it("the rule period in seconds covers every frequency, within CloudWatch's alarm limits", () => {
    const seconds = mod.locals.rule_period_seconds as Record<string, number>;
    const frequencies = /contains\((\[[^\]]*\]),\s*var\.maximum_execution_frequency\)/.exec(
      validationConditions(variable("maximum_execution_frequency")).join(" "),
    )?.[1];
    expect(Object.keys(seconds).sort()).toEqual((JSON.parse(frequencies ?? "[]") as string[]).sort());
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
    expect(alarm.dimensions).toEqual({ RuleName: "${aws_cloudwatch_event_rule.compliance_change[0].name}" });
    expect([alarm.comparison_operator, alarm.threshold, alarm.treat_missing_data]).toEqual([
      "GreaterThanThreshold",
      0,
      "notBreaching",
    ]);
  });
});

describe("notification outputs", () => {
  it("give the topic, the key, the EventBridge rule and the alarms, null when off", () => {
    const value = (name: string): string => unwrap(mod.outputs[name]?.value);
    expect(value("notification_topic_arn")).toBe("local.notification_topic_arn");
    expect(value("notification_kms_key_arn")).toBe("one(aws_kms_key.notifications[*].arn)");
    expect(value("compliance_event_rule_arn")).toBe(
      "one(aws_cloudwatch_event_rule.compliance_change[*].arn)",
    );
    expect(value("failure_alarm_arns")).toMatch(/^local\.create_failure_alarms \? \{[\s\S]+\} : null$/);
    for (const alarm of ["evaluator_errors", "no_evaluations", "notification_failures"]) {
      expect(value("failure_alarm_arns")).toContain(`one(aws_cloudwatch_metric_alarm.${alarm}[*].arn)`);
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

  it("the example shows the opt-in", async () => {
    const [, call] = Object.entries(example.modules)[0] ?? [];
    expect(unwrap(call?.create_notifications)).toMatch(/var\.notification_emails/);
    expect(unwrap(call?.notification_emails)).toBe("var.notification_emails");
    expect(example.variables.notification_emails?.default).toEqual([]);
    expect(example.outputs.notification_topic_arn?.value).toBe(
      "${module.root_activity.notification_topic_arn}",
    );
    const readme = await readFile(join(EXAMPLE_DIR, "README.md"), "utf8");
    expect(readme).toContain("notification_emails");
  });
});
