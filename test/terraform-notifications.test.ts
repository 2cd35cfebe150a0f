/**
 * The notifications of both deployments, planned (test/support/plan.ts) and put to what AWS does with them: the
 * compliance rule's pattern against AWS Config's "Config Rules Compliance Change" events (a model of EventBridge
 * matching, test/support/event-pattern.ts), its target against the topic, the topic against its key, and each alarm
 * against the metric what it watches emits: Lambda's Errors of the function, the function's own EvaluationsPosted
 * (rule/metrics.ts), EventBridge's FailedInvocations of the rules, Step Functions' ExecutionsFailed of the state
 * machine. Who may publish and use the key is in terraform-permissions.test.ts.
 */
import { describe, expect, it } from "vitest";
import { METRICS_NAMESPACE } from "../rule/metrics.ts";
import { type EventPattern, matches, parsePattern } from "./support/event-pattern.ts";
import type { Value } from "./support/hcl-expression.ts";
import { complianceChangeEvent } from "./support/input-transformer.ts";
import { type Instance, loadConfiguration, type Plan, PlanError, plan, WORLD } from "./support/plan.ts";
import { stackSets } from "./support/stack-set-templates.ts";

const root = await loadConfiguration("terraform");
const organization = await loadConfiguration("terraform/modules/organization");
const { accountId: ACCOUNT, region: REGION, partition: PARTITION } = WORLD;

const NOTIFY: Record<string, Value> = { create_notifications: true };
const ALERTS: Record<string, Value> = {
  ...NOTIFY,
  create_root_activity_alerts: true,
  root_activity_alert_regions: ["us-east-1"],
};

const all = (planned: Plan, type: string): Instance[] =>
  planned.resources.filter((resource) => resource.type === type);
function one(planned: Plan, type: string, where: (resource: Instance) => boolean = () => true): Instance {
  const found = all(planned, type).filter(where);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as Instance;
}
const byName = (name: string) => (resource: Instance) =>
  resource.values.name === name || resource.values.alarm_name === name;
const first = (value: Value | undefined): Record<string, Value> =>
  ((value ?? []) as Record<string, Value>[])[0] ?? {};

const VERDICTS = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"];

describe("single account: the compliance changes of this rule, to the topic", () => {
  const planned = plan(root, NOTIFY);
  const rule = one(planned, "aws_cloudwatch_event_rule", byName("root-activity-compliance"));
  const pattern = parsePattern(String(rule.values.event_pattern));
  const change = (values: Parameters<typeof complianceChangeEvent>[0]) =>
    complianceChangeEvent({ annotation: "a", ...values });

  it("is on the default bus, where AWS Config sends them", () => {
    expect(rule.values.event_bus_name).toBeNull();
  });

  it.each([
    ["NON_COMPLIANT after COMPLIANT", { compliance: "NON_COMPLIANT", previous: "COMPLIANT" }],
    ["COMPLIANT again", { compliance: "COMPLIANT", previous: "NON_COMPLIANT" }],
    ["NON_COMPLIANT on the first evaluation", { compliance: "NON_COMPLIANT" }],
    ["COMPLIANT on the first evaluation", { compliance: "COMPLIANT" }],
  ])("matches %s", (_, values) => {
    expect(matches(pattern, change(values))).toBe(true);
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
  ])("does not match %s", (_, values) => {
    expect(matches(pattern, change(values))).toBe(false);
  });

  it("follows notify_on and the rule's name", () => {
    const patternFor = (vars: Record<string, Value>): EventPattern => {
      const p = plan(root, { ...NOTIFY, ...vars });
      const name = String(vars.name ?? "root-activity");
      return parsePattern(
        String(one(p, "aws_cloudwatch_event_rule", byName(`${name}-compliance`)).values.event_pattern),
      );
    };
    const only = patternFor({ notify_on: ["NON_COMPLIANT"] });
    expect(VERDICTS.filter((compliance) => matches(only, change({ compliance })))).toEqual(["NON_COMPLIANT"]);
    const every = patternFor({ notify_on: VERDICTS });
    expect(VERDICTS.filter((compliance) => matches(every, change({ compliance })))).toEqual(VERDICTS);
    const renamed = patternFor({ name: "root-activity-prod", notify_on: ["NON_COMPLIANT"] });
    expect(matches(renamed, change({ compliance: "NON_COMPLIANT", rule: "root-activity-prod" }))).toBe(true);
    expect(matches(renamed, change({ compliance: "NON_COMPLIANT" }))).toBe(false);
  });

  it("its target publishes to the topic through the publisher role, after the role may publish", () => {
    const target = one(
      planned,
      "aws_cloudwatch_event_target",
      (target) => target.values.rule === rule.values.name,
    );
    expect(target.values).toMatchObject({
      arn: one(planned, "aws_sns_topic").values.arn,
      role_arn: one(planned, "aws_iam_role", byName("root-activity-notifications")).values.arn,
    });
    expect(target.dependsOn).toContain("aws_iam_role_policy.publisher");
  });
});

describe("organization: the compliance changes of every member account, through the central bus, to the topic", () => {
  const planned = plan(organization, NOTIFY);
  const bus = one(planned, "aws_cloudwatch_event_bus");
  const central = one(planned, "aws_cloudwatch_event_rule", byName("root-activity-compliance"));
  const [memberRole] = stackSets(planned);
  const template = memberRole?.template;
  const memberRule = template?.Resources.ComplianceForwardingRule?.Properties ?? {};
  const here = one(planned, "aws_cloudwatch_event_rule", byName("root-activity-forward"));
  const member = (
    rule: string,
    values: Parameters<typeof complianceChangeEvent>[0] = { compliance: "NON_COMPLIANT" },
  ) => complianceChangeEvent({ annotation: "a", account: "210987654321", rule, ...values });

  it("each member account's rule, this account's and the central one have the same pattern", () => {
    const patterns = [
      memberRule.EventPattern,
      JSON.parse(String(here.values.event_pattern)),
      JSON.parse(String(central.values.event_pattern)),
    ];
    expect(patterns[0]).toEqual(patterns[1]);
    expect(patterns[1]).toEqual(patterns[2]);
  });

  it("matches the organization rule's copy in any account, not another rule (nor this account's single-account rule)", () => {
    const pattern = parsePattern(String(central.values.event_pattern));
    expect(matches(pattern, member("OrgConfigRule-root-activity-a1b2c3d4"))).toBe(true);
    expect(
      matches(
        pattern,
        member("OrgConfigRule-root-activity-a1b2c3d4", {
          compliance: "COMPLIANT",
          previous: "NON_COMPLIANT",
        }),
      ),
    ).toBe(true);
    expect(matches(pattern, member("root-activity"))).toBe(false);
    expect(matches(pattern, member("OrgConfigRule-root-activityx-a1b2"))).toBe(false);
    expect(matches(pattern, member("OrgConfigRule-iam-policy-a1b2"))).toBe(false);
    expect(
      matches(pattern, member("OrgConfigRule-root-activity-a1b2", { compliance: "NOT_APPLICABLE" })),
    ).toBe(false);
    // The documented limit of a prefix: another deployment named root-activity-<more> matches too.
    expect(matches(pattern, member("OrgConfigRule-root-activity-eu-a1b2"))).toBe(true);
  });

  it("the member accounts' rule and this account's forward to the central bus, with their roles; the central rule is on it", () => {
    expect(memberRule.Targets).toEqual([
      {
        Id: "central-compliance-bus",
        Arn: bus.values.arn,
        RoleArn: { "Fn::GetAtt": ["ComplianceForwardingRole", "Arn"] },
      },
    ]);
    const target = one(
      planned,
      "aws_cloudwatch_event_target",
      (target) => target.values.rule === here.values.name,
    );
    expect(target.values).toMatchObject({
      arn: bus.values.arn,
      role_arn: one(planned, "aws_iam_role", byName("root-activity-forwarder")).values.arn,
    });
    expect(central.values.event_bus_name).toBe(bus.values.name);
    expect(
      one(planned, "aws_cloudwatch_event_target", (t) => t.values.rule === central.values.name).values,
    ).toMatchObject({
      event_bus_name: bus.values.name,
      arn: one(planned, "aws_sns_topic").values.arn,
    });
  });

  it("forwards from this account only where StackSets do not reach it (call_as = SELF)", () => {
    const delegated = plan(organization, {
      ...NOTIFY,
      call_as: "DELEGATED_ADMIN",
      create_member_role_in_this_account: false,
      organizational_unit_ids: ["ou-ab12-cdef5678"],
    });
    expect(all(delegated, "aws_cloudwatch_event_rule").map((rule) => rule.values.name)).toEqual([
      "root-activity-compliance",
    ]);
    expect(stackSets(delegated)[0]?.template.Resources.ComplianceForwardingRule).toBeDefined();
    // Without notifications, the StackSet adds nothing to forward.
    expect(Object.keys(stackSets(plan(organization, {}))[0]?.template.Resources ?? {})).toEqual([
      "MemberRole",
    ]);
  });
});

describe.each([
  ["single account", root],
  ["organization", organization],
] as const)("%s: the topic", (_, config) => {
  it("is encrypted with the module's customer managed key, which rotates", () => {
    const planned = plan(config, NOTIFY);
    const key = one(planned, "aws_kms_key");
    expect(one(planned, "aws_sns_topic").values.kms_master_key_id).toBe(key.values.arn);
    expect(key.values.enable_key_rotation).toBe(true);
    expect(one(planned, "aws_kms_alias").values.target_key_id).toBe(key.values.key_id);
  });

  it("a topic given instead is published to with its key; the module creates no topic, key or topic policy", () => {
    const topic = `arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:security-alerts`;
    const key = `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const planned = plan(config, { ...NOTIFY, notification_topic_arn: topic, notification_kms_key_arn: key });
    for (const type of ["aws_sns_topic", "aws_kms_key", "aws_sns_topic_policy"])
      expect(all(planned, type), type).toEqual([]);
    const topics = all(planned, "aws_cloudwatch_event_target")
      .map((target) => String(target.values.arn))
      .filter((arn) => arn.split(":")[2] === "sns");
    expect(new Set(topics)).toEqual(new Set([topic]));
    const publisher = JSON.parse(
      String(
        one(planned, "aws_iam_role_policy", byName("root-activity-notifications-publish")).values.policy,
      ),
    );
    expect(publisher.Statement.map((statement: { Resource: string }) => statement.Resource)).toEqual([
      topic,
      key,
    ]);
    expect(planned.outputs.notification_topic_arn).toBe(topic);
  });

  it("a topic in another region is refused at plan: EventBridge targets a topic of its own region only", () => {
    const elsewhere = `arn:${PARTITION}:sns:us-east-1:${ACCOUNT}:security-alerts`;
    expect(() => plan(config, { ...NOTIFY, notification_topic_arn: elsewhere })).toThrow(PlanError);
    expect(() => plan(config, { ...NOTIFY, notification_topic_arn: elsewhere })).toThrow(
      /region of the module/,
    );
  });

  it("each e-mail address is subscribed to it", () => {
    const planned = plan(config, { ...NOTIFY, notification_emails: ["a@example.com", "b@example.org"] });
    expect(
      all(planned, "aws_sns_topic_subscription").map((subscription) => [
        subscription.values.protocol,
        subscription.values.endpoint,
      ]),
    ).toEqual([
      ["email", "a@example.com"],
      ["email", "b@example.org"],
    ]);
  });
});

/** Seconds of each AWS Config frequency. */
const PERIODS: Record<string, number> = {
  One_Hour: 3600,
  Three_Hours: 10800,
  Six_Hours: 21600,
  Twelve_Hours: 43200,
  TwentyFour_Hours: 86400,
};

describe.each([
  ["single account", root, null],
  ["organization", organization, "root-activity-compliance"],
] as const)(
  "%s: each alarm watches what the watched resource emits, and tells the topic",
  (deployment, config, bus) => {
    const planned = plan(config, { ...ALERTS, alarm_on_failures: true });
    const fn = one(planned, "aws_lambda_function");
    const topic = String(one(planned, "aws_sns_topic").values.arn);
    const alarm = (name: string) =>
      one(planned, "aws_cloudwatch_metric_alarm", byName(`root-activity-${name}`)).values;
    const ruleDimensions = (rule: string) =>
      bus === null ? { RuleName: rule } : { EventBusName: bus, RuleName: rule };

    it("evaluator-errors: Lambda's Errors of the function, any in 5 minutes", () => {
      expect(alarm("evaluator-errors")).toMatchObject({
        namespace: "AWS/Lambda",
        metric_name: "Errors",
        dimensions: { FunctionName: fn.values.function_name },
        statistic: "Sum",
        period: 300,
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
      });
    });

    it("no-evaluations: the function's EvaluationsPosted, none in two rule periods, missing data breaching", () => {
      const powertoolsService = (first(fn.values.environment).variables as Record<string, Value>)
        .POWERTOOLS_SERVICE_NAME;
      expect(alarm("no-evaluations")).toMatchObject({
        namespace: METRICS_NAMESPACE,
        metric_name: "EvaluationsPosted",
        dimensions: { service: powertoolsService },
        period: PERIODS.TwentyFour_Hours,
        evaluation_periods: 2,
        datapoints_to_alarm: 2,
        comparison_operator: "LessThanThreshold",
        threshold: 1,
        treat_missing_data: "breaching",
      });
    });

    it("no-evaluations: two periods of every frequency fit CloudWatch's 7 days (PutMetricAlarm: period × evaluation periods)", () => {
      for (const [frequency, seconds] of Object.entries(PERIODS)) {
        const values = one(
          plan(config, { ...NOTIFY, maximum_execution_frequency: frequency }),
          "aws_cloudwatch_metric_alarm",
          byName("root-activity-no-evaluations"),
        ).values;
        expect(values.period, frequency).toBe(seconds);
        expect(Number(values.period) * Number(values.evaluation_periods), frequency).toBeLessThanOrEqual(
          7 * 86400,
        );
      }
    });

    it("notification-failures: EventBridge's FailedInvocations of the compliance rule, on its bus", () => {
      expect(alarm("notification-failures")).toMatchObject({
        namespace: "AWS/Events",
        metric_name: "FailedInvocations",
        dimensions: ruleDimensions("root-activity-compliance"),
      });
    });

    it("root-alert-failures: the sum of FailedInvocations of every alert rule, each on its bus", () => {
      const values = alarm("root-alert-failures");
      const queries = values.metric_query as Record<string, Value>[];
      const rules = all(planned, "aws_cloudwatch_event_rule")
        .map((rule) => String(rule.values.name))
        .filter(
          (name) =>
            name.startsWith("root-activity-root-") &&
            (deployment === "organization" || (!name.endsWith("-forward") && !name.endsWith("-alarm-fwd"))),
        )
        .filter((name) =>
          planned.resources.some((r) => r.address.includes(".alert[") && r.values.name === name),
        )
        .sort();
      expect(rules.length).toBe(6);
      const metrics = queries.filter((query) => query.expression == null);
      expect(metrics.map((query) => first(query.metric).dimensions)).toEqual(
        expect.arrayContaining(rules.map((rule) => ruleDimensions(rule))),
      );
      expect(
        metrics.every(
          (query) => first(query.metric).metric_name === "FailedInvocations" && query.return_data === false,
        ),
      ).toBe(true);
      const sum = queries.filter((query) => query.expression != null);
      expect(sum).toHaveLength(1);
      expect(sum[0]?.return_data).toBe(true);
      expect(String(sum[0]?.expression)).toBe(`SUM([${metrics.map((query) => query.id).join(",")}])`);
    });

    it("every alarm of this region publishes ALARM and OK to the topic", () => {
      // The forwarding alarms are the exception: their state changes travel as events (next tests).
      const here = all(planned, "aws_cloudwatch_metric_alarm").filter(
        (resource) =>
          resource.region === REGION && resource.values.alarm_name !== "root-activity-root-forward-failures",
      );
      expect(here.length).toBeGreaterThanOrEqual(4);
      for (const resource of here) {
        expect(resource.values.alarm_actions, resource.address).toEqual([topic]);
        expect(resource.values.ok_actions, resource.address).toEqual([topic]);
      }
    });
  },
);

describe("single account: the alarms of the re-evaluation and of the forwarding regions", () => {
  const planned = plan(root, { ...ALERTS, alarm_on_failures: true, cloudtrail_lookup: true });

  it("reevaluate-failures: Step Functions' ExecutionsFailed of the state machine", () => {
    const machine = one(planned, "aws_sfn_state_machine");
    expect(
      one(planned, "aws_cloudwatch_metric_alarm", byName("root-activity-reevaluate-failures")).values,
    ).toMatchObject({
      namespace: "AWS/States",
      metric_name: "ExecutionsFailed",
      dimensions: { StateMachineArn: machine.values.arn },
    });
  });

  it("root-forward-failures, in each forwarding region: FailedInvocations of the forwarding rule there, no action (an alarm notifies only topics of its region)", () => {
    const forwarding = all(planned, "aws_cloudwatch_metric_alarm").filter(
      (resource) => resource.region !== REGION,
    );
    expect(forwarding.map((resource) => resource.region)).toEqual(["us-east-1"]);
    const [alarm] = forwarding;
    const rule = one(
      planned,
      "aws_cloudwatch_event_rule",
      (r) => r.region === "us-east-1" && r.values.name === "root-activity-root-forward",
    );
    expect(alarm?.values).toMatchObject({
      namespace: "AWS/Events",
      metric_name: "FailedInvocations",
      dimensions: { RuleName: rule.values.name },
    });
    expect(alarm?.values).not.toHaveProperty("alarm_actions");
    expect(alarm?.values).not.toHaveProperty("ok_actions");
  });
});
