/**
 * The edges of the decision code that the scenario tests pass by: anchors of the patterns that read ARNs, account
 * ids and regions; ties between dates; which notes each verdict carries; the exact wording of each refusal; the
 * boundaries of the window for CloudTrail events. One rule per test.
 */
import { describe, expect, it } from "vitest";
import { InvalidEventError } from "../rule/errors.ts";
import { evaluate } from "../rule/evaluate.ts";
import { parseRuleEvent, TEST_MODE_TOKEN } from "../rule/event.ts";
import { parseRuleParameters } from "../rule/params.ts";
import { rootApiCall, rootConsoleSignIn, trail } from "./support/cloudtrail.ts";
import { DAY, NOW, params } from "./support/evaluation.ts";
import { buildReport, iamDate, rootRow } from "./support/report-builder.ts";
import { thrown } from "./support/thrown.ts";

const never = buildReport({ rows: [rootRow()] });
const report = (overrides: Record<string, string>) => buildReport({ rows: [rootRow(overrides)] });
const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs);

describe("evaluate: the root row's arn", () => {
  it("is an account root ARN only when nothing comes before or after it", () => {
    for (const arn of ["xarn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:rootx"]) {
      const verdict = evaluate(report({ arn }), NOW, params());
      expect(verdict.annotation).toBe(
        `Cannot verify root user activity: the <root_account> row's arn "${arn}" is not an account root ARN.`,
      );
    }
  });

  it("reads the partition and account of aws-cn and aws-us-gov ARNs, around spaces", () => {
    const verdict = evaluate(report({ arn: " arn:aws-us-gov:iam::444455556666:root " }), NOW, params());
    expect({ partition: verdict.partition, accountId: verdict.accountId }).toEqual({
      partition: "aws-us-gov",
      accountId: "444455556666",
    });
  });

  it("quotes a long arn cut to 37 characters and ..., a 40-character one whole", () => {
    const forty = "a".repeat(40);
    const long = `${"b".repeat(41)}`;
    expect(evaluate(report({ arn: forty }), NOW, params()).annotation).toBe(
      `Cannot verify root user activity: the <root_account> row's arn "${forty}" is not an account root ARN.`,
    );
    expect(evaluate(report({ arn: long }), NOW, params()).annotation).toBe(
      `Cannot verify root user activity: the <root_account> row's arn "${"b".repeat(37)}..." is not an account root ARN.`,
    );
  });

  it("names the flag column and its value when a key's active flag is neither true nor false", () => {
    expect(evaluate(report({ access_key_2_active: "maybe" }), NOW, params()).annotation).toBe(
      'Cannot verify root user activity: access_key_2_active of the root row is "maybe", not true or false.',
    );
    expect(evaluate(report({ access_key_2_last_used_date: "soon" }), NOW, params()).annotation).toBe(
      'Cannot verify root user activity: access_key_2_last_used_date of the root row is "soon", neither a date nor N/A.',
    );
  });
});

describe("evaluate: ties and order", () => {
  it("names the first credential of password, key 1, key 2 when two were last used at the same instant", () => {
    const same = iamDate(daysAgo(3));
    const verdict = evaluate(
      report({
        password_last_used: same,
        access_key_1_last_used_date: same,
        access_key_2_last_used_date: same,
      }),
      NOW,
      params(),
    );
    expect(verdict.activity?.lastUse?.credential).toBe("password");
  });

  it("takes the report's use over a CloudTrail event at the same instant", () => {
    const when = daysAgo(3);
    const verdict = evaluate(
      {
        report: { content: report({ password_last_used: iamDate(when) }), generatedTime: NOW },
        cloudTrail: trail([rootApiCall({ time: when })], { since: daysAgo(30) }),
      },
      NOW,
      params(),
    );
    expect(verdict.lastUse?.source).toBe("credential report");
  });

  it("names the latest CloudTrail event when several are in the window, whatever order they come in", () => {
    const evidence = trail([rootApiCall({ time: daysAgo(5) }), rootConsoleSignIn({ time: daysAgo(2) })], {
      since: daysAgo(30),
    });
    const reversed = { ...evidence, events: [...evidence.events].reverse() };
    for (const cloudTrail of [evidence, reversed]) {
      const verdict = evaluate({ report: { content: never, generatedTime: NOW }, cloudTrail }, NOW, params());
      expect(verdict.lastUse?.at).toEqual(daysAgo(2));
      expect(verdict.cloudTrail?.status === "read" && verdict.cloudTrail.events.map((e) => e.time)).toEqual([
        daysAgo(2),
        daysAgo(5),
      ]);
    }
  });

  it("does not count a CloudTrail event exactly lookbackDays before, and counts one 1 s later (CloudTrail times are whole seconds)", () => {
    const at = (ms: number) =>
      evaluate(
        {
          report: { content: never, generatedTime: NOW },
          cloudTrail: trail([rootApiCall({ time: new Date(NOW.getTime() - ms) })], { since: daysAgo(30) }),
        },
        NOW,
        params(),
      );
    const edge = at(30 * DAY);
    const inside = at(30 * DAY - 1_000);
    expect(edge.reason).toBe("never-used");
    expect(edge.cloudTrail?.status === "read" && edge.cloudTrail.events).toEqual([]);
    expect(inside.reason).toBe("used-in-window");
  });
});

describe("evaluate: which notes each verdict carries", () => {
  /** CloudTrail covers 90 of 120 days, so every verdict that reads CloudTrail may carry the coverage note. */
  const wide = (content: string, generatedTime: Date = NOW) => ({
    report: { content, generatedTime },
    cloudTrail: trail([], { since: daysAgo(90) }),
  });
  const p = params({ lookbackDays: 120 });

  it("used-in-future carries the coverage note", () => {
    const verdict = evaluate(
      wide(report({ password_last_used: iamDate(new Date(NOW.getTime() + DAY)) })),
      NOW,
      p,
    );
    expect(verdict.reason).toBe("used-in-future");
    expect(verdict.annotation.endsWith(" CloudTrail covers the last 90 days.")).toBe(true);
  });

  it("cannot-verify carries the coverage note", () => {
    const verdict = evaluate(wide(report({ password_last_used: "bad" })), NOW, p);
    expect(verdict.annotation).toBe(
      'Cannot verify root user activity: password_last_used of the root row is "bad", neither a date nor N/A. ' +
        "CloudTrail covers the last 90 days.",
    );
  });

  it("stale-report carries the coverage note", () => {
    const verdict = evaluate(wide(never, daysAgo(1)), NOW, p);
    expect(verdict.reason).toBe("stale-report");
    expect(verdict.annotation.endsWith(" CloudTrail covers the last 90 days.")).toBe(true);
  });

  it("active-access-key carries the coverage note", () => {
    const verdict = evaluate(wide(report({ access_key_1_active: "true" })), NOW, {
      ...p,
      failOnActiveAccessKeys: true,
    });
    expect(verdict.annotation).toBe(
      "Root access key 1 is active (failOnActiveAccessKeys=true): delete root access keys. No root use recorded. " +
        "CloudTrail covers the last 90 days.",
    );
  });
});

describe("evaluate: refusals", () => {
  it("throws for an invalid now, a non-positive maxReportAgeMs and a CloudTrail search that starts late", () => {
    expect(() => evaluate(never, new Date(Number.NaN), params())).toThrow(
      "evaluate: now is not a valid date",
    );
    for (const maxReportAgeMs of [0, -1, Number.NaN]) {
      expect(() => evaluate(never, NOW, params(), { maxReportAgeMs })).toThrow(
        `evaluate: maxReportAgeMs ${maxReportAgeMs} is not positive`,
      );
    }
    expect(evaluate(never, NOW, params(), { maxReportAgeMs: 1 }).complianceType).toBe("COMPLIANT");
    expect(() =>
      evaluate(
        { report: { content: never, generatedTime: NOW }, cloudTrail: trail([], { since: daysAgo(29) }) },
        NOW,
        params(),
      ),
    ).toThrow("evaluate: the CloudTrail evidence starts after the start of the window");
  });

  it("throws naming lookbackDays for a value a caller built by hand", () => {
    expect(() => evaluate(never, NOW, params({ lookbackDays: 1.5 }))).toThrow(
      "evaluate: lookbackDays 1.5 is not a whole number from 1 to 3650",
    );
  });
});

describe("parseRuleEvent: anchors and types", () => {
  const base = {
    invokingEvent: JSON.stringify({
      messageType: "ScheduledNotification",
      notificationCreationTime: "2026-11-29T10:00:00Z",
      awsAccountId: "111122223333",
    }),
    resultToken: "token",
    accountId: "111122223333",
  };
  const failure = (raw: unknown) => thrown(() => parseRuleEvent(raw), InvalidEventError).message;

  it("refuses an account id with anything after its 12 digits", () => {
    expect(failure({ ...base, accountId: "111122223333x" })).toBe(
      "Invalid AWS Config event: accountId is not a 12-digit AWS account id.",
    );
  });

  it("reads the partition only from an ARN's start; the execution role's when the rule's names none; aws otherwise", () => {
    const partition = (fields: Record<string, unknown>) => parseRuleEvent({ ...base, ...fields }).partition;
    expect(partition({ configRuleArn: "xarn:aws-cn:config:::" })).toBe("aws");
    expect(partition({ configRuleArn: "arn:aws-cn:config:cn-north-1:111122223333:config-rule/x" })).toBe(
      "aws-cn",
    );
    expect(partition({ executionRoleArn: "arn:aws-us-gov:iam::111122223333:role/x" })).toBe("aws-us-gov");
    expect(
      partition({ configRuleArn: "not an arn", executionRoleArn: "arn:aws-cn:iam::111122223333:role/x" }),
    ).toBe("aws-cn");
    expect(partition({})).toBe("aws");
  });

  it("takes null optional fields as absent, and names the type of a wrong one", () => {
    const parsed = parseRuleEvent({ ...base, configRuleName: null, ruleParameters: null });
    expect(parsed.configRuleName).toBeUndefined();
    expect(parsed.ruleParameters).toBeUndefined();
    expect(failure({ ...base, ruleParameters: 1 })).toBe(
      "Invalid AWS Config event: ruleParameters is not a JSON string.",
    );
    expect(failure({ ...base, configRuleName: ["x"] })).toBe(
      "Invalid AWS Config event: configRuleName is an array, not a string.",
    );
    expect(failure({ ...base, configRuleName: {} })).toBe(
      "Invalid AWS Config event: configRuleName is an object, not a string.",
    );
    expect(failure({ ...base, configRuleName: 7 })).toBe(
      "Invalid AWS Config event: configRuleName is a number, not a string.",
    );
  });

  it("accepts an invoking event without awsAccountId, refuses one for another account, keeps the JSON error as cause", () => {
    const without = JSON.stringify({
      messageType: "ScheduledNotification",
      notificationCreationTime: "2026-11-29T10:00:00Z",
    });
    expect(parseRuleEvent({ ...base, invokingEvent: without }).invokingEvent.awsAccountId).toBeUndefined();
    const other = JSON.stringify({
      messageType: "ScheduledNotification",
      notificationCreationTime: "2026-11-29T10:00:00Z",
      awsAccountId: "444455556666",
    });
    expect(failure({ ...base, invokingEvent: other })).toBe(
      "Invalid AWS Config event: invokingEvent.awsAccountId does not match accountId 111122223333.",
    );
    const error = thrown(() => parseRuleEvent({ ...base, invokingEvent: "{" }), InvalidEventError);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("names the console's test-mode token", () => {
    expect(TEST_MODE_TOKEN).toBe("TESTMODE");
  });
});

describe("parseRuleParameters: edges", () => {
  it("takes a blank string or a value of spaces as unset", () => {
    expect(parseRuleParameters("   ")).toEqual(parseRuleParameters(undefined));
    expect(parseRuleParameters({ lookbackDays: "   ", cloudTrailRegions: " " })).toEqual(
      parseRuleParameters(undefined),
    );
  });

  it("accepts regions numbered with two digits, and at most 50 of them", () => {
    expect(parseRuleParameters({ cloudTrailRegions: "ap-southeast-10" }).cloudTrailRegions).toEqual([
      "ap-southeast-10",
    ]);
    const regions = (n: number) => Array.from({ length: n }, (_, i) => `xx-test-${i + 1}`).join(",");
    expect(parseRuleParameters({ cloudTrailRegions: regions(50) }).cloudTrailRegions).toHaveLength(50);
    expect(() => parseRuleParameters({ cloudTrailRegions: regions(51) })).toThrow(/at most 50/);
  });
});
