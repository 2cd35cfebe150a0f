/**
 * Root activity alerts of the single-account module (issue 12): terraform/alerts.tf and the three
 * internal modules it uses, root-activity-events (patterns and messages), root-activity-forwarding
 * (other regions -> this region's default bus) and notifications (alert rules -> topic). The
 * patterns are checked against CloudTrail records as EventBridge delivers them
 * (test/fixtures/cloudtrail-events) with a model of EventBridge matching, and for every
 * combination of the fields they read; least privilege, validations, regions, re-evaluation and
 * documentation as for every module.
 */
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventPattern, matches } from "./support/event-pattern.ts";
import {
  type Block,
  declarations,
  dependsOn,
  docsTables,
  dynamicBlocks,
  evaluateBoolCondition,
  instanceCount,
  loadModule,
  moduleCallProblems,
  nested,
  nestedAll,
  onlyAllowsProblems,
  policiesOn,
  policyStatements,
  type RootActivityEventsInputs,
  readmeReferenceProblems,
  renderRootActivityEvents,
  undocumentedOutputs,
  undocumentedVariables,
  unusedDeclarations,
} from "./support/hcl.ts";
import {
  accepts,
  evaluateExpression,
  moduleScope,
  references,
  type Value,
} from "./support/hcl-expression.ts";
import {
  MAX_INPUT_PATHS,
  MAX_TEMPLATE_LENGTH,
  messageText,
  placeholders,
  render,
} from "./support/input-transformer.ts";
import { sampleValues } from "./support/validation-cases.ts";

const root = await loadModule("terraform");
const events = await loadModule(join("terraform", "modules", "root-activity-events"));
const forwarding = await loadModule(join("terraform", "modules", "root-activity-forwarding"));
const notifications = await loadModule(join("terraform", "modules", "notifications"));
const evaluator = await loadModule(join("terraform", "modules", "evaluator"));
const example = await loadModule(join("terraform", "examples", "single-account"));

const { resource, data, variable, call } = declarations(root);
const inForwarding = declarations(forwarding);
const inNotifications = declarations(notifications);

const PARTITION = "<data.aws_partition.current.partition>";
const ACCOUNT_ID = "<data.aws_caller_identity.current.account_id>";
const REGION = "<data.aws_region.current.region>";
/** The root module's variables in the tests that evaluate its expressions: alerts and re-evaluation on. */
const ROOT = {
  name: "ra",
  create_root_activity_alerts: true,
  create_notifications: true,
  root_activity_alert_reevaluate: true,
  root_activity_alert_regions: ["us-east-1"],
  root_activity_alert_read_only: true,
  root_activity_alert_reevaluate_delay_minutes: 15,
  cloudtrail_lookup: true,
  alarm_on_failures: true,
};
/** What an expression of the root module is for its variables `vars`. */
const inRootScope = (expression: unknown, vars: Record<string, Value> = ROOT): Value =>
  evaluateExpression(expression, moduleScope(root, vars));
/**
 * The root module's scope for its variables `vars`, its calls running the modules they call (the evaluator's
 * outputs left unknown), in `partition`.
 */
const wiredScope = (vars: Record<string, Value>, partition = "aws"): Readonly<Record<string, Value>> =>
  moduleScope(
    root,
    { notification_topic_arn: null, notification_kms_key_arn: null, ...vars },
    {
      modules: { root_activity_events: events, notifications, root_activity_forwarding: forwarding },
      data: { "aws_partition.current": { partition } },
    },
  );
/** What an expression of the root module is in wiredScope(vars), with `more` in scope. */
const inWiredScope = (
  expression: unknown,
  vars: Record<string, Value> = ROOT,
  more: Record<string, Value> = {},
): Value => evaluateExpression(expression, { ...wiredScope(vars), ...more });
/** The forwarding module's variables in the tests that evaluate its expressions. */
const FORWARDING = {
  name: "ra",
  regions: ["eu-west-1", "ap-south-1"],
  destination_bus_arn: "arn:aws:events:us-east-1:123456789012:event-bus/default",
};
/** What an expression of the forwarding module is for its variables `vars`, with `each` for a for_each instance. */
const inForwardingScope = (expression: unknown, vars: Record<string, Value>, each?: string): Value =>
  evaluateExpression(expression, {
    ...moduleScope(forwarding, vars),
    ...(each === undefined ? {} : { each: { key: each, value: each } }),
  });

/** The region each instance of the forwarding module's `block` is placed in for `vars`, by instance key. */
function instanceRegions(block: Block, vars: Record<string, Value>): Record<string, Value> {
  const forEach = inForwardingScope(block.for_each, vars);
  const keys = Array.isArray(forEach) ? forEach.map(String) : Object.keys(forEach as Record<string, Value>);
  return Object.fromEntries(keys.map((key) => [key, inForwardingScope(block.region, vars, key)]));
}

/** The longest name the module accepts. */
const LONGEST_NAME = "a".repeat(48);

const FIXTURES_DIR = join("test", "fixtures", "cloudtrail-events");
const fixtures: Record<string, Record<string, unknown>> = Object.fromEntries(
  readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => [file.replace(/\.json$/, ""), JSON.parse(readFileSync(join(FIXTURES_DIR, file), "utf8"))]),
);

const INPUTS: RootActivityEventsInputs = {
  read_only: true,
  console_domain: "console.aws.amazon.com",
  forwarding_rule_name: "root-activity-root-forward",
  forwarding_alarm_name: "root-activity-root-forward-failures",
  message_suffix: "",
};
const rendered = renderRootActivityEvents(events, INPUTS);
const writeOnly = renderRootActivityEvents(events, { ...INPUTS, read_only: false });

const ROOT_EVENT_ALERTS = ["api", "assumed", "failed", "signevent", "signin"];
const ALERTS = [...ROOT_EVENT_ALERTS, "fwd-alarm"].sort();

/** The alerts as the events module outputs them and the notifications module takes them. */
const asAlertRules = (alerts: typeof rendered.alerts): Record<string, Record<string, Value>> =>
  Object.fromEntries(
    Object.entries(alerts).map(([key, alert]) => [
      key,
      {
        description: alert.description,
        event_pattern: JSON.stringify(alert.eventPattern),
        input_paths: alert.inputPaths,
        input_template: alert.inputTemplate,
        state: alert.state,
      },
    ]),
  );
/** The alert rules `alerts` with their patterns decoded, to compare them whatever the order of their keys. */
const decoded = (alerts: Value): Record<string, Value> =>
  Object.fromEntries(
    Object.entries(alerts as Record<string, Record<string, Value>>).map(([key, alert]) => [
      key,
      { ...alert, event_pattern: JSON.parse(String(alert.event_pattern)) as Value },
    ]),
  );

/** The alerts an event matches. */
const alertsFor = (alerts: typeof rendered.alerts, event: unknown): string[] =>
  Object.entries(alerts)
    .filter(([, alert]) => matches(alert.eventPattern as EventPattern, event))
    .map(([key]) => key)
    .sort();

/** Which alert each fixture must raise (none: not a root event, or not one worth an alert). */
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

describe("root activity events: what each alert matches", () => {
  it("covers every fixture, and the fixtures cover every alert", () => {
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(rendered.alerts).sort()).toEqual(ALERTS);
    expect(rendered.rootEventAlertKeys).toEqual(ROOT_EVENT_ALERTS);
    const raised = new Set(Object.values(EXPECTED).flatMap((expected) => expected.readOnly));
    expect([...raised].sort()).toEqual(ALERTS);
  });

  it.each(Object.entries(EXPECTED))("%s: the right alert, read-only calls included", (name, expected) => {
    expect(alertsFor(rendered.alerts, fixtures[name])).toEqual(expected.readOnly);
  });

  it.each(Object.entries(EXPECTED))(
    "%s: the right alert with root_activity_alert_read_only = false",
    (name, expected) => {
      expect(alertsFor(writeOnly.alerts, fixtures[name])).toEqual(expected.writeOnly);
    },
  );

  it.each(Object.entries(EXPECTED))(
    "%s: forwarded from other regions exactly when it is a root event",
    (name, expected) => {
      expect(matches(rendered.rootEventPattern as EventPattern, fixtures[name])).toBe(expected.forwarded);
    },
  );

  it("the forwarding alarm: ALARM, and OK only after ALARM (not the first OK after the alarm is created)", () => {
    const alarm = fixtures["forwarding-alarm-state-change"] as { detail: Record<string, unknown> };
    const withStates = (state: string, previous: string) => ({
      ...alarm,
      detail: {
        ...alarm.detail,
        state: { value: state, reason: "r" },
        previousState: { value: previous, reason: "p" },
      },
    });
    const pattern = rendered.alerts["fwd-alarm"]?.eventPattern as EventPattern;
    expect(matches(pattern, withStates("ALARM", "OK"))).toBe(true);
    expect(matches(pattern, withStates("ALARM", "INSUFFICIENT_DATA"))).toBe(true);
    expect(matches(pattern, withStates("OK", "ALARM"))).toBe(true);
    expect(matches(pattern, withStates("OK", "INSUFFICIENT_DATA"))).toBe(false);
    expect(matches(pattern, withStates("INSUFFICIENT_DATA", "OK"))).toBe(false);
    // Another alarm's state change is not this one.
    expect(matches(pattern, { ...alarm, detail: { ...alarm.detail, alarmName: "other" } })).toBe(false);
    // What the regions forward: every state change of the alarm (the alert above picks).
    const source = rendered.forwardingAlarmSourcePattern as EventPattern;
    expect(matches(source, withStates("OK", "INSUFFICIENT_DATA"))).toBe(true);
    expect(matches(source, fixtures["root-console-sign-in"])).toBe(false);
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

  /** A root event by the definition of issues 11 and 12. */
  const isRootEvent = (f: {
    detailType: string;
    identityType: string | undefined;
    invokedBy: string | undefined;
    eventType: string;
  }): boolean =>
    ["AWS Console Sign In via CloudTrail", "AWS API Call via CloudTrail"].includes(f.detailType) &&
    f.identityType === "Root" &&
    f.invokedBy === undefined &&
    f.eventType !== "AwsServiceEvent";

  it("property: every root event raises exactly one alert, anything else none; forwarding sends exactly the root events", () => {
    fc.assert(
      fc.property(eventArbitrary, fc.boolean(), (event, readOnly) => {
        const alerts = (readOnly ? rendered : writeOnly).alerts;
        const raised = alertsFor(alerts, event).filter((key) => key !== "fwd-alarm");
        const root = isRootEvent(event.fields);
        const dropped =
          !readOnly &&
          event.fields.detailType === "AWS API Call via CloudTrail" &&
          event.fields.readOnly === true;
        expect(raised.length).toBe(root && !dropped ? 1 : 0);
        expect(matches(rendered.rootEventPattern as EventPattern, event)).toBe(root);
        if (raised[0] === "assumed") expect(event.fields.assumedRoot).toBe("true");
        if (raised.length === 1 && raised[0] !== "assumed") expect(event.fields.assumedRoot).not.toBe("true");
      }),
      { numRuns: 3000 },
    );
  });

  it("every pattern, template and set of input paths fits EventBridge's limits", () => {
    for (const [key, alert] of Object.entries(rendered.alerts)) {
      expect(JSON.stringify(alert.eventPattern).length, key).toBeLessThanOrEqual(4096);
      expect(alert.inputTemplate.length, key).toBeLessThanOrEqual(MAX_TEMPLATE_LENGTH);
      expect(Object.keys(alert.inputPaths).length, key).toBeLessThanOrEqual(MAX_INPUT_PATHS);
      expect(alert.description.length, key).toBeLessThanOrEqual(512);
      expect(new Set(placeholders(alert.inputTemplate)), key).toEqual(new Set(Object.keys(alert.inputPaths)));
    }
    expect(JSON.stringify(rendered.rootEventPattern).length).toBeLessThanOrEqual(4096);
  });

  it("every input path is in every fixture its alert matches, so no part of a message is left blank", () => {
    for (const [name, event] of Object.entries(fixtures)) {
      for (const key of alertsFor(rendered.alerts, event)) {
        for (const [variableName, path] of Object.entries(rendered.alerts[key]?.inputPaths ?? {})) {
          const value = path
            .slice(2)
            .split(".")
            .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], event);
          expect(value, `${name}: ${key}.${variableName} (${path})`).toBeDefined();
        }
      }
    }
  });

  it("every alert rule matches all CloudTrail management events (read-only ones too), the alarm alert plain events", () => {
    for (const key of ROOT_EVENT_ALERTS) {
      expect(rendered.alerts[key]?.state, key).toBe("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    }
    expect(rendered.alerts["fwd-alarm"]?.state).toBe("ENABLED");
  });

  it("the module creates nothing: only locals, variables and outputs", () => {
    expect(events.resources).toEqual({});
    expect(events.data).toEqual({});
    expect(undocumentedVariables(events)).toEqual([]);
    expect(undocumentedOutputs(events)).toEqual([]);
    expect(unusedDeclarations(events)).toEqual([]);
    // The patterns (as JSON and as objects), the alerts and the keys of the root event alerts, as rendered.
    const output = (name: string): Value =>
      evaluateExpression(events.outputs[name]?.value, moduleScope(events, { ...INPUTS }));
    expect(JSON.parse(String(output("root_event_pattern")))).toEqual(rendered.rootEventPattern);
    expect(output("root_event_pattern_object")).toEqual(rendered.rootEventPattern);
    expect(JSON.parse(String(output("forwarding_alarm_event_pattern")))).toEqual(
      rendered.forwardingAlarmSourcePattern,
    );
    expect(output("forwarding_alarm_event_pattern_object")).toEqual(rendered.forwardingAlarmSourcePattern);
    expect(decoded(output("alerts"))).toEqual(decoded(asAlertRules(rendered.alerts)));
    expect(output("root_event_alert_keys")).toEqual(rendered.rootEventAlertKeys);
  });

  it("message_suffix: every suffix the module accepts reaches each alert's message as written, in a JSON string", () => {
    // Prepare
    const suffixes = [...sampleValues("message_suffix"), "(production) é ✓", "a & b > c"].filter(
      (value): value is string =>
        typeof value === "string" && accepts(events.variables, "message_suffix", value),
    );
    const eventFor = (key: string): unknown => {
      const [name = ""] = Object.entries(EXPECTED).find(([, { readOnly }]) => readOnly.includes(key)) ?? [];
      return fixtures[name];
    };
    expect(suffixes.length).toBeGreaterThan(2);
    for (const suffix of suffixes.filter((value) => value !== "")) {
      // Act
      const { alerts } = renderRootActivityEvents(events, { ...INPUTS, message_suffix: suffix });
      for (const key of ROOT_EVENT_ALERTS) {
        const alert = alerts[key];
        const output = render(
          { inputPaths: alert?.inputPaths ?? {}, inputTemplate: alert?.inputTemplate ?? "" },
          eventFor(key),
        );
        // Assess
        expect(messageText(output), `${key}: ${suffix.slice(0, 20)}`).toContain(` ${suffix}`);
      }
    }
  });
});

describe("variables", () => {
  it("have descriptions, types and opt-in defaults", () => {
    expect(undocumentedVariables(root)).toEqual([]);
    expect(variable("create_root_activity_alerts").default).toBe(false);
    expect(variable("root_activity_alert_regions").default).toEqual(["us-east-1"]);
    expect(variable("root_activity_alert_read_only").default).toBe(true);
    expect(variable("root_activity_alert_reevaluate").default).toBeNull();
    expect(variable("root_activity_alert_reevaluate_delay_minutes").default).toBe(15);
    // What each event type needs and what is not covered, in the descriptions themselves.
    expect(String(variable("create_root_activity_alerts").description)).toMatch(
      /trail that logs management events/,
    );
    expect(String(variable("root_activity_alert_regions").description)).toMatch(/us-east-1.*sign-ins/);
  });

  // Which values each validation accepts is in test/terraform-validations.test.ts.
  it("create_root_activity_alerts without notifications is a clear error (precondition of the Config rule)", () => {
    const preconditions = nestedAll(
      nested(resource("aws_config_config_rule", "this"), "lifecycle"),
      "precondition",
    );
    expect(preconditions).toHaveLength(1);
    const [precondition] = preconditions;
    for (const [alerts, notify, ok] of [
      [true, false, false],
      [true, true, true],
      [false, false, true],
      [false, true, true],
    ] as const) {
      expect(
        evaluateBoolCondition(String(precondition?.condition), {
          "var.create_root_activity_alerts": alerts,
          "var.create_notifications": notify,
        }),
        `alerts ${alerts}, notifications ${notify}`,
      ).toBe(ok);
    }
    expect(String(precondition?.error_message)).toMatch(
      /create_root_activity_alerts = true needs create_notifications = true/,
    );
    // Everything else of the alerts is switched on both, so the precondition is the only error.
    for (const [alerts, notify] of [
      [true, false],
      [true, true],
      [false, true],
      [false, false],
    ] as const) {
      const vars = { ...ROOT, create_root_activity_alerts: alerts, create_notifications: notify };
      expect(inRootScope(root.locals.create_root_activity_alerts, vars), `${alerts}, ${notify}`).toBe(
        alerts && notify,
      );
    }
  });
});

describe("regions", () => {
  /**
   * The regions alerted on and forwarded from, as the module computes them, for the listed regions
   * (REGION: the one the module is deployed in).
   */
  function regionsFor(listed: string[]): { alerted: Value; forwarded: Value; forwarding: Value } {
    const vars = { ...ROOT, root_activity_alert_regions: listed };
    return {
      alerted: inRootScope(root.locals.root_activity_alert_regions, vars),
      forwarded: inRootScope(root.locals.root_activity_forward_regions, vars),
      forwarding: inRootScope(root.locals.forward_root_activity, vars),
    };
  }

  it("by default: this region and us-east-1, where root console sign-ins and IAM calls are recorded", () => {
    expect(regionsFor(["us-east-1"])).toEqual({
      alerted: [REGION, "us-east-1"],
      forwarded: ["us-east-1"],
      forwarding: true,
    });
    // Deployed in us-east-1, nothing is forwarded and no forwarding is created.
    expect(regionsFor([REGION])).toEqual({ alerted: [REGION], forwarded: [], forwarding: false });
    // Without the alerts, no forwarding either.
    expect(
      inRootScope(root.locals.forward_root_activity, { ...ROOT, create_root_activity_alerts: false }),
    ).toBe(false);
  });

  it("this region is always included: the alert rules and the topic are here", () => {
    expect(regionsFor([]).alerted).toEqual([REGION]);
    expect(regionsFor(["eu-west-1", REGION, "ap-south-1", "eu-west-1"])).toEqual({
      alerted: [REGION, "ap-south-1", "eu-west-1"],
      forwarded: ["ap-south-1", "eu-west-1"],
      forwarding: true,
    });
  });

  it("the other regions forward to this region's default bus, through modules/root-activity-forwarding", () => {
    const forwardCall = call("root_activity_forwarding");
    expect(forwardCall.source).toBe("./modules/root-activity-forwarding");
    // Created exactly when local.forward_root_activity is true.
    expect(instanceCount(forwardCall, { "local.forward_root_activity": true })).toBe(1);
    expect(instanceCount(forwardCall, { "local.forward_root_activity": false })).toBe(0);
    expect(moduleCallProblems(forwardCall, forwarding)).toEqual([]);
    // The alert regions other than this one, to this account's default bus in this region.
    const vars = { ...ROOT, root_activity_alert_regions: ["us-east-1", REGION, "ap-south-1"] };
    expect(inRootScope(forwardCall.regions, vars)).toEqual(["ap-south-1", "us-east-1"]);
    expect(inRootScope(forwardCall.destination_bus_arn)).toBe(
      `arn:${PARTITION}:events:${REGION}:${ACCOUNT_ID}:event-bus/default`,
    );
    // The events module's patterns, and the name and alarm_on_failures given, unchanged.
    expect(inRootScope(forwardCall.event_pattern)).toBe("<module.root_activity_events.root_event_pattern>");
    expect(inRootScope(forwardCall.alarm_event_pattern)).toBe(
      "<module.root_activity_events.forwarding_alarm_event_pattern>",
    );
    for (const alarms of [true, false]) {
      expect(inRootScope(forwardCall.alarm_on_failures, { ...ROOT, alarm_on_failures: alarms })).toBe(alarms);
    }
    expect(inRootScope(forwardCall.name, { ...ROOT, name: "prod-ra" })).toBe("prod-ra");
  });
});

describe("alert rules -> topic (modules/notifications)", () => {
  const notificationsCall = call("notifications");
  const rule = inNotifications.resource("aws_cloudwatch_event_rule", "alert");
  const target = inNotifications.resource("aws_cloudwatch_event_target", "alert");

  it("the module passes its alerts, with the forwarding alarm's only where something forwards with alarms", () => {
    /** The alerts passed for `vars`. */
    const passed = (vars: Record<string, Value>): Record<string, Value> =>
      inWiredScope(notificationsCall.alert_rules, vars) as Record<string, Value>;
    const forwarded = { ...ROOT, root_activity_alert_regions: ["us-east-1"] };
    expect(Object.keys(passed(forwarded))).toEqual(ALERTS);
    expect(Object.keys(passed({ ...forwarded, alarm_on_failures: false }))).toEqual(ROOT_EVENT_ALERTS);
    expect(Object.keys(passed({ ...forwarded, root_activity_alert_regions: [REGION] }))).toEqual(
      ROOT_EVENT_ALERTS,
    );
    expect(passed({ ...forwarded, create_root_activity_alerts: false })).toEqual({});
    expect(passed({ ...forwarded, create_notifications: false })).toEqual({});
    // The events module's alerts as they are, for this module's name and console, without a note.
    const alerts = passed({ ...forwarded, name: "root-activity", root_activity_alert_reevaluate: false });
    expect(decoded(alerts)).toEqual(decoded(asAlertRules(rendered.alerts)));
    const eventsCall = call("root_activity_events");
    expect(eventsCall.source).toBe("./modules/root-activity-events");
    expect(moduleCallProblems(eventsCall, events)).toEqual([]);
    for (const readOnly of [true, false]) {
      expect(inRootScope(eventsCall.read_only, { ...ROOT, root_activity_alert_read_only: readOnly })).toBe(
        readOnly,
      );
    }
    // The console of this partition.
    for (const [partition, domain] of [
      ["aws", "console.aws.amazon.com"],
      ["aws-cn", "console.amazonaws.cn"],
      ["aws-us-gov", "console.amazonaws-us-gov.com"],
    ] as const) {
      expect(evaluateExpression(eventsCall.console_domain, wiredScope(ROOT, partition)), partition).toBe(
        domain,
      );
    }
    // The names the forwarding module gives its rule and alarm, for the name this module passes it.
    const name = inRootScope(call("root_activity_forwarding").name);
    expect(inRootScope(eventsCall.forwarding_rule_name)).toBe(
      inForwardingScope(inForwarding.resource("aws_cloudwatch_event_rule", "forward").name, { name }),
    );
    expect(inRootScope(eventsCall.forwarding_alarm_name)).toBe(
      inForwardingScope(inForwarding.resource("aws_cloudwatch_metric_alarm", "forward_failures").alarm_name, {
        name,
      }),
    );
    expect(inRootScope(eventsCall.forwarding_rule_name)).toBe("ra-root-forward");
    // The note on the re-evaluation (below), into every message.
    expect(inRootScope(eventsCall.message_suffix)).toBe(inRootScope(root.locals.reevaluation_note));
  });

  it("one rule per alert on the bus of the notifications (the default bus here), in the alert's state", () => {
    const alertRules = Object.fromEntries(
      ALERTS.map((key) => [
        key,
        { description: `${key}'s description`, event_pattern: `${key}'s pattern`, state: `${key}'s state` },
      ]),
    );
    const vars = { name: "ra", alert_rules: alertRules, event_bus_name: "the-bus" };
    // One rule per alert, named after its key, with that alert's pattern, state and description.
    const instances = evaluateExpression(rule.for_each, moduleScope(notifications, vars));
    expect(Object.keys(instances as Record<string, Value>)).toEqual(ALERTS);
    for (const key of ALERTS) {
      const inRule = (expression: unknown): Value =>
        evaluateExpression(expression, {
          ...moduleScope(notifications, vars),
          each: { key, value: alertRules[key] ?? null },
        });
      expect(inRule(rule.name)).toBe(`ra-root-${key}`);
      expect(inRule(rule.event_bus_name)).toBe("the-bus");
      expect(inRule(rule.event_pattern)).toBe(`${key}'s pattern`);
      expect(inRule(rule.state)).toBe(`${key}'s state`);
      expect(inRule(rule.description)).toBe(`${key}'s description`);
    }
    // This module passes no bus: the default one.
    expect(notificationsCall).not.toHaveProperty("event_bus_name");
    expect(inNotifications.variable("event_bus_name").default).toBeNull();
    // Every rule name fits EventBridge's 64 characters for the longest name the module accepts.
    expect(accepts(root.variables, "name", LONGEST_NAME)).toBe(true);
    expect(accepts(root.variables, "name", `${LONGEST_NAME}a`)).toBe(false);
    const longest = inRootScope(notificationsCall.name, { ...ROOT, name: LONGEST_NAME });
    for (const key of ALERTS) {
      const name = evaluateExpression(rule.name, {
        ...moduleScope(notifications, { name: longest }),
        each: { key, value: null },
      });
      expect(String(name).length, key).toBeLessThanOrEqual(64);
    }
  });

  it("each rule publishes its message to the topic through the publisher role", () => {
    // One target per alert: its own rule's, to the module's topic as the publisher role, with its message.
    const alertRules = Object.fromEntries(
      Object.entries(rendered.alerts).map(([key, alert]) => [
        key,
        { input_paths: alert.inputPaths, input_template: alert.inputTemplate },
      ]),
    );
    const vars = { name: "ra", topic_arn: null, kms_key_arn: null, alert_rules: alertRules };
    const inTarget = (expression: unknown, key: string): Value =>
      evaluateExpression(expression, {
        ...moduleScope(notifications, vars),
        each: { key, value: alertRules[key] ?? null },
      });
    expect(evaluateExpression(target.for_each, moduleScope(notifications, vars))).toEqual(alertRules);
    for (const key of ALERTS) {
      expect(inTarget(target.rule, key)).toBe(
        `<aws_cloudwatch_event_rule.alert[${JSON.stringify(key)}].name>`,
      );
      expect(inTarget(target.arn, key)).toBe("<aws_sns_topic.this[0].arn>");
      expect(inTarget(target.role_arn, key)).toBe("<aws_iam_role.publisher.arn>");
      expect(inTarget(nested(target, "input_transformer"), key), key).toEqual(alertRules[key]);
    }
    expect(dependsOn(target)).toEqual(["aws_iam_role_policy.publisher"]);
    // The role, which may only publish to the topic, trusts exactly these rules and the compliance rule
    // (test/terraform-notifications.test.ts).
  });

  it("the notifications module accepts the alerts it is passed, read-only calls on or off", () => {
    // Which alert rules it accepts (keys, states, EventBridge's limits) is in test/terraform-validations.test.ts.
    for (const { alerts } of [rendered, writeOnly]) {
      const alertRules = asAlertRules(alerts);
      expect(Object.keys(alertRules).sort()).toEqual(ALERTS);
      expect(accepts(notifications.variables, "alert_rules", alertRules)).toBe(true);
    }
  });

  it("failed deliveries of any alert rule raise the alarm <name>-root-alert-failures", () => {
    const alarm = inNotifications.resource("aws_cloudwatch_metric_alarm", "alert_failures");
    // Given in another order than their keys': the queries come in the order of the keys.
    const alertRules = Object.fromEntries([...ALERTS].reverse().map((key) => [key, `the ${key} alert`]));
    const vars = {
      name: "ra",
      alert_rules: alertRules,
      alarm_on_failures: true,
      topic_arn: null,
      kms_key_arn: null,
      event_bus_name: null,
    };
    const inAlarm = (
      expression: unknown,
      given: Record<string, Value> = vars,
      more: Record<string, Value> = {},
    ) => evaluateExpression(expression, { ...moduleScope(notifications, given), ...more });
    // With alarms and at least one alert rule only.
    for (const alarms of [true, false]) {
      for (const rules of [alertRules, {}]) {
        expect(inAlarm(alarm.count, { ...vars, alarm_on_failures: alarms, alert_rules: rules })).toBe(
          alarms && Object.keys(rules).length > 0 ? 1 : 0,
        );
      }
    }
    expect(inAlarm(alarm.alarm_name)).toBe("ra-root-alert-failures");
    const given = "arn:aws:sns:eu-west-1:123456789012:security-alerts";
    for (const [topicArn, topic] of [
      [null, "<aws_sns_topic.this[0].arn>"],
      [given, given],
    ] as const) {
      expect(inAlarm(alarm.alarm_actions, { ...vars, topic_arn: topicArn })).toEqual([topic]);
      expect(inAlarm(alarm.ok_actions, { ...vars, topic_arn: topicArn })).toEqual([topic]);
    }
    const [perRule = {}] = dynamicBlocks(alarm, "metric_query");
    // One query per alert rule, in the order of their keys, each on FailedInvocations of that rule.
    expect(inAlarm(perRule.for_each)).toEqual(ALERTS);
    const [content] = nestedAll(perRule, "content");
    expect(content?.return_data).toBe(false);
    const metric = nested(content ?? {}, "metric");
    expect([metric.namespace, metric.metric_name, metric.stat, metric.period]).toEqual([
      "AWS/Events",
      "FailedInvocations",
      "Sum",
      300,
    ]);
    const ids = ALERTS.map((key, index) => {
      const query = { metric_query: { key: index, value: key } };
      const rule = `<aws_cloudwatch_event_rule.alert[${JSON.stringify(key)}].name>`;
      // A rule on the default bus has the RuleName dimension only.
      expect(inAlarm(metric.dimensions, vars, query), key).toEqual({ RuleName: rule });
      expect(inAlarm(metric.dimensions, { ...vars, event_bus_name: "the-bus" }, query), key).toEqual({
        EventBusName: "the-bus",
        RuleName: rule,
      });
      return inAlarm(content?.id, vars, query);
    });
    expect(new Set(ids).size).toBe(ALERTS.length);
    // The alarm's value is the sum of every query.
    const [sum] = nestedAll(alarm, "metric_query");
    expect(inAlarm(sum?.expression)).toBe(`SUM([${ids.join(",")}])`);
    expect(sum?.return_data).toBe(true);
    expect([alarm.comparison_operator, alarm.threshold, alarm.treat_missing_data]).toEqual([
      "GreaterThanThreshold",
      0,
      "notBreaching",
    ]);
  });
});

describe("forwarding from other regions (modules/root-activity-forwarding): least privilege", () => {
  it("one rule per region, placed with the per-resource region argument, on all management events", () => {
    const rule = inForwarding.resource("aws_cloudwatch_event_rule", "forward");
    const target = inForwarding.resource("aws_cloudwatch_event_target", "forward");
    const alarmBlocks = [
      inForwarding.resource("aws_cloudwatch_event_target", "alarm"),
      inForwarding.resource("aws_cloudwatch_event_rule", "alarm"),
      inForwarding.resource("aws_cloudwatch_metric_alarm", "forward_failures"),
    ];
    const byRegion = { "ap-south-1": "ap-south-1", "eu-west-1": "eu-west-1" };
    for (const alarms of [true, false]) {
      const vars = { ...FORWARDING, alarm_on_failures: alarms };
      // One instance per given region, placed in that region; the alarm's only with alarms.
      for (const block of [rule, target])
        expect(instanceRegions(block, vars), `alarms ${alarms}`).toEqual(byRegion);
      for (const block of alarmBlocks)
        expect(instanceRegions(block, vars), `alarms ${alarms}`).toEqual(alarms ? byRegion : {});
    }
    expect(rule).not.toHaveProperty("event_bus_name");
    expect(
      inForwardingScope(rule.event_pattern, { ...FORWARDING, event_pattern: "the root event pattern" }),
    ).toBe("the root event pattern");
    expect(rule.state).toBe("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    // Each region's rule sends to the destination bus, as the module's role.
    expect(inForwardingScope(target.rule, FORWARDING, "ap-south-1")).toBe(
      '<aws_cloudwatch_event_rule.forward["ap-south-1"].name>',
    );
    expect(inForwardingScope(target.arn, FORWARDING)).toBe(FORWARDING.destination_bus_arn);
    expect(inForwardingScope(target.role_arn, FORWARDING)).toBe("<aws_iam_role.this.arn>");
    // A target of another account's or region's bus takes no input transformer: the event goes as it is.
    expect(target).not.toHaveProperty("input_transformer");
  });

  it("the role may only events:PutEvents on the destination bus, and has nothing else", () => {
    const granted = policyStatements(inForwarding.data("aws_iam_policy_document", "this"));
    expect(inForwardingScope(granted, FORWARDING)).toEqual([
      {
        sid: "PutEventsToDestinationBus",
        effect: "Allow",
        actions: ["events:PutEvents"],
        resources: [FORWARDING.destination_bus_arn],
      },
    ]);
    const [policy] = Object.values(forwarding.resources.aws_iam_role_policy ?? {});
    expect(references(policy?.role)).toEqual(["aws_iam_role.this.id"]);
    expect(references(policy?.policy)).toEqual(["data.aws_iam_policy_document.this.json"]);
    expect(onlyAllowsProblems(granted)).toEqual([]);
    expect(Object.keys(forwarding.resources.aws_iam_role_policy ?? {})).toEqual(["this"]);
    expect(forwarding.resources.aws_iam_role_policy_attachment).toBeUndefined();
  });

  it("the alarm per region: FailedInvocations of the forwarding rule, no action (an alarm notifies only its own region's topics), its state changes forwarded", () => {
    const alarm = inForwarding.resource("aws_cloudwatch_metric_alarm", "forward_failures");
    expect([alarm.namespace, alarm.metric_name, alarm.statistic]).toEqual([
      "AWS/Events",
      "FailedInvocations",
      "Sum",
    ]);
    // Each region's alarm on that region's forwarding rule.
    const vars = { ...FORWARDING, alarm_on_failures: true, alarm_event_pattern: "the alarm's pattern" };
    for (const region of FORWARDING.regions) {
      expect(inForwardingScope(alarm.dimensions, vars, region)).toEqual({
        RuleName: `<aws_cloudwatch_event_rule.forward[${JSON.stringify(region)}].name>`,
      });
    }
    expect(alarm).not.toHaveProperty("alarm_actions");
    expect(inForwardingScope(alarm.alarm_name, vars)).toBe("ra-root-forward-failures");
    // Its state changes, by the pattern given, to the destination bus as the module's role.
    const rule = inForwarding.resource("aws_cloudwatch_event_rule", "alarm");
    expect(inForwardingScope(rule.event_pattern, vars)).toBe("the alarm's pattern");
    const target = inForwarding.resource("aws_cloudwatch_event_target", "alarm");
    expect(inForwardingScope(target.rule, vars, "eu-west-1")).toBe(
      '<aws_cloudwatch_event_rule.alarm["eu-west-1"].name>',
    );
    expect(inForwardingScope(target.arn, vars)).toBe(FORWARDING.destination_bus_arn);
    expect(inForwardingScope(target.role_arn, vars)).toBe("<aws_iam_role.this.arn>");
  });

  it("names fit their limits for the longest name", () => {
    // The name the module passes for the longest name it accepts.
    const name = inRootScope(call("root_activity_forwarding").name, { ...ROOT, name: LONGEST_NAME });
    for (const [what, expression, limit] of [
      ["forwarding rule", inForwarding.resource("aws_cloudwatch_event_rule", "forward").name, 64],
      ["alarm-forwarding rule", inForwarding.resource("aws_cloudwatch_event_rule", "alarm").name, 64],
      ["alarm", inForwarding.resource("aws_cloudwatch_metric_alarm", "forward_failures").alarm_name, 255],
      ["role", inForwarding.resource("aws_iam_role", "this").name, 64],
    ] as const) {
      const value = inForwardingScope(expression, { name });
      expect(String(value), what).toContain(LONGEST_NAME);
      expect(String(value).length, what).toBeLessThanOrEqual(limit);
    }
  });

  it("the module is documented and uses what it declares", () => {
    expect(undocumentedVariables(forwarding)).toEqual([]);
    expect(undocumentedOutputs(forwarding)).toEqual([]);
    expect(unusedDeclarations(forwarding)).toEqual([]);
  });
});

describe("re-evaluation after a root event (Step Functions, no Lambda code)", () => {
  const machine = resource("aws_sfn_state_machine", "reevaluate");
  /** The state machine's definition as Step Functions gets it, for `vars`. */
  const definitionFor = (
    vars: Record<string, Value> = ROOT,
  ): { StartAt: string; States: Record<string, Record<string, unknown>> } =>
    JSON.parse(String(inWiredScope(machine.definition, vars)));

  it("is on by default exactly when the rule reads CloudTrail, and only with the alerts", () => {
    for (const [alerts, reevaluate, lookup, on] of [
      [true, null, true, true],
      [true, null, false, false],
      [true, true, false, true],
      [true, false, true, false],
      [false, true, true, false],
      [false, null, true, false],
    ] as const) {
      const vars = {
        ...ROOT,
        create_root_activity_alerts: alerts,
        root_activity_alert_reevaluate: reevaluate,
        cloudtrail_lookup: lookup,
      };
      const what = `alerts ${alerts}, reevaluate ${reevaluate}, lookup ${lookup}`;
      expect(inRootScope(root.locals.reevaluate_rule, vars), what).toBe(on);
      // The state machine, its roles and their policies with it, and nothing of them without.
      for (const [type, name] of [
        ["aws_sfn_state_machine", "reevaluate"],
        ["aws_iam_role", "reevaluate"],
        ["aws_iam_role_policy", "reevaluate"],
        ["aws_iam_role", "reevaluate_start"],
        ["aws_iam_role_policy", "reevaluate_start"],
      ] as const) {
        expect(inRootScope(resource(type, name).count, vars), `${type}.${name}: ${what}`).toBe(on ? 1 : 0);
      }
    }
  });

  it("waits the delay, then calls config:StartConfigRulesEvaluation for this rule through the AWS SDK integration", () => {
    expect(machine.type).toBe("STANDARD");
    const definition = definitionFor();
    expect(definition.StartAt).toBe("WaitForEventHistory");
    // The delay given, in seconds.
    expect(definition.States.WaitForEventHistory).toEqual({
      Type: "Wait",
      Seconds: 900,
      Next: "StartConfigRulesEvaluation",
    });
    expect(
      definitionFor({ ...ROOT, root_activity_alert_reevaluate_delay_minutes: 7 }).States.WaitForEventHistory
        ?.Seconds,
    ).toBe(420);
    const task = definition.States.StartConfigRulesEvaluation ?? {};
    expect(task.Type).toBe("Task");
    expect(task.Resource).toBe("arn:aws:states:::aws-sdk:config:startConfigRulesEvaluation");
    // This module's Config rule, by its name.
    expect(task.Parameters).toEqual({
      ConfigRuleNames: [inRootScope(resource("aws_config_config_rule", "this").name)],
    });
    expect(task.Parameters).toEqual({ ConfigRuleNames: ["ra"] });
    expect(task.End).toBe(true);
    // An evaluation already running (or started within the last minute) is retried, then taken as done.
    expect(task.Retry).toEqual([
      { ErrorEquals: ["Config.LimitExceededException"], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 },
    ]);
    expect(task.Catch).toEqual([
      { ErrorEquals: ["Config.LimitExceededException"], Next: "EvaluationAlreadyRunning" },
    ]);
    expect(definition.States.EvaluationAlreadyRunning?.Type).toBe("Succeed");
    // The ARN the roles are written for is this state machine's, by the name it is given.
    expect(inRootScope(machine.name)).toBe("ra-reevaluate");
    expect(inRootScope(root.locals.reevaluation_state_machine_arn)).toBe(
      `arn:${PARTITION}:states:${REGION}:${ACCOUNT_ID}:stateMachine:ra-reevaluate`,
    );
  });

  it("Step Functions' role: only this state machine may assume it, and it may only start evaluations of this rule", () => {
    const trust = policyStatements(data("aws_iam_policy_document", "reevaluate_assume_role"));
    expect(trust).toHaveLength(1);
    expect(trust[0]?.principals).toEqual([{ type: "Service", identifiers: ["states.amazonaws.com"] }]);
    // The ARN of this module's state machine, by the name it is given.
    const machineArn = `arn:${PARTITION}:states:${REGION}:${ACCOUNT_ID}:stateMachine:${String(inRootScope(machine.name))}`;
    expect(inRootScope(trust[0]?.condition)).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
      { test: "ArnEquals", variable: "aws:SourceArn", values: [machineArn] },
    ]);
    const granted = policyStatements(data("aws_iam_policy_document", "reevaluate"));
    expect(inRootScope(granted)).toEqual([
      {
        sid: "StartEvaluationOfThisRule",
        effect: "Allow",
        actions: ["config:StartConfigRulesEvaluation"],
        resources: ["<aws_config_config_rule.this.arn>"],
      },
      // Its execution logs (Security Hub StepFunctions.1): the log delivery actions, none with a resource type.
      {
        sid: "DeliverExecutionLogs",
        effect: "Allow",
        actions: [
          "logs:CreateLogDelivery",
          "logs:GetLogDelivery",
          "logs:UpdateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
        ],
        resources: ["*"],
      },
    ]);
    expect(inRootScope(machine.role_arn)).toBe("<aws_iam_role.reevaluate[0].arn>");
    const [policy] = policiesOn(root, "aws_iam_role.reevaluate").inline;
    expect(references(policy?.policy)).toEqual(["data.aws_iam_policy_document.reevaluate[0].json"]);
  });

  it("EventBridge's role: only the root event alert rules may assume it, and it may only start this state machine", () => {
    const trust = policyStatements(data("aws_iam_policy_document", "reevaluate_start_assume_role"));
    expect(trust).toHaveLength(1);
    expect(trust[0]?.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    const [account, sourceArn, ...others] = trust[0]?.condition ?? [];
    expect(others).toEqual([]);
    expect(inRootScope(account)).toEqual({
      test: "StringEquals",
      variable: "aws:SourceAccount",
      values: [ACCOUNT_ID],
    });
    // The ARNs of the notification module's alert rules, for the root event alert keys only.
    expect([sourceArn?.test, sourceArn?.variable]).toEqual(["ArnEquals", "aws:SourceArn"]);
    expect(inWiredScope(sourceArn?.values)).toEqual(
      ROOT_EVENT_ALERTS.map((key) => `<aws_cloudwatch_event_rule.alert[${JSON.stringify(key)}].arn>`),
    );
    expect(inRootScope(policyStatements(data("aws_iam_policy_document", "reevaluate_start")))).toEqual([
      {
        sid: "StartReevaluation",
        effect: "Allow",
        actions: ["states:StartExecution"],
        resources: ["<aws_sfn_state_machine.reevaluate[0].arn>"],
      },
    ]);
    const [policy] = policiesOn(root, "aws_iam_role.reevaluate_start").inline;
    expect(references(policy?.policy)).toEqual(["data.aws_iam_policy_document.reevaluate_start[0].json"]);
  });

  it("every root event alert rule gets a second target, the state machine; the forwarding alarm's does not", () => {
    const target = resource("aws_cloudwatch_event_target", "reevaluate");
    expect(inWiredScope(target.for_each)).toEqual(ROOT_EVENT_ALERTS);
    expect(inWiredScope(target.for_each, { ...ROOT, root_activity_alert_reevaluate: false })).toEqual([]);
    for (const key of ROOT_EVENT_ALERTS) {
      const each = { each: { key, value: key } };
      // That alert's rule in the notifications module, starting the state machine as EventBridge's role.
      expect(inWiredScope(target.rule, ROOT, each)).toBe(
        `<aws_cloudwatch_event_rule.alert[${JSON.stringify(key)}].name>`,
      );
      expect(inWiredScope(target.arn, ROOT, each)).toBe("<aws_sfn_state_machine.reevaluate[0].arn>");
      expect(inWiredScope(target.role_arn, ROOT, each)).toBe("<aws_iam_role.reevaluate_start[0].arn>");
    }
    expect(rendered.rootEventAlertKeys).not.toContain("fwd-alarm");
  });

  it("a failed re-evaluation raises an alarm that publishes to the topic, which the topic policy allows", () => {
    const alarm = resource("aws_cloudwatch_metric_alarm", "reevaluate_failures");
    const notificationsCall = call("notifications");
    for (const [reevaluate, alarms, count] of [
      [true, true, 1],
      [true, false, 0],
      [false, true, 0],
    ] as const) {
      const vars = { ...ROOT, root_activity_alert_reevaluate: reevaluate, alarm_on_failures: alarms };
      expect(inRootScope(alarm.count, vars), `reevaluate ${reevaluate}, alarms ${alarms}`).toBe(count);
      // The notifications module's topic policy lets exactly this alarm (when there is one) publish.
      expect(inRootScope(notificationsCall.extra_alarm_arns, vars)).toEqual(
        count === 1 ? ["<aws_cloudwatch_metric_alarm.reevaluate_failures[0].arn>"] : [],
      );
    }
    expect([alarm.namespace, alarm.metric_name]).toEqual(["AWS/States", "ExecutionsFailed"]);
    expect(inRootScope(alarm.dimensions)).toEqual({
      StateMachineArn: "<aws_sfn_state_machine.reevaluate[0].arn>",
    });
    // The notification topic: the module's own, or the given one.
    const given = "arn:aws:sns:eu-west-1:123456789012:security-alerts";
    for (const [topicArn, topic] of [
      [null, "<aws_sns_topic.this[0].arn>"],
      [given, given],
    ] as const) {
      const vars = { ...ROOT, notification_topic_arn: topicArn };
      expect(inWiredScope(alarm.alarm_actions, vars)).toEqual([topic]);
      expect(inWiredScope(alarm.ok_actions, vars)).toEqual([topic]);
    }
  });

  it("the message says when Config re-evaluates", () => {
    // This rule, after the delay given; nothing without the re-evaluation.
    expect(
      inRootScope(root.locals.reevaluation_note, {
        ...ROOT,
        root_activity_alert_reevaluate_delay_minutes: 7,
      }),
    ).toBe(
      "AWS Config re-evaluates the rule ra about 7 minutes after the event, once CloudTrail event history holds it.",
    );
    expect(
      inRootScope(root.locals.reevaluation_note, { ...ROOT, root_activity_alert_reevaluate: false }),
    ).toBe("");
    const withNote = renderRootActivityEvents(events, {
      ...INPUTS,
      message_suffix: "AWS Config re-evaluates.",
    });
    for (const key of ROOT_EVENT_ALERTS) {
      expect(withNote.alerts[key]?.inputTemplate, key).toContain(
        " AWS Config re-evaluates. Event in CloudTrail",
      );
    }
  });

  it("names fit IAM's 64 characters for the longest name", () => {
    for (const role of ["reevaluate", "reevaluate_start"]) {
      const name = inRootScope(resource("aws_iam_role", role).name, { ...ROOT, name: LONGEST_NAME });
      expect(String(name), role).toContain(LONGEST_NAME);
      expect(String(name).length, role).toBeLessThanOrEqual(64);
    }
  });
});

describe("outputs, example and documentation", () => {
  it("outputs give the alert rules, the regions, the forwarder role and the state machine, null when off", () => {
    const value = (name: string, vars: Record<string, Value>): Value =>
      inRootScope(root.outputs[name]?.value, vars);
    const on = { ...ROOT, root_activity_alert_regions: ["us-east-1", "ap-south-1"] };
    expect(value("root_activity_alert_rule_arns", on)).toBe("<module.notifications[0].alert_rule_arns>");
    expect(value("root_activity_alert_regions", on)).toEqual([REGION, "ap-south-1", "us-east-1"]);
    expect(value("root_activity_forwarder_role_arn", on)).toBe(
      "<module.root_activity_forwarding[0].role_arn>",
    );
    expect(value("reevaluation_state_machine_arn", on)).toBe("<aws_sfn_state_machine.reevaluate[0].arn>");
    const off = { ...on, create_root_activity_alerts: false };
    for (const name of [
      "root_activity_alert_rule_arns",
      "root_activity_alert_regions",
      "root_activity_forwarder_role_arn",
      "reevaluation_state_machine_arn",
    ]) {
      expect(value(name, off), name).toBeNull();
    }
    expect(undocumentedOutputs(root)).toEqual([]);
  });

  it("the example turns the alerts on with the notifications", () => {
    const [, moduleCall] = Object.entries(example.modules)[0] ?? [];
    // On exactly when there are e-mail addresses to notify; the regions given, unchanged.
    const inExample = (expression: unknown, vars: Record<string, Value>): Value =>
      evaluateExpression(expression, moduleScope(example, vars));
    expect(
      inExample(moduleCall?.create_root_activity_alerts, { notification_emails: ["a@example.com"] }),
    ).toBe(true);
    expect(inExample(moduleCall?.create_root_activity_alerts, { notification_emails: [] })).toBe(false);
    expect(inExample(moduleCall?.create_notifications, { notification_emails: ["a@example.com"] })).toBe(
      true,
    );
    expect(
      inExample(moduleCall?.root_activity_alert_regions, { root_activity_alert_regions: ["ap-south-1"] }),
    ).toEqual(["ap-south-1"]);
    expect(example.variables.root_activity_alert_regions?.default).toEqual(["us-east-1"]);
  });

  it.each([
    ["terraform", root],
    ["terraform/modules/root-activity-events", events],
    ["terraform/modules/root-activity-forwarding", forwarding],
  ] as const)("%s: README has the terraform-docs tables and names only what exists", async (dir, module) => {
    const readme = await readFile(join(dir, "README.md"), "utf8");
    for (const [section, expected] of docsTables(module)) {
      expect(readme, `README.md section "## ${section}" should be:\n\n${expected}\n`).toContain(
        `## ${section}\n\n${expected}\n`,
      );
    }
    expect(
      readmeReferenceProblems(readme, {
        outputs: Object.keys(module.outputs),
        callees: { root_activity: root },
        calls: { evaluator, notifications },
      }),
    ).toEqual([]);
  });

  it("the module README shows a message for each kind of event, and says what each needs and what is not covered", async () => {
    const readme = await readFile(join("terraform", "README.md"), "utf8");
    expect(readme).toContain("## Root activity alerts (`create_root_activity_alerts = true`)");
    for (const text of [
      "Root user signed in to the AWS Management Console of account",
      "Failed root user sign-in",
      "Root user sign-in event PasswordUpdated",
      "Root user called CreateUser on iam.amazonaws.com",
      "Centralized root session (sts:AssumeRoot) in account",
      "Root activity alerts: forwarding from account",
      "trail",
      "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
      "us-east-1",
      "Not covered",
      "StartConfigRulesEvaluation",
      "<name>-root-alert-failures",
      "<name>-root-forward-failures",
    ]) {
      expect(readme, text).toContain(text);
    }
  });
});
