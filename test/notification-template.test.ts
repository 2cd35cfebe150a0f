/**
 * The messages of the notifications, as the plans of the modules give their input transformers
 * (test/support/plan.ts) and EventBridge renders them (a model of its input transformer,
 * test/support/input-transformer.ts): a compliance change of the single-account rule and of the organization
 * rule in a member account, against sample AWS Config events; the root activity alerts against CloudTrail
 * records (test/fixtures/cloudtrail-events). The READMEs show these messages as they are rendered.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annotations, MAX_ANNOTATION_LENGTH } from "../rule/annotation.ts";
import { type EventPattern, matches, parsePattern } from "./support/event-pattern.ts";
import type { Value } from "./support/hcl-expression.ts";
import {
  complianceChangeEvent,
  type InputTransformer,
  lookupPath,
  MAX_INPUT_PATHS,
  messageText,
  placeholders,
  render,
} from "./support/input-transformer.ts";
import { type Instance, loadConfiguration, type Plan, plan, WORLD } from "./support/plan.ts";

const root = await loadConfiguration("terraform");
const organization = await loadConfiguration("terraform/modules/organization");

/** The input transformer of the target of the rule named `rule` in a plan. */
function transformerOf(planned: Plan, rule: string): InputTransformer {
  // The target that publishes: a root event alert rule also starts the re-evaluation, without a transformer.
  const target = planned.resources.find(
    (resource) =>
      resource.type === "aws_cloudwatch_event_target" &&
      resource.values.rule === rule &&
      "input_transformer" in resource.values,
  );
  const block = ((target?.values.input_transformer ?? []) as Record<string, Value>[])[0];
  if (block === undefined) throw new Error(`no input transformer on the target of ${rule}`);
  return {
    inputPaths: block.input_paths as Record<string, string>,
    inputTemplate: String(block.input_template),
  };
}

/** The compliance change message of the single-account module in `partition`. */
const singleTransformer = (partition = "aws"): InputTransformer =>
  transformerOf(
    plan(root, { create_notifications: true }, { ...WORLD, partition }),
    "root-activity-compliance",
  );

const transformer = singleTransformer();
const inputPaths = transformer.inputPaths;
const rawTemplate = transformer.inputTemplate;

const message = (event: Record<string, unknown>): string => messageText(render(transformer, event));

const consoleLink =
  "https://console.aws.amazon.com/config/home?region=eu-west-1#/rules/details?configRuleName=root-activity";

const usedAnnotation = annotations.usedInWindow(
  { source: "credential report", credential: "password", at: new Date("2025-03-12T08:00:00Z") },
  new Date("2025-03-14T09:26:00Z"),
  30,
);

describe("the notification template", () => {
  it("is one quoted JSON string within EventBridge's limits", () => {
    expect(rawTemplate.startsWith('"') && rawTemplate.endsWith('"')).toBe(true);
    expect(rawTemplate).not.toContain("\n");
    expect(Object.keys(inputPaths).length).toBeLessThanOrEqual(MAX_INPUT_PATHS);
    for (const key of Object.keys(inputPaths)) expect(key.toLowerCase().startsWith("aws.")).toBe(false);
  });

  it("uses every input path and nothing else", () => {
    expect(new Set(placeholders(transformer.inputTemplate))).toEqual(new Set(Object.keys(inputPaths)));
  });

  it("links to the rule in the console of each partition", () => {
    for (const [partition, host, region] of [
      ["aws", "console.aws.amazon.com", "eu-west-1"],
      ["aws-cn", "console.amazonaws.cn", "cn-north-1"],
      ["aws-us-gov", "console.amazonaws-us-gov.com", "us-gov-west-1"],
    ] as const) {
      const text = messageText(
        render(
          singleTransformer(partition),
          complianceChangeEvent({ compliance: "NON_COMPLIANT", annotation: "x", region }),
        ),
      );
      expect(text).toContain(
        `https://${host}/config/home?region=${region}#/rules/details?configRuleName=root-activity`,
      );
    }
  });

  it("reads only fields that every compliance change of the rule carries", () => {
    // oldEvaluationResult is absent on the first evaluation: a placeholder for it would be empty then.
    for (const path of Object.values(inputPaths)) expect(path).not.toContain("oldEvaluationResult");
    const samples = [
      complianceChangeEvent({
        compliance: "NON_COMPLIANT",
        previous: "COMPLIANT",
        annotation: usedAnnotation,
      }),
      complianceChangeEvent({ compliance: "COMPLIANT", previous: "NON_COMPLIANT", annotation: "ok" }),
      complianceChangeEvent({ compliance: "NON_COMPLIANT", annotation: usedAnnotation }),
    ];
    for (const sample of samples) {
      for (const [name, path] of Object.entries(inputPaths)) {
        const found = lookupPath(sample, path);
        expect(found.found, `${name} (${path})`).toBe(true);
        if (found.found) expect(typeof found.value, name).toBe("string");
      }
    }
  });

  it("NON_COMPLIANT: names the account, the verdict, the annotation, the time and links to the rule", () => {
    const text = message(
      complianceChangeEvent({
        compliance: "NON_COMPLIANT",
        previous: "COMPLIANT",
        annotation: usedAnnotation,
      }),
    );
    expect(text).toBe(
      "Root user activity: account 123456789012 is now NON_COMPLIANT for AWS Config rule root-activity in eu-west-1 " +
        `(2025-03-14T09:26:53Z). ${usedAnnotation} Rule in the console: ${consoleLink}`,
    );
    expect(usedAnnotation).toMatch(/^Root user signed in with the password /);
  });

  it("COMPLIANT again: the same message with the new verdict", () => {
    const annotation = "Root user not used in the last 30 days: password last used 2025-01-02 (71 days ago).";
    const text = message(
      complianceChangeEvent({ compliance: "COMPLIANT", previous: "NON_COMPLIANT", annotation }),
    );
    expect(text).toContain("account 123456789012 is now COMPLIANT for AWS Config rule root-activity");
    expect(text).toContain(annotation);
    expect(text).toContain(consoleLink);
  });

  it("the first evaluation (no oldEvaluationResult) gives the complete message", () => {
    const first = complianceChangeEvent({ compliance: "NON_COMPLIANT", annotation: usedAnnotation });
    expect((first.detail as Record<string, unknown>).oldEvaluationResult).toBeUndefined();
    const withPrevious = complianceChangeEvent({
      compliance: "NON_COMPLIANT",
      previous: "COMPLIANT",
      annotation: usedAnnotation,
    });
    expect(message(first)).toBe(message(withPrevious));
    expect(message(first)).not.toMatch(/<|undefined|null/);
  });

  it("keeps an annotation with quotes, backslashes, a line break and angle brackets intact", () => {
    const annotation = annotations.cannotVerify(
      'IAM said "Throttling: Rate exceeded" for C:\\reports\nthe report has no <root_account> row',
    );
    const output = render(transformer, complianceChangeEvent({ compliance: "NON_COMPLIANT", annotation }));
    const text = messageText(output);
    expect(text).toContain(`. ${annotation} Rule in the console:`);
    // The value's own "<root_account>" is text, not a placeholder.
    expect(text).toContain("<root_account>");

    // Substituted without escaping (what older EventBridge guides describe), the quote would end
    // the JSON string early: one more reason the annotation is the only free text in it.
    expect(() =>
      messageText(
        render(transformer, complianceChangeEvent({ compliance: "NON_COMPLIANT", annotation }), {
          escapeInStrings: false,
        }),
      ),
    ).toThrow();
  });

  it("stays short with the longest annotation Config accepts", () => {
    const annotation = annotations.cannotVerify("x".repeat(400));
    expect(annotation).toHaveLength(MAX_ANNOTATION_LENGTH);
    const text = message(complianceChangeEvent({ compliance: "NON_COMPLIANT", annotation }));
    expect(text).toContain(annotation);
    expect(text.length).toBeLessThan(700);
  });

  it("works for any rule name the module accepts (no escaping needed in the link)", () => {
    const rule = `R${"a_-9".repeat(11)}b`.slice(0, 48);
    const text = message(complianceChangeEvent({ compliance: "NON_COMPLIANT", annotation: "a", rule }));
    expect(text).toContain(`#/rules/details?configRuleName=${rule}`);
    expect(encodeURIComponent(rule)).toBe(rule);
  });
});

describe("the message of an organization compliance change", () => {
  const MEMBER_ACCOUNT = "111122223333";
  const MEMBER_RULE = "OrgConfigRule-root-activity-abc123";
  const memberEvent = (values: Partial<Parameters<typeof complianceChangeEvent>[0]> = {}) =>
    complianceChangeEvent({
      compliance: "NON_COMPLIANT",
      previous: "COMPLIANT",
      annotation: "Root user used.",
      account: MEMBER_ACCOUNT,
      rule: MEMBER_RULE,
      ...values,
    });
  const organizationTransformer = (aggregator: boolean): InputTransformer =>
    transformerOf(
      plan(organization, { create_notifications: true, create_aggregator: aggregator }),
      "root-activity-compliance",
    );

  it("reads the single-account message's fields, up to the annotation in the same words", () => {
    const { inputPaths: paths, inputTemplate } = organizationTransformer(true);
    expect(paths).toEqual(inputPaths);
    const shared = rawTemplate.slice(0, rawTemplate.indexOf("<annotation> ") + "<annotation> ".length);
    expect(inputTemplate.startsWith(shared)).toBe(true);
    expect(placeholders(inputTemplate).sort()).toEqual(Object.keys(inputPaths).sort());
  });

  it.each([
    [true, `All accounts: the root-activity aggregator of AWS Config in account ${WORLD.accountId}.`],
    [false, `Organization rule root-activity of account ${WORLD.accountId}.`],
  ])(
    "names the member account, the verdict, the rule and where to look (aggregator: %s)",
    (aggregator, tail) => {
      const text = messageText(
        render(organizationTransformer(aggregator), memberEvent({ region: "eu-central-1" })),
      );
      expect(text).toBe(
        `Root user activity: account ${MEMBER_ACCOUNT} is now NON_COMPLIANT for AWS Config rule ${MEMBER_RULE} in eu-central-1 (2025-03-14T09:26:53Z). Root user used. ${tail}`,
      );
      const back = messageText(
        render(
          organizationTransformer(aggregator),
          memberEvent({ compliance: "COMPLIANT", previous: "NON_COMPLIANT" }),
        ),
      );
      expect(back).toContain(`account ${MEMBER_ACCOUNT} is now COMPLIANT`);
    },
  );
});

describe("the input transformer model (EventBridge user guide examples)", () => {
  const ec2 = {
    version: "0",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "123456789012",
    time: "2015-11-11T21:29:54Z",
    region: "us-east-1",
    resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    detail: { "instance-id": "i-0123456789", state: "RUNNING" },
  };
  const paths = { instance: "$.detail.instance-id", state: "$.detail.state" };

  it("simple string", () => {
    expect(render({ inputPaths: paths, inputTemplate: '"instance <instance> is in <state>"' }, ec2)).toBe(
      '"instance i-0123456789 is in RUNNING"',
    );
  });

  it("JSON with variables outside quotes and static values", () => {
    const output = render(
      {
        inputPaths: paths,
        inputTemplate: '{ "instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes" }',
      },
      ec2,
    );
    expect(JSON.parse(output)).toEqual({
      instance: "i-0123456789",
      state: [9, "RUNNING", true],
      Transformed: "Yes",
    });
  });

  it("reserved variables, in a string and as JSON values", () => {
    expect(
      render({ inputPaths: {}, inputTemplate: '"<aws.events.rule-name> triggered"' }, ec2, {
        ruleName: "example",
      }),
    ).toBe('"example triggered"');
    const output = JSON.parse(
      render(
        { inputPaths: {}, inputTemplate: '{"event": <aws.events.event>, "full": <aws.events.event.json>}' },
        ec2,
      ),
    );
    expect(output.event.detail).toBeUndefined();
    expect(output.full).toEqual(ec2);
    expect(() => render({ inputPaths: {}, inputTemplate: '"<aws.events.event>"' }, ec2)).toThrow(
      /JSON value/,
    );
  });

  it("a path missing from the event creates no variable: its placeholder gives nothing", () => {
    expect(
      render(
        { inputPaths: { ...paths, zone: "$.detail.zone" }, inputTemplate: '"<instance> in <zone>."' },
        ec2,
      ),
    ).toBe('"i-0123456789 in ."');
  });

  it("looks up array indices and refuses what EventBridge does not support", () => {
    expect(lookupPath(ec2, "$.resources[0]")).toEqual({
      found: true,
      value: "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111",
    });
    expect(lookupPath(ec2, "$.resources[1]")).toEqual({ found: false });
    expect(() => lookupPath(ec2, "$['detail']")).toThrow(/unsupported/);
    expect(() => lookupPath(ec2, "detail.state")).toThrow(/\$/);
    expect(() => render({ inputPaths: paths, inputTemplate: '"<typo>"' }, ec2)).toThrow(/no input path/);
    expect(() => render({ inputPaths: { "AWS.x": "$.id" }, inputTemplate: '"x"' }, ec2)).toThrow(/reserved/);
    expect(() => render({ inputPaths: paths, inputTemplate: "" }, ec2)).toThrow(/8192/);
  });

  it("escaped quotes in the template stay as they are", () => {
    expect(
      render({ inputPaths: paths, inputTemplate: '"instance \\"<instance>\\" is in <state>"' }, ec2),
    ).toBe('"instance \\"i-0123456789\\" is in RUNNING"');
  });
});

// ---------------------------------------------------------------------------------------------
// Root activity alerts
// ---------------------------------------------------------------------------------------------

const FIXTURES = "test/fixtures/cloudtrail-events";
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Record<string, unknown>;

/** The alerts of a plan, by key: each rule's pattern and its target's input transformer. */
function alertsOf(planned: Plan): Record<string, { pattern: EventPattern; transformer: InputTransformer }> {
  const rules = planned.resources.filter(
    (resource: Instance) =>
      resource.type === "aws_cloudwatch_event_rule" && /\.alert\["/.test(resource.address),
  );
  return Object.fromEntries(
    rules.map((rule) => [
      String(rule.key),
      {
        pattern: parsePattern(String(rule.values.event_pattern)),
        transformer: transformerOf(planned, String(rule.values.name)),
      },
    ]),
  );
}

const ALERTS = { create_notifications: true, create_root_activity_alerts: true };
/** With the defaults the single-account module re-evaluates (cloudtrail_lookup is on); the organization does not. */
const singleAlerts = alertsOf(plan(root, ALERTS));
const organizationAlerts = alertsOf(plan(organization, ALERTS));

/** The message of the one alert `event` raises. */
function alertMessage(
  alerts: typeof singleAlerts,
  event: Record<string, unknown>,
): { key: string; text: string } {
  const raised = Object.entries(alerts).filter(([, alert]) => matches(alert.pattern, event));
  expect(raised).toHaveLength(1);
  const [key = "", alert] = raised[0] ?? [];
  if (alert === undefined) throw new Error("no alert");
  return { key, text: messageText(render(alert.transformer, event)) };
}

const ALERT_FIXTURES = readdirSync(FIXTURES)
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.replace(/\.json$/, ""))
  .filter((name) => Object.values(singleAlerts).some((alert) => matches(alert.pattern, fixture(name))));

describe("the root activity alert messages", () => {
  it("exist for the sign-ins, the failed sign-in, another sign-in event, API calls, a centralized session and the forwarding alarm", () => {
    expect(ALERT_FIXTURES.sort()).toEqual([
      "centralized-root-session",
      "forwarding-alarm-state-change",
      "root-api-call-access-key",
      "root-api-call-console-session",
      "root-console-sign-in",
      "root-console-sign-in-failure",
      "root-console-sign-in-mfa",
      "root-password-updated",
      "root-read-only-api-call",
    ]);
  });

  it.each(ALERT_FIXTURES)("%s: one readable paragraph, every part filled in", (name) => {
    const event = fixture(name);
    for (const alerts of [singleAlerts, organizationAlerts]) {
      const { text } = alertMessage(alerts, event);
      expect(text).not.toMatch(/[\n\r]/);
      // An empty placeholder would leave "  ", " ," or " ." behind.
      expect(text).not.toMatch(/ {2}| [,.:;)]/);
      expect(text).toContain(String(event.account));
      const region = String((event.detail as { awsRegion?: string }).awsRegion ?? event.region);
      expect(text).toContain(region);
    }
  });

  it.each(ALERT_FIXTURES.filter((name) => name !== "forwarding-alarm-state-change"))(
    "%s: names what happened, the source IP, the user agent and the time, says whether it was a centralized session, links to the event",
    (name) => {
      const event = fixture(name);
      const detail = event.detail as Record<string, string>;
      const { key, text } = alertMessage(singleAlerts, event);
      for (const part of [detail.sourceIPAddress, detail.userAgent, detail.eventTime])
        expect(text, key).toContain(part);
      expect(text).toContain(
        `https://console.aws.amazon.com/cloudtrailv2/home?region=${detail.awsRegion}#/events/${detail.eventID}`,
      );
      expect(text).toMatch(
        key === "assumed"
          ? /^Centralized root session \(sts:AssumeRoot\)/
          : /not a centralized root session/i,
      );
      expect(text).toContain(
        "AWS Config re-evaluates the rule root-activity about 15 minutes after the event",
      );
      expect(alertMessage(organizationAlerts, event).text).not.toContain("re-evaluates");
    },
  );

  it("a console sign-in: success, MFA used or not", () => {
    const { text } = alertMessage(singleAlerts, fixture("root-console-sign-in"));
    expect(text).toMatch(
      /^Root user signed in to the AWS Management Console of account 111122223333: sign-in recorded in us-east-1 at 2022-11-10T16:24:34Z, MFA used: No,/,
    );
    expect(alertMessage(singleAlerts, fixture("root-console-sign-in-mfa")).text).toContain("MFA used: YES");
  });

  it("a failed sign-in says it is worth an alert too", () => {
    const { key, text } = alertMessage(singleAlerts, fixture("root-console-sign-in-failure"));
    expect(key).toBe("failed");
    expect(text).toMatch(/^Failed root user sign-in to the AWS Management Console of account 111122223333/);
    expect(text).toContain("A failed root sign-in is worth an alert too");
  });

  it("an API call names the call, the service and the access key", () => {
    const { text } = alertMessage(singleAlerts, fixture("root-api-call-access-key"));
    expect(text).toMatch(
      /^Root user called CreateUser on iam\.amazonaws\.com in account 111122223333: region us-east-1,/,
    );
    expect(text).toContain("access key AKIAIOSFODNN7EXAMPLE");
  });

  it("a centralized root session is told apart and names the member account", () => {
    const { key, text } = alertMessage(organizationAlerts, fixture("centralized-root-session"));
    expect(key).toBe("assumed");
    expect(text).toMatch(
      /^Centralized root session \(sts:AssumeRoot\) in account 222222222222: DeleteBucketPolicy on s3\.amazonaws\.com/,
    );
    expect(text).toContain("count_centralized_root_sessions");
  });

  it("a value with quotes or a line break stays inside the JSON string (EventBridge escapes it)", () => {
    const event = fixture("root-console-sign-in") as { detail: Record<string, unknown> };
    const hostile = { ...event, detail: { ...event.detail, userAgent: 'Evil "agent"\nwith a line break' } };
    const { text } = alertMessage(singleAlerts, hostile);
    expect(text).toContain('user agent Evil "agent"\nwith a line break.');
  });

  it.each([
    [
      "terraform/README.md",
      () => singleAlerts,
      [
        "root-console-sign-in-mfa",
        "root-console-sign-in-failure",
        "root-password-updated",
        "root-api-call-access-key",
        "centralized-root-session",
        "forwarding-alarm-state-change",
      ],
    ],
    [
      "terraform/modules/organization/README.md",
      () => organizationAlerts,
      ["root-console-sign-in-mfa", "centralized-root-session"],
    ],
  ] as const)("%s shows the messages exactly as they are rendered", async (path, alerts, names) => {
    const readme = readFileSync(path, "utf8");
    for (const name of names) {
      const event = fixture(name);
      const raised = Object.values(alerts()).find((alert) => matches(alert.pattern, event));
      if (raised === undefined) throw new Error(`no alert for ${name}`);
      expect(readme, name).toContain(`  ${render(raised.transformer, event)}\n`);
    }
  });
});
