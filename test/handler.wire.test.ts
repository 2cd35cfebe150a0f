/**
 * The Lambda handler's rules (README "Lambda handler"), each driven through the built bundle and the real SDK
 * over HTTP against the local AWS endpoint.
 */
import { describe, expect, it } from "vitest";
import type { ConfigRuleInvocation } from "../rule/event.ts";
import { buildReport, daysBefore, iamDate, rootRow, userRow } from "./support/report-builder.ts";
import { callsOf, configEvent, eventTime, HOUR, useWire } from "./support/wire.ts";

const { aws, invoke } = useWire();
const { actions } = callsOf(aws);

/** A fixed event time, days away from the machine's clock: a handler that evaluated at the clock would show. */
const T = "2026-11-29T10:00:00.373Z";
/** A report whose root password was used 2 days before the event's time. */
const recentUse = (event: ConfigRuleInvocation) =>
  buildReport({ rows: [rootRow({ password_last_used: iamDate(daysBefore(eventTime(event), 2)) })] });
const noUse = () => buildReport({ rows: [rootRow(), userRow("alice@example.com")] });

describe("the evaluation time is the event's notificationCreationTime, not the clock", () => {
  it("counts a use at T − 29 days and not one at T − 31 days, for an event sent at a fixed time T", async () => {
    // Prepare: T is months before the machine's clock, so a handler evaluating at the clock would find both old.
    const t = new Date("2026-06-01T00:00:00Z");
    const event = configEvent({ notificationCreationTime: t.toISOString() });
    const reportUsedAt = (days: number) =>
      buildReport({
        rows: [rootRow({ password_last_used: iamDate(new Date(t.getTime() - days * 86_400_000)) })],
      });
    // Act
    aws.setReport(reportUsedAt(29));
    const inside = await invoke(event);
    aws.setReport(reportUsedAt(31));
    const outside = await invoke(event);
    // Assess
    expect(inside.result).toEqual({
      accountId: "111122223333",
      complianceType: "NON_COMPLIANT",
      annotation:
        "Root user signed in with the password 2026-05-03T00:00:00Z (credential report) 29 days ago, inside the " +
        "30-day window.",
    });
    expect(outside.result?.complianceType).toBe("COMPLIANT");
    expect(outside.result?.annotation).toMatch(
      /^Root user not used in the last 30 days \(credential report and CloudTrail, .*\)\. Latest use: signed in with the password 2026-05-01T00:00:00Z \(credential report\), 31 days ago\.$/,
    );
    expect(aws.evaluations.map((put) => put.evaluations[0]?.OrderingTimestamp)).toEqual([
      t.getTime() / 1000,
      t.getTime() / 1000,
    ]);
  });
});

describe("report retrieval", () => {
  it("uses a report younger than 4 hours with one GetCredentialReport call and one PutEvaluations", async () => {
    // Prepare
    const event = configEvent({ notificationCreationTime: "2026-11-29T10:00:00.373Z" });
    aws.setReport(recentUse(event), { generatedTime: new Date(Date.now() - 3 * HOUR) });
    // Act
    const { result, error } = await invoke(event);
    // Assess
    expect(error).toBeUndefined();
    expect(result?.complianceType).toBe("NON_COMPLIANT");
    expect(actions()).toEqual(["iam:GetCredentialReport", "config:PutEvaluations"]);
    expect(aws.evaluations).toHaveLength(1);
    const [put] = aws.evaluations;
    expect(put?.resultToken).toBe(event.resultToken);
    expect(put?.testMode).toBe(false);
    expect(put?.evaluations).toEqual([
      {
        ComplianceResourceType: "AWS::::Account",
        ComplianceResourceId: "111122223333",
        ComplianceType: "NON_COMPLIANT",
        Annotation: expect.stringMatching(/^Root user signed in with the password/),
        OrderingTimestamp: Date.parse("2026-11-29T10:00:00.373Z") / 1000,
      },
    ]);
  });

  it("generates a new report when the existing one is 4 hours old or more, then waits for it", async () => {
    // Prepare
    aws.setReport(noUse(), { generatedTime: new Date(Date.now() - 5 * HOUR) });
    const event = configEvent();
    aws.onGenerate(recentUse(event), { readyAfterPolls: 1 });
    // Act
    const { result, error } = await invoke(event);
    // Assess
    expect(error).toBeUndefined();
    expect(result?.complianceType).toBe("NON_COMPLIANT");
    expect(actions()).toEqual([
      "iam:GetCredentialReport",
      "iam:GenerateCredentialReport",
      "iam:GetCredentialReport",
      "iam:GetCredentialReport",
      "config:PutEvaluations",
    ]);
  });

  it("generates a report when none exists (ReportNotPresent) and posts once when it becomes ready after several polls", async () => {
    // Prepare
    aws.clearReport();
    aws.onGenerate(noUse(), { readyAfterPolls: 3 });
    // Act
    const { result, error } = await invoke(configEvent());
    // Assess
    expect(error).toBeUndefined();
    expect(result?.complianceType).toBe("COMPLIANT");
    expect(actions().filter((a) => a === "iam:GenerateCredentialReport")).toHaveLength(1);
    expect(actions().filter((a) => a === "iam:GetCredentialReport")).toHaveLength(5);
    expect(aws.evaluations).toHaveLength(1);
  });

  it("generates a report when the existing one expired (ReportExpired)", async () => {
    // Prepare
    aws.setReport(noUse());
    aws.expireReport();
    const event = configEvent();
    aws.onGenerate(recentUse(event));
    // Act
    const { result } = await invoke(event);
    // Assess
    expect(result?.complianceType).toBe("NON_COMPLIANT");
    expect(actions()).toContain("iam:GenerateCredentialReport");
  });

  it("fails with a clear error, within the Lambda's remaining time, and posts nothing when the report is not ready in time", async () => {
    // Prepare
    aws.clearReport();
    aws.onGenerate(noUse(), { readyAfterPolls: 1_000 });
    const started = Date.now();
    // Act
    const { error } = await invoke(configEvent(), 3_000);
    // Assess
    expect(error?.name).toBe("ReportNotReadyError");
    expect(error?.message).toMatch(/not ready after \d+ s .*nothing was posted/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(aws.evaluations).toHaveLength(0);
    expect(actions()).not.toContain("config:PutEvaluations");
  });

  it("waits between polls with back-off, never in a busy loop", async () => {
    // Prepare
    aws.clearReport();
    aws.onGenerate(noUse(), { readyAfterPolls: 1_000 });
    // Act
    await invoke(configEvent(), 4_000);
    // Assess: with 250 ms doubling back-off, ~3 s allows a handful of polls, not hundreds.
    const polls = actions().filter((a) => a === "iam:GetCredentialReport").length;
    expect(polls).toBeGreaterThan(2);
    expect(polls).toBeLessThan(10);
  });
});

describe("verdict and PutEvaluations", () => {
  it("posts with TestMode when the result token is TESTMODE", async () => {
    // Prepare
    aws.setReport(noUse());
    // Act
    const { error } = await invoke(configEvent({ resultToken: "TESTMODE" }));
    // Assess
    expect(error).toBeUndefined();
    expect(aws.evaluations[0]?.testMode).toBe(true);
  });

  it("posts NOT_APPLICABLE without reading the report when the event left scope", async () => {
    // Prepare
    const event = configEvent({ eventLeftScope: true });
    aws.setReport(recentUse(event));
    // Act
    const { result } = await invoke(event);
    // Assess
    expect(result?.complianceType).toBe("NOT_APPLICABLE");
    expect(actions()).toEqual(["config:PutEvaluations"]);
    expect(aws.evaluations[0]?.evaluations[0]?.ComplianceType).toBe("NOT_APPLICABLE");
  });

  it("posts NON_COMPLIANT 'Cannot verify' for a report that cannot be read", async () => {
    // Prepare
    aws.setReport("this is not a credential report\n");
    // Act
    const { result } = await invoke(configEvent());
    // Assess
    expect(result?.complianceType).toBe("NON_COMPLIANT");
    expect(aws.evaluations[0]?.evaluations[0]?.Annotation).toMatch(/^Cannot verify/);
  });

  it("applies the rule parameters (lookbackDays, failOnActiveAccessKeys) sent as strings, numbers or booleans", async () => {
    // Prepare: root used 40 days before the event's time, with an active key.
    const at = (ruleParameters: string) => configEvent({ notificationCreationTime: T, ruleParameters });
    aws.setReport(
      buildReport({
        rows: [
          rootRow({ password_last_used: iamDate(daysBefore(new Date(T), 40)), access_key_1_active: "true" }),
        ],
      }),
    );
    // Act
    const wide = await invoke(at('{"lookbackDays":"45"}'));
    const narrow = await invoke(at('{"lookbackDays":30}'));
    const keys = await invoke(at('{"lookbackDays":"30","failOnActiveAccessKeys":true}'));
    // Assess
    expect(wide.result?.complianceType).toBe("NON_COMPLIANT");
    expect(narrow.result?.complianceType).toBe("COMPLIANT");
    expect(keys.result?.complianceType).toBe("NON_COMPLIANT");
  });

  it("uses the defaults when ruleParameters is missing or empty", async () => {
    // Prepare: used 29 days before the event's time (inside the default 30).
    aws.setReport(
      buildReport({ rows: [rootRow({ password_last_used: iamDate(daysBefore(new Date(T), 29)) })] }),
    );
    // Act
    const missing = await invoke(configEvent({ notificationCreationTime: T, ruleParameters: undefined }));
    const empty = await invoke(configEvent({ notificationCreationTime: T, ruleParameters: "" }));
    // Assess
    expect(missing.result?.complianceType).toBe("NON_COMPLIANT");
    expect(empty.result?.complianceType).toBe("NON_COMPLIANT");
  });

  it("fails naming the parameter, and makes no call, for invalid parameters", async () => {
    // Prepare
    aws.setReport(noUse());
    // Act
    const { error } = await invoke(configEvent({ ruleParameters: '{"lookbackDays":"0"}' }));
    const unknown = await invoke(configEvent({ ruleParameters: '{"lookBackDays":"10"}' }));
    // Assess
    expect(error?.name).toBe("InvalidParameterError");
    expect(error?.message).toMatch(/lookbackDays="0".*1 to 3650/);
    expect(unknown.error?.message).toMatch(/lookBackDays.*known parameters/);
    expect(aws.calls).toHaveLength(0);
  });

  it("fails with a clear error, and makes no call, for a malformed event", async () => {
    // Prepare
    const notJson = { ...configEvent(), invokingEvent: "{not json" };
    // Act
    const a = await invoke(notJson);
    const b = await invoke({ hello: "world" });
    const c = await invoke(null);
    // Assess
    expect(a.error?.message).toMatch(/invokingEvent is not valid JSON/);
    expect(b.error?.message).toMatch(/accountId is missing/);
    expect(c.error?.name).toBe("InvalidEventError");
    expect(aws.calls).toHaveLength(0);
  });

  it("fails and posts nothing when the report's root ARN names another account", async () => {
    // Prepare
    aws.setReport(buildReport({ rows: [rootRow({}, "999988887777")] }));
    // Act
    const { error } = await invoke(configEvent());
    // Assess
    expect(error?.name).toBe("AccountMismatchError");
    expect(error?.message).toMatch(/999988887777.*111122223333/);
    expect(aws.evaluations).toHaveLength(0);
  });

  it("fails when Config lists the evaluation in FailedEvaluations", async () => {
    // Prepare
    aws.setReport(noUse());
    aws.inject({ kind: "failedEvaluations" });
    // Act
    const { error } = await invoke(configEvent());
    // Assess
    expect(error?.name).toBe("PutEvaluationsError");
    expect(error?.message).toMatch(/FailedEvaluations/);
  });

  it("fails with a hint when Config rejects the result token", async () => {
    // Prepare
    aws.setReport(noUse());
    aws.inject({ kind: "error", service: "config", status: 400, code: "InvalidResultTokenException" });
    // Act
    const { error } = await invoke(configEvent());
    // Assess
    expect(error?.name).toBe("PutEvaluationsError");
    expect(error?.message).toMatch(/InvalidResultTokenException.*result token/);
  });
});

describe("retries", () => {
  it("retries IAM throttling and 5xx with the SDK's retry strategy, then posts once", async () => {
    // Prepare
    aws.setReport(noUse());
    aws.inject({
      kind: "error",
      service: "iam",
      action: "GetCredentialReport",
      status: 400,
      code: "Throttling",
      times: 2,
    });
    aws.inject({ kind: "error", service: "config", status: 503, code: "ServiceUnavailable", times: 1 });
    // Act
    const { result, logs } = await invoke(configEvent());
    // Assess
    expect(result?.complianceType).toBe("COMPLIANT");
    expect(actions()).toEqual([
      "iam:GetCredentialReport",
      "iam:GetCredentialReport",
      "iam:GetCredentialReport",
      "config:PutEvaluations",
      "config:PutEvaluations",
    ]);
    expect(aws.evaluations).toHaveLength(1);
    expect(logs.find((l) => l.message === "evaluation posted")).toMatchObject({
      iamCalls: { retries: 2 },
      configAttempts: 2,
    });
  });

  it("fails with a clear error and posts nothing when IAM keeps throttling", async () => {
    // Prepare
    aws.setReport(noUse());
    aws.inject({
      kind: "error",
      service: "iam",
      status: 400,
      code: "Throttling",
      times: Number.POSITIVE_INFINITY,
    });
    // Act
    const { error } = await invoke(configEvent());
    // Assess
    expect(error?.name).toBe("ReportRetrievalError");
    expect(error?.message).toMatch(/GetCredentialReport failed: Throttling/);
    expect(aws.calls.filter((c) => c.action === "GetCredentialReport")).toHaveLength(4);
    expect(aws.evaluations).toHaveLength(0);
  });
});

describe("logs", () => {
  it("writes structured JSON lines with verdict, report age, IAM calls and duration, and nothing sensitive", async () => {
    // Prepare
    const token = "eyJTRUNSRVQtVE9LRU4ifQ==";
    const event = configEvent({ resultToken: token });
    aws.setReport(
      buildReport({
        rows: [
          rootRow({ password_last_used: iamDate(daysBefore(eventTime(event), 1)) }),
          userRow("alice.secret-user@example.com"),
        ],
      }),
      { generatedTime: new Date(Date.now() - HOUR) },
    );
    // Act
    const { logs } = await invoke(event);
    // Assess
    const line = logs.find((l) => l.message === "evaluation posted");
    expect(line).toMatchObject({
      level: "INFO",
      service: "root-activity",
      accountId: "111122223333",
      complianceType: "NON_COMPLIANT",
      reason: "used-in-window",
      iamCalls: { GetCredentialReport: 1, GenerateCredentialReport: 0 },
    });
    expect(line?.reportAgeSeconds).toBeGreaterThanOrEqual(3599);
    expect(typeof line?.durationMs).toBe("number");
    const all = JSON.stringify(logs);
    expect(all).not.toContain("alice");
    expect(all).not.toContain(token);
    expect(all).not.toContain("user/");
    expect(all).not.toContain(aws.env.AWS_SECRET_ACCESS_KEY);
  });
});

describe("metrics", () => {
  /** Checks the embedded metric format contract: every declared metric has a value, every dimension a key. */
  function emfLines(lines: Record<string, unknown>[]) {
    const emf = lines.filter((l) => "_aws" in l);
    for (const line of emf) {
      const aws = line._aws as { Timestamp: number; CloudWatchMetrics: Array<Record<string, unknown>> };
      expect(typeof aws.Timestamp).toBe("number");
      for (const directive of aws.CloudWatchMetrics) {
        expect(directive.Namespace).toBe("RootActivity");
        for (const set of directive.Dimensions as string[][]) {
          for (const key of set) expect(typeof line[key]).toBe("string");
        }
        for (const metric of directive.Metrics as Array<{ Name: string; Unit: string }>) {
          expect(typeof line[metric.Name]).toBe("number");
        }
      }
    }
    return emf;
  }

  it("writes evaluations by verdict, report age, generation wait and API retries as valid EMF, with no API call", async () => {
    // Prepare
    aws.clearReport();
    const event = configEvent();
    aws.onGenerate(recentUse(event), { readyAfterPolls: 1 });
    // Act
    const { logs } = await invoke(event);
    // Assess
    const emf = emfLines(logs);
    expect(emf).toHaveLength(2);
    expect(emf[0]).toMatchObject({ service: "root-activity", EvaluationsPosted: 1, ApiRetries: 0 });
    expect(emf[0]?.ReportGenerationWaitMs).toBeGreaterThan(0);
    expect(typeof emf[0]?.ReportAgeSeconds).toBe("number");
    expect(emf[1]).toMatchObject({ ComplianceType: "NON_COMPLIANT", Evaluations: 1 });
    expect(actions().filter((a) => a.startsWith("cloudwatch"))).toEqual([]);
  });

  it("counts failed invocations as EvaluationFailures", async () => {
    // Prepare
    aws.setReport(buildReport({ rows: [rootRow({}, "999988887777")] }));
    // Act
    const { logs } = await invoke(configEvent());
    // Assess
    const emf = emfLines(logs);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ EvaluationFailures: 1, errorName: "AccountMismatchError" });
  });
});
