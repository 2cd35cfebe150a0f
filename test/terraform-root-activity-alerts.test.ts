/**
 * Root activity alerts of both deployments, planned (test/support/plan.ts): the patterns of the alert rules and of
 * the forwarding rules (this account's and the StackSet's) against CloudTrail records as EventBridge delivers them
 * (test/fixtures/cloudtrail-events) and against every combination of the fields they read (fast-check, a model of
 * EventBridge matching); where each rule runs and where it sends; the re-evaluation's state machine and what starts
 * it. The messages are in notification-template.test.ts, the permissions in terraform-permissions.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventPattern, matches, parsePattern } from "./support/event-pattern.ts";
import type { Value } from "./support/hcl-expression.ts";
import { messageText, render } from "./support/input-transformer.ts";
import { type Instance, loadConfiguration, type Plan, PlanError, plan, WORLD } from "./support/plan.ts";
import { resolve, stackSets } from "./support/stack-set-templates.ts";

const root = await loadConfiguration("terraform");
const organization = await loadConfiguration("terraform/modules/organization");
const events = await loadConfiguration("terraform/modules/root-activity-events");
const { accountId: ACCOUNT, region: REGION, partition: PARTITION } = WORLD;
const MEMBER = "210987654321";

const ALERTS: Record<string, Value> = {
  create_notifications: true,
  create_root_activity_alerts: true,
  root_activity_alert_regions: ["us-east-1", "ap-south-1"],
};

const FIXTURES_DIR = join("test", "fixtures", "cloudtrail-events");
const fixtures: Record<string, Record<string, unknown>> = Object.fromEntries(
  readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => [file.replace(/\.json$/, ""), JSON.parse(readFileSync(join(FIXTURES_DIR, file), "utf8"))]),
);

/** Which alert each fixture must raise (none: not a root event, or not one worth an alert), and whether it is forwarded. */
const EXPECTED: Record<string, { readOnly: string[]; writeOnly: string[]; forwarded: boolean }> = {
  "root-console-sign-in": { readOnly: ["signin"], writeOnly: ["signin"], forwarded: true },
  "root-console-sign-in-mfa": { readOnly: ["signin"], writeOnly: ["signin"], forwarded: true },
  "root-console-sign-in-failure": { readOnly: ["failed"], writeOnly: ["failed"], forwarded: true },
  "root-password-updated": { readOnly: ["signevent"], writeOnly: ["signevent"], forwarded: true },
  "root-api-call-access-key": { readOnly: ["api"], writeOnly: ["api"], forwarded: true },
  "root-api-call-console-session": { readOnly: ["api"], writeOnly: ["api"], forwarded: true },
  "root-read-only-api-call": { readOnly: ["api"], writeOnly: [], forwarded: true },
  "centralized-root-session": { readOnly: ["assumed"], writeOnly: ["assumed"], forwarded: true },
  "root-service-invoked": { readOnly: [], writeOnly: [], forwarded: false },
  "root-aws-service-event": { readOnly: [], writeOnly: [], forwarded: false },
  "aws-service-event-kms-rotate-key": { readOnly: [], writeOnly: [], forwarded: false },
  "iam-user-console-sign-in": { readOnly: [], writeOnly: [], forwarded: false },
  "management-account-assume-root-call": { readOnly: [], writeOnly: [], forwarded: false },
  "forwarding-alarm-state-change": { readOnly: ["fwd-alarm"], writeOnly: ["fwd-alarm"], forwarded: false },
};
const ROOT_EVENT_ALERTS = ["api", "assumed", "failed", "signevent", "signin"];

/** The alert rules of a plan, by key (`<name>-root-<key>`): pattern, state, and the message of their target. */
function alertRules(
  planned: Plan,
): Record<string, { rule: Instance; pattern: EventPattern; target: Instance }> {
  const rules = planned.resources.filter(
    (resource) =>
      /\.alert\["[^"]+"\]$/.test(resource.address) && resource.type === "aws_cloudwatch_event_rule",
  );
  return Object.fromEntries(
    rules.map((rule) => {
      const target = planned.resources.find(
        (resource) =>
          resource.type === "aws_cloudwatch_event_target" &&
          resource.address ===
            rule.address.replace("aws_cloudwatch_event_rule", "aws_cloudwatch_event_target"),
      ) as Instance;
      return [String(rule.key), { rule, pattern: parsePattern(String(rule.values.event_pattern)), target }];
    }),
  );
}
/** The alerts `event` raises. */
const raised = (rules: ReturnType<typeof alertRules>, event: unknown): string[] =>
  Object.entries(rules)
    .filter(([, { pattern }]) => matches(pattern, event))
    .map(([key]) => key)
    .sort();

const single = plan(root, ALERTS);
const singleWriteOnly = plan(root, { ...ALERTS, root_activity_alert_read_only: false });
const whole = plan(organization, ALERTS);
const singleRules = alertRules(single);
const wholeRules = alertRules(whole);

/** The patterns every forwarding rule sends on: this account's (both modules) and the StackSet's in each member account. */
function forwardingPatterns(): [string, EventPattern][] {
  const own = [...single.resources, ...whole.resources]
    .filter(
      (resource) =>
        resource.type === "aws_cloudwatch_event_rule" &&
        resource.values.name === "root-activity-root-forward",
    )
    .map((resource): [string, EventPattern] => [
      resource.address,
      parsePattern(String(resource.values.event_pattern)),
    ]);
  const template = stackSets(whole).find(({ name }) => name === "root-activity-root-alerts")?.template;
  const stack = template?.Resources.RootActivityForwardingRule?.Properties.EventPattern as EventPattern;
  return [...own, ["StackSet RootActivityForwardingRule", stack]];
}

describe("what each alert matches: CloudTrail records as EventBridge delivers them", () => {
  it("every fixture is expected, and raises its alert in both deployments", () => {
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(singleRules).sort()).toEqual([...ROOT_EVENT_ALERTS, "fwd-alarm"].sort());
    expect(Object.keys(wholeRules).sort()).toEqual([...ROOT_EVENT_ALERTS, "fwd-alarm"].sort());
    for (const [name, expected] of Object.entries(EXPECTED)) {
      expect(raised(singleRules, fixtures[name]), name).toEqual(expected.readOnly);
      expect(raised(wholeRules, fixtures[name]), name).toEqual(expected.readOnly);
      expect(raised(alertRules(singleWriteOnly), fixtures[name]), `${name}, read-only calls off`).toEqual(
        expected.writeOnly,
      );
    }
  });

  it("every forwarding rule sends exactly the root events on", () => {
    const patterns = forwardingPatterns();
    expect(patterns.length).toBeGreaterThanOrEqual(4);
    for (const [where, pattern] of patterns)
      for (const [name, expected] of Object.entries(EXPECTED))
        expect(matches(pattern, fixtures[name]), `${where}: ${name}`).toBe(expected.forwarded);
  });

  it("the forwarding alarm alert: ALARM, and OK only after ALARM, of the forwarding alarms only; their forwarding rules send every state change", () => {
    const alarm = fixtures["forwarding-alarm-state-change"] as { detail: Record<string, unknown> };
    const withStates = (state: string, previous: string, alarmName = String(alarm.detail.alarmName)) => ({
      ...alarm,
      detail: {
        ...alarm.detail,
        alarmName,
        state: { value: state, reason: "r" },
        previousState: { value: previous, reason: "p" },
      },
    });
    for (const rules of [singleRules, wholeRules]) {
      const pattern = rules["fwd-alarm"]?.pattern as EventPattern;
      expect(matches(pattern, withStates("ALARM", "OK"))).toBe(true);
      expect(matches(pattern, withStates("ALARM", "INSUFFICIENT_DATA"))).toBe(true);
      expect(matches(pattern, withStates("OK", "ALARM"))).toBe(true);
      expect(matches(pattern, withStates("OK", "INSUFFICIENT_DATA"))).toBe(false);
      expect(matches(pattern, withStates("ALARM", "OK", "other"))).toBe(false);
    }
    // The alarm the pattern names is the one the forwarding rules' regions create, and their alarm rules send it.
    const names = [
      ...single.resources
        .filter((r) => r.type === "aws_cloudwatch_metric_alarm")
        .map((r) => r.values.alarm_name),
      stackSets(whole).find(({ name }) => name === "root-activity-root-alerts")?.template.Resources
        .RootActivityForwardingAlarm?.Properties.AlarmName,
    ];
    expect(names).toContain(alarm.detail.alarmName);
    const alarmRules = single.resources.filter(
      (r) => r.type === "aws_cloudwatch_event_rule" && r.values.name === "root-activity-root-alarm-fwd",
    );
    for (const rule of alarmRules)
      expect(
        matches(parsePattern(String(rule.values.event_pattern)), withStates("OK", "INSUFFICIENT_DATA")),
        rule.address,
      ).toBe(true);
  });

  /** Events built from every value the patterns distinguish, absent fields included. */
  const eventArbitrary = fc
    .record({
      detailType: fc.constantFrom(
        "AWS Console Sign In via CloudTrail",
        "AWS API Call via CloudTrail",
        "AWS Service Event via CloudTrail",
        "AWS Console Action via CloudTrail",
      ),
      identityType: fc.constantFrom("Root", "IAMUser", "AssumedRole", undefined),
      invokedBy: fc.constantFrom(undefined, "cloudformation.amazonaws.com", "AWS Internal"),
      eventType: fc.constantFrom("AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent"),
      eventName: fc.constantFrom("ConsoleLogin", "PasswordUpdated", "CheckMfa", "ListBuckets", "CreateUser"),
      consoleLogin: fc.constantFrom(undefined, "Success", "Failure", "Other"),
      assumedRoot: fc.constantFrom(undefined, "", "true", "false", "TRUE"),
      sessionContext: fc.boolean(),
      readOnly: fc.constantFrom(undefined, true, false),
    })
    .map((f) => ({
      version: "0",
      "detail-type": f.detailType,
      source: "aws.iam",
      account: "111122223333",
      region: "eu-west-1",
      detail: {
        userIdentity: {
          ...(f.identityType === undefined ? {} : { type: f.identityType }),
          ...(f.invokedBy === undefined ? {} : { invokedBy: f.invokedBy }),
          ...(f.sessionContext || f.assumedRoot !== undefined
            ? { sessionContext: f.assumedRoot === undefined ? {} : { assumedRoot: f.assumedRoot } }
            : {}),
        },
        eventType: f.eventType,
        eventName: f.eventName,
        ...(f.consoleLogin === undefined ? {} : { responseElements: { ConsoleLogin: f.consoleLogin } }),
        ...(f.readOnly === undefined ? {} : { readOnly: f.readOnly }),
      },
      fields: f,
    }));

  it("property: every root event raises exactly one alert, anything else none; the forwarding rules send exactly the root events", () => {
    const writeOnlyRules = alertRules(singleWriteOnly);
    const forwarding = forwardingPatterns();
    fc.assert(
      fc.property(eventArbitrary, fc.boolean(), (event, readOnly) => {
        const { detailType, identityType, invokedBy, eventType, assumedRoot } = event.fields;
        // A root event: a sign-in or API call of the root user itself (issues 11 and 12).
        const root =
          ["AWS Console Sign In via CloudTrail", "AWS API Call via CloudTrail"].includes(detailType) &&
          identityType === "Root" &&
          invokedBy === undefined &&
          eventType !== "AwsServiceEvent";
        const dropped =
          !readOnly && detailType === "AWS API Call via CloudTrail" && event.fields.readOnly === true;
        const alerts = raised(readOnly ? singleRules : writeOnlyRules, event).filter(
          (key) => key !== "fwd-alarm",
        );
        expect(alerts.length).toBe(root && !dropped ? 1 : 0);
        if (alerts[0] === "assumed") expect(assumedRoot).toBe("true");
        if (alerts.length === 1 && alerts[0] !== "assumed") expect(assumedRoot).not.toBe("true");
        for (const [, pattern] of forwarding) expect(matches(pattern, event)).toBe(root);
      }),
      { numRuns: 2000 },
    );
  });

  it("every input path of an alert's message is in every record it matches: no part of a message is left blank", () => {
    for (const [name, event] of Object.entries(fixtures)) {
      for (const key of raised(singleRules, event)) {
        const transformer =
          ((singleRules[key]?.target.values.input_transformer ?? []) as Record<string, Value>[])[0] ?? {};
        for (const [variable, path] of Object.entries(transformer.input_paths as Record<string, string>)) {
          const value = path
            .slice(2)
            .split(".")
            .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], event);
          expect(value, `${name}: ${key}.${variable} (${path})`).toBeDefined();
        }
      }
    }
  });

  it("rules on CloudTrail events see read-only management events too (ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS)", () => {
    for (const rules of [singleRules, wholeRules])
      for (const [key, { rule }] of Object.entries(rules))
        expect(rule.values.state, key).toBe(
          key === "fwd-alarm" ? "ENABLED" : "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        );
    for (const resource of single.resources.filter((r) => r.values.name === "root-activity-root-forward"))
      expect(resource.values.state, resource.address).toBe("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    const template = stackSets(whole).find(({ name }) => name === "root-activity-root-alerts")?.template;
    expect(template?.Resources.RootActivityForwardingRule?.Properties.State).toBe(
      "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    );
  });

  it("any message suffix the events module accepts stays inside each alert's JSON string", () => {
    const inputs = {
      read_only: true,
      console_domain: "console.aws.amazon.com",
      forwarding_rule_name: "ra-root-forward",
      forwarding_alarm_name: "ra-root-forward-failures",
    };
    for (const suffix of [
      "AWS Config re-evaluates the rule ra about 15 minutes after the event.",
      "(production) é ✓",
      "a & b > c",
      "x".repeat(500),
    ]) {
      const alerts = plan(events, { ...inputs, message_suffix: suffix }).outputs.alerts as Record<
        string,
        Record<string, Value>
      >;
      for (const key of ROOT_EVENT_ALERTS) {
        const alert = alerts[key] as Record<string, Value>;
        const [name] = Object.entries(EXPECTED).find(([, expected]) => expected.readOnly.includes(key)) ?? [];
        const text = messageText(
          render(
            {
              inputPaths: alert.input_paths as Record<string, string>,
              inputTemplate: String(alert.input_template),
            },
            fixtures[name ?? ""],
          ),
        );
        expect(text, `${key}: ${suffix.slice(0, 20)}`).toContain(` ${suffix}`);
      }
    }
    expect(() => plan(events, { ...inputs, message_suffix: 'a "quote"' })).toThrow(PlanError);
  });
});

describe("where the alerts run and where they send", () => {
  it("single account: the alert rules in this region, publishing to the topic through the publisher role", () => {
    const topic = single.resources.find((r) => r.type === "aws_sns_topic")?.values.arn;
    const publisher = single.resources.find(
      (r) => r.type === "aws_iam_role" && r.values.name === "root-activity-notifications",
    )?.values.arn;
    for (const [key, { rule, target }] of Object.entries(singleRules)) {
      expect(rule.region, key).toBe(REGION);
      expect(rule.values.event_bus_name, key).toBeNull();
      expect(target.values, key).toMatchObject({ arn: topic, role_arn: publisher });
    }
  });

  it("single account: each other alert region forwards to this region's default bus through the forwarder role, this region not", () => {
    const forwarder = single.resources.find(
      (r) => r.type === "aws_iam_role" && r.values.name === "root-activity-root-forwarder",
    )?.values.arn;
    const rules = single.resources.filter(
      (r) => r.type === "aws_cloudwatch_event_rule" && r.values.name === "root-activity-root-forward",
    );
    expect(rules.map((rule) => rule.region).sort()).toEqual(["ap-south-1", "us-east-1"]);
    const targets = single.resources.filter(
      (r) => r.type === "aws_cloudwatch_event_target" && r.values.rule === "root-activity-root-forward",
    );
    expect(
      targets.map((target) => [target.region, target.values.arn, target.values.role_arn]).sort(),
    ).toEqual(
      ["ap-south-1", "us-east-1"].map((region) => [
        region,
        `arn:${PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/default`,
        forwarder,
      ]),
    );
    // Alerted on in this region only (the default bus gets this region's events): nothing to forward.
    const home = plan(root, { ...ALERTS, root_activity_alert_regions: [REGION] });
    expect(home.resources.filter((r) => r.address.startsWith("module.root_activity_forwarding"))).toEqual([]);
    expect(home.outputs.root_activity_alert_regions).toEqual([REGION]);
    // The default adds us-east-1, where CloudTrail records root console sign-ins and IAM calls.
    expect(
      plan(root, { create_notifications: true, create_root_activity_alerts: true }).outputs
        .root_activity_alert_regions,
    ).toEqual([REGION, "us-east-1"].sort());
  });

  it("organization: the alert rules on the central bus; every account's forwarding rules send there through the forwarding role of the same account", () => {
    const bus = whole.resources.find((r) => r.type === "aws_cloudwatch_event_bus");
    for (const [key, { rule }] of Object.entries(wholeRules))
      expect(rule.values.event_bus_name, key).toBe(bus?.values.name);
    // This account (call_as = SELF): every alert region, this one included.
    const here = whole.resources.filter(
      (r) => r.type === "aws_cloudwatch_event_target" && r.values.rule === "root-activity-root-forward",
    );
    expect(here.map((target) => target.region).sort()).toEqual([REGION, "ap-south-1", "us-east-1"].sort());
    for (const target of here) expect(target.values.arn, target.address).toBe(bus?.values.arn);
    // Member accounts: the regional StackSet's rule targets the bus with the role the member role's StackSet creates.
    const sets = stackSets(whole);
    const alerts = sets.find(({ name }) => name === "root-activity-root-alerts");
    const members = sets.find(({ name }) => name === "root-activity-member-role");
    if (alerts === undefined || members === undefined) throw new Error("the StackSets");
    const context = { partition: PARTITION, accountId: MEMBER, region: "ap-south-1" };
    const rule = resolve(
      alerts.template.Resources.RootActivityForwardingRule?.Properties ?? null,
      alerts.template,
      context,
    ) as Record<string, Value>;
    const roleName = members.template.Resources.RootActivityForwardingRole?.Properties.RoleName;
    expect(rule.Targets).toEqual([
      {
        Id: "central-root-activity-bus",
        Arn: bus?.values.arn,
        RoleArn: `arn:${PARTITION}:iam::${MEMBER}:role/${String(roleName)}`,
      },
    ]);
    expect(new Set(alerts.regions)).toEqual(new Set([REGION, "ap-south-1", "us-east-1"]));
  });

  it("organization: the forwarding alarm and its rule in each account only with alarm_on_failures", () => {
    const template = (alarms: boolean) =>
      Object.keys(
        stackSets(plan(organization, { ...ALERTS, alarm_on_failures: alarms })).find(
          ({ name }) => name === "root-activity-root-alerts",
        )?.template.Resources ?? {},
      ).sort();
    expect(template(true)).toEqual([
      "RootActivityAlarmForwardingRule",
      "RootActivityForwardingAlarm",
      "RootActivityForwardingRule",
    ]);
    expect(template(false)).toEqual(["RootActivityForwardingRule"]);
  });

  it("alerts without notifications are refused at plan: the topic is the notifications'", () => {
    for (const config of [root, organization])
      expect(() => plan(config, { create_root_activity_alerts: true })).toThrow(
        /needs create_notifications = true/,
      );
  });
});

describe("single account: re-evaluation after a root event (Step Functions, no Lambda code)", () => {
  /** The state machine of a plan, with its definition as Step Functions gets it. */
  const machineOf = (planned: Plan) => {
    const machine = planned.resources.find((r) => r.type === "aws_sfn_state_machine");
    return machine === undefined
      ? undefined
      : {
          machine,
          definition: JSON.parse(String(machine.values.definition)) as {
            StartAt: string;
            States: Record<string, Record<string, Value>>;
          },
        };
  };

  it("is on by default exactly when the rule reads CloudTrail, and only with the alerts", () => {
    for (const [vars, on] of [
      [{ ...ALERTS }, true],
      [{ ...ALERTS, cloudtrail_lookup: false }, false],
      [{ ...ALERTS, cloudtrail_lookup: false, root_activity_alert_reevaluate: true }, true],
      [{ ...ALERTS, root_activity_alert_reevaluate: false }, false],
      [{ create_notifications: true, root_activity_alert_reevaluate: true }, false],
    ] as const) {
      const planned = plan(root, vars);
      expect(machineOf(planned) !== undefined, JSON.stringify(vars)).toBe(on);
      expect(
        planned.resources.some(
          (r) => r.type === "aws_iam_role" && String(r.values.name).startsWith("root-activity-reeval"),
        ),
        JSON.stringify(vars),
      ).toBe(on);
    }
  });

  it("waits the delay, then starts an evaluation of this rule through the AWS SDK integration; an evaluation already running ends it", () => {
    const planned = plan(root, { ...ALERTS, root_activity_alert_reevaluate_delay_minutes: 7 });
    const { machine, definition } = machineOf(planned) ?? {};
    expect(machine?.values.type).toBe("STANDARD");
    // Every Next names a state, and the run starts at one: a definition Step Functions accepts.
    const states = definition?.States ?? {};
    expect(Object.keys(states)).toContain(definition?.StartAt);
    for (const [name, state] of Object.entries(states)) {
      for (const next of [state.Next, ...((state.Catch ?? []) as Record<string, Value>[]).map((c) => c.Next)])
        if (next != null) expect(Object.keys(states), `${name} -> ${String(next)}`).toContain(next);
    }
    const wait = Object.values(states).find((state) => state.Type === "Wait");
    expect(wait?.Seconds).toBe(420);
    const task = Object.values(states).find((state) => state.Type === "Task") ?? {};
    // StartConfigRulesEvaluation (botocore config model: ConfigRuleNames) of this module's rule; its errors are
    // Config.<exception> (Step Functions Developer Guide, "AWS SDK service integrations").
    expect(task.Resource).toBe(`arn:${PARTITION}:states:::aws-sdk:config:startConfigRulesEvaluation`);
    const rule = planned.resources.find((r) => r.type === "aws_config_config_rule")?.values.name;
    expect(task.Parameters).toEqual({ ConfigRuleNames: [rule] });
    const caught = ((task.Catch ?? []) as Record<string, Value>[]).find((c) =>
      (c.ErrorEquals as string[]).includes("Config.LimitExceededException"),
    );
    expect(states[String(caught?.Next)]?.Type).toBe("Succeed");
  });

  it("every root event alert rule starts it as a second target, with the starter role; the forwarding alarm's rule does not", () => {
    const machine = machineOf(single)?.machine;
    const starter = single.resources.find(
      (r) => r.type === "aws_iam_role" && r.values.name === "root-activity-reeval-start",
    )?.values.arn;
    const targets = single.resources.filter(
      (r) => r.type === "aws_cloudwatch_event_target" && r.values.arn === machine?.values.arn,
    );
    expect(targets.map((target) => String(target.values.rule)).sort()).toEqual(
      ROOT_EVENT_ALERTS.map((key) => `root-activity-root-${key}`).sort(),
    );
    for (const target of targets) expect(target.values.role_arn, target.address).toBe(starter);
  });
});
