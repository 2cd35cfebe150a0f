/**
 * The rules of the spec that involve more than the report's three dates (README "How the rule decides"): the
 * report's age, CloudTrail's root events, centralized root sessions, a source that could not be read, and the
 * annotation's wording and length. One scenario each.
 */
import { describe, expect, it } from "vitest";
import { clip } from "../rule/annotation.ts";
import { RootActivityError } from "../rule/errors.ts";
import { evaluate } from "../rule/evaluate.ts";
import type { Evidence } from "../rule/evidence/types.ts";
import {
  centralizedRootSessionEvent,
  iamUserConsoleSignIn,
  rootApiCall,
  rootConsoleSignIn,
  rootServiceEvent,
  serviceInvokedRootEvent,
  trail,
} from "./support/cloudtrail.ts";
import { DAY, HOUR, NOW, old, params, recent } from "./support/evaluation.ts";
import { buildReport, daysBefore, iamDate, rootRow, userRow } from "./support/report-builder.ts";

const never = buildReport({ rows: [rootRow()] });
/** The start of CloudTrail's search for the default 30-day window. */
const since30 = new Date(NOW.getTime() - 30 * DAY);

function withTrail(report: string, records: Parameters<typeof trail>[0], since = since30): Evidence {
  return { report: { content: report, generatedTime: NOW }, cloudTrail: trail(records, { since }) };
}

describe("rule: a report generated more than 4 hours before the evaluation time cannot vouch for the present", () => {
  it("is COMPLIANT with a report generated exactly 4 h (14 400 000 ms) before", () => {
    // Prepare
    const evidence = {
      report: { content: never, generatedTime: new Date(NOW.getTime() - 14_400_000) },
      cloudTrail: null,
    };
    // Act
    const verdict = evaluate(evidence, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
  });

  it("says Cannot verify for a report generated 4 h + 1 ms before, naming when it was generated", () => {
    // Prepare
    const generatedTime = new Date(NOW.getTime() - 14_400_001);
    // Act
    const verdict = evaluate({ report: { content: never, generatedTime }, cloudTrail: null }, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.reason).toBe("stale-report");
    expect(verdict.annotation).toBe(
      "Cannot verify root user activity: the report was generated 2026-11-29T07:59:59Z, 4 hours before the " +
        "evaluation time; root use since then is unknown.",
    );
  });

  it("still counts a use found in a stale report", () => {
    // Prepare
    const report = buildReport({ rows: [rootRow({ password_last_used: recent })] });
    const generatedTime = new Date(NOW.getTime() - 2 * DAY);
    // Act
    const verdict = evaluate({ report: { content: report, generatedTime }, cloudTrail: null }, NOW, params());
    // Assess
    expect(verdict.reason).toBe("used-in-window");
  });

  it("takes another maximum age when asked (the CLI's --max-report-age)", () => {
    // Prepare
    const evidence = {
      report: { content: never, generatedTime: new Date(NOW.getTime() - 20 * HOUR) },
      cloudTrail: null,
    };
    // Act
    const lenient = evaluate(evidence, NOW, params(), { maxReportAgeMs: 24 * HOUR });
    const strict = evaluate(evidence, NOW, params(), { maxReportAgeMs: 90 * 60_000 });
    // Assess
    expect(lenient.complianceType).toBe("COMPLIANT");
    expect(strict.reason).toBe("stale-report");
  });

  it("is not stale when generated after the evaluation time, nor when the generation time is unknown", () => {
    // Act
    const later = evaluate(
      { report: { content: never, generatedTime: new Date(NOW.getTime() + HOUR) }, cloudTrail: null },
      NOW,
      params(),
    );
    const unknown = evaluate(never, NOW, params());
    // Assess
    expect(later.complianceType).toBe("COMPLIANT");
    expect(unknown.complianceType).toBe("COMPLIANT");
  });
});

describe("rule: a root event in CloudTrail inside the window is NON_COMPLIANT", () => {
  it("counts a root console sign-in the report has not caught up with, naming region, MFA and source", () => {
    // Prepare
    const signIn = rootConsoleSignIn({
      time: new Date("2026-11-27T08:12:09Z"),
      region: "eu-west-1",
      mfaUsed: true,
    });
    // Act
    const verdict = evaluate(withTrail(never, [signIn]), NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.reason).toBe("used-in-window");
    expect(verdict.annotation).toBe(
      "Root user signed in to the console 2026-11-27T08:12:09Z in eu-west-1 (CloudTrail, MFA used) 2 days ago, " +
        "inside the 30-day window.",
    );
  });

  it("counts an API call made with a root access key", () => {
    // Prepare
    const call = rootApiCall({
      time: new Date(NOW.getTime() - DAY - 1),
      region: "us-east-1",
      eventName: "CreateUser",
    });
    // Act
    const verdict = evaluate(withTrail(never, [call]), NOW, params());
    // Assess
    expect(verdict.annotation).toBe(
      "Root user called iam:CreateUser 2026-11-28T11:59:59Z in us-east-1 (CloudTrail, access key) 1 day ago, " +
        "inside the 30-day window.",
    );
  });

  it("counts a failed root sign-in, and says it failed", () => {
    // Prepare
    const failed = rootConsoleSignIn({ time: new Date("2026-11-29T11:00:00Z"), outcome: "Failure" });
    // Act
    const verdict = evaluate(withTrail(never, [failed]), NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.annotation).toMatch(
      /^Root user failed to sign in to the console 2026-11-29T11:00:00Z in us-east-1 \(CloudTrail, no MFA\) 1 hour ago/,
    );
  });

  it("takes the most recent of the report's dates and CloudTrail's events as root's last use", () => {
    // Prepare
    const report = buildReport({ rows: [rootRow({ password_last_used: iamDate(daysBefore(NOW, 10)) })] });
    const later = rootApiCall({ time: daysBefore(NOW, 2), eventName: "ListUsers", readOnly: true });
    const earlier = rootApiCall({ time: daysBefore(NOW, 20) });
    // Act
    const fromTrail = evaluate(withTrail(report, [later]), NOW, params());
    const fromReport = evaluate(withTrail(report, [earlier]), NOW, params());
    // Assess
    expect(fromTrail.lastUse?.source).toBe("CloudTrail");
    expect(fromTrail.annotation).toMatch(/^Root user called iam:ListUsers /);
    expect(fromReport.lastUse?.source).toBe("credential report");
    expect(fromReport.annotation).toMatch(
      /^Root user signed in with the password .* \(credential report\) 10 days ago/,
    );
  });

  it("does not count an event exactly lookbackDays (30 days) before, and counts one 1 s later (records have whole seconds)", () => {
    // Prepare
    const edge = rootApiCall({ time: new Date(NOW.getTime() - 2_592_000_000) });
    const inside = rootApiCall({ time: new Date(NOW.getTime() - 2_592_000_000 + 1_000) });
    // Act
    const atEdge = evaluate(withTrail(never, [edge], new Date(NOW.getTime() - 2_592_000_000)), NOW, params());
    const justInside = evaluate(withTrail(never, [inside]), NOW, params());
    // Assess
    expect(atEdge.complianceType).toBe("COMPLIANT");
    expect(justInside.complianceType).toBe("NON_COMPLIANT");
  });

  it("counts an event after the evaluation time as use now", () => {
    // Prepare
    const skewed = rootConsoleSignIn({ time: new Date(NOW.getTime() + 5 * 60_000), mfaUsed: true });
    // Act
    const verdict = evaluate(withTrail(never, [skewed]), NOW, params());
    // Assess
    expect(verdict.reason).toBe("used-in-future");
    expect(verdict.annotation).toContain(
      "after the evaluation time 2026-11-29T12:00:00Z: clock skew counts as use now",
    );
  });
});

describe("rule: events an AWS service performs on root's behalf, and anyone but root, do not count", () => {
  it("ignores invokedBy and AwsServiceEvent root events, and an IAM user named root", () => {
    // Prepare
    const records = [
      serviceInvokedRootEvent({ time: daysBefore(NOW, 1) }),
      rootServiceEvent({ time: daysBefore(NOW, 1) }),
      iamUserConsoleSignIn({ time: daysBefore(NOW, 1), userName: "root" }),
    ];
    // Act
    const verdict = evaluate(withTrail(never, records), NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
    expect(verdict.cloudTrail?.status === "read" && verdict.cloudTrail.events).toEqual([]);
  });
});

describe("rule: centralized root sessions (AssumeRoot) are reported, and count only when asked", () => {
  const sessions = [
    centralizedRootSessionEvent({
      time: daysBefore(NOW, 1),
      eventName: "DeleteLoginProfile",
      sessionKey: "ASIAEXAMPLESESSION1",
    }),
    centralizedRootSessionEvent({
      time: daysBefore(NOW, 1, 60_000),
      eventName: "ListAccessKeys",
      sessionKey: "ASIAEXAMPLESESSION1",
    }),
    centralizedRootSessionEvent({
      time: daysBefore(NOW, 5),
      eventName: "CreateLoginProfile",
      sessionKey: "ASIAEXAMPLESESSION2",
    }),
  ];

  it("is COMPLIANT by default and names how many sessions, the latest and its task", () => {
    // Act
    const verdict = evaluate(withTrail(never, sessions), NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
    expect(verdict.annotation).toBe(
      "Root user not used in the last 30 days (credential report and CloudTrail, 2 regions). No root use recorded. " +
        "Not counted: 2 centralized root sessions (AssumeRoot), latest 2026-11-28T12:00:00Z, task IAMDeleteRootUserCredentials.",
    );
  });

  it("counts them with countCentralizedRootSessions=true", () => {
    // Act
    const verdict = evaluate(withTrail(never, sessions), NOW, params({ countCentralizedRootSessions: true }));
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.annotation).toBe(
      "Centralized root session (AssumeRoot, IAMDeleteRootUserCredentials) called iam:DeleteLoginProfile " +
        "2026-11-28T12:00:00Z in us-east-1 (CloudTrail) 1 day ago, inside the 30-day window.",
    );
  });

  it("still names them when another root use makes the account NON_COMPLIANT", () => {
    // Prepare
    const records = [...sessions, rootConsoleSignIn({ time: daysBefore(NOW, 3), mfaUsed: false })];
    // Act
    const verdict = evaluate(withTrail(never, records), NOW, params());
    // Assess
    expect(verdict.reason).toBe("used-in-window");
    expect(verdict.annotation).toContain("Not counted: 2 centralized root sessions (AssumeRoot)");
  });

  it("says 'at least' when paging stopped early", () => {
    // Prepare
    const evidence: Evidence = {
      report: { content: never, generatedTime: NOW },
      cloudTrail: trail(sessions, { since: since30, complete: false }),
    };
    // Act
    const verdict = evaluate(evidence, NOW, params());
    // Assess
    expect(verdict.annotation).toContain("Not counted: at least 2 centralized root sessions");
  });
});

describe("rule: the CloudTrail part covers at most event history's 90 days", () => {
  it("says so when lookbackDays is larger", () => {
    // Prepare
    const evidence = withTrail(never, [], new Date(NOW.getTime() - 90 * DAY));
    // Act
    const verdict = evaluate(evidence, NOW, params({ lookbackDays: 365 }));
    // Assess
    expect(verdict.annotation).toBe(
      "Root user not used in the last 365 days (credential report and CloudTrail, 2 regions, last 90 days). No root use recorded.",
    );
  });

  it("refuses CloudTrail evidence that starts after the start of the window (an early use could hide)", () => {
    // Prepare
    const evidence = withTrail(never, [], new Date(since30.getTime() + 1));
    // Act, Assess
    expect(() => evaluate(evidence, NOW, params())).toThrow(RangeError);
  });
});

describe("rule: never COMPLIANT without both sources when both are asked for", () => {
  const error = new RootActivityError("CloudTrail LookupEvents failed in eu-west-1: ThrottlingException");
  const unavailable = (report: string): Evidence => ({
    report: { content: report, generatedTime: NOW },
    cloudTrail: {
      status: "unavailable",
      error,
      problem: "LookupEvents in eu-west-1: ThrottlingException (HTTP 400)",
    },
  });

  it("posts what the report proves (a use inside the window), saying CloudTrail could not be read", () => {
    // Prepare
    const report = buildReport({ rows: [rootRow({ access_key_1_last_used_date: recent })] });
    // Act
    const verdict = evaluate(unavailable(report), NOW, params());
    // Assess
    expect(verdict.reason).toBe("used-in-window");
    expect(verdict.annotation).toContain(
      " CloudTrail could not be read: LookupEvents in eu-west-1: ThrottlingException (HTTP 400).",
    );
    expect(verdict.cloudTrail).toEqual({
      status: "unavailable",
      problem: "LookupEvents in eu-west-1: ThrottlingException (HTTP 400)",
    });
  });

  it("throws CloudTrail's error when the report alone would say COMPLIANT", () => {
    // Act, Assess
    expect(() => evaluate(unavailable(never), NOW, params())).toThrow(error);
    expect(() =>
      evaluate(unavailable(buildReport({ rows: [rootRow({ password_last_used: old })] })), NOW, params()),
    ).toThrow(error);
  });

  it("throws it too when the report cannot be verified (nothing proves use)", () => {
    // Act, Assess
    expect(() => evaluate(unavailable(buildReport({ rows: [userRow("alice")] })), NOW, params())).toThrow(
      error,
    );
  });
});

describe("rule: a report that cannot be verified does not hide a root event CloudTrail shows", () => {
  it("is NON_COMPLIANT naming the CloudTrail use, and says the report cannot be verified", () => {
    // Prepare
    const broken = buildReport({ rows: [userRow("alice")] });
    // Act
    const verdict = evaluate(
      withTrail(broken, [rootConsoleSignIn({ time: daysBefore(NOW, 2), mfaUsed: true })]),
      NOW,
      params(),
    );
    // Assess
    expect(verdict.reason).toBe("used-in-window");
    expect(verdict.annotation).toMatch(
      / The credential report cannot be verified: the report has no <root_account> row\.$/,
    );
  });
});

describe("rule: the annotation reads right to an auditor", () => {
  it("says 1 day, not 1 days; an hour and minutes in words", () => {
    // Prepare
    const at = (ms: number) =>
      buildReport({ rows: [rootRow({ password_last_used: iamDate(new Date(NOW.getTime() - ms)) })] });
    // Act, Assess
    expect(evaluate(at(DAY), NOW, params()).annotation).toContain(" 1 day ago, inside the 30-day window.");
    expect(evaluate(at(2 * HOUR), NOW, params()).annotation).toContain(" 2 hours ago,");
    expect(evaluate(at(60_000), NOW, params()).annotation).toContain(" 1 minute ago,");
    expect(evaluate(at(0), NOW, params()).annotation).toContain(" less than a minute ago,");
    expect(evaluate(at(DAY), NOW, params({ lookbackDays: 1 })).annotation).toMatch(
      /^Root user not used in the last 1 day /,
    );
  });

  it("never names root's source IP address", () => {
    // Prepare
    const signIn = rootConsoleSignIn({ time: daysBefore(NOW, 1), sourceIp: "198.51.100.77" });
    // Act
    const verdict = evaluate(withTrail(never, [signIn]), NOW, params());
    // Assess
    expect(verdict.annotation).not.toContain("198.51.100.77");
    expect(verdict.lastUse?.source === "CloudTrail" && verdict.lastUse.event.sourceIp).toBe("198.51.100.77");
  });

  it("overflows to exactly 256 characters, ending in an ellipsis", () => {
    // Prepare: an event name far longer than any AWS gives makes the verdict's own sentence overflow.
    const record = rootApiCall({ time: daysBefore(NOW, 1), eventName: `Get${"Very".repeat(60)}LongName` });
    // Act
    const verdict = evaluate(withTrail(never, [record]), NOW, params());
    // Assess
    expect(verdict.annotation.length).toBe(256);
    expect(verdict.annotation.endsWith("…")).toBe(true);
    expect(verdict.annotation).toMatch(/^Root user called iam:GetVeryVery/);
  });

  it("gives a note its short form when the full one does not fit, keeping the verdict's sentence whole", () => {
    // Prepare: a task name as long as IAM allows makes the centralized-session note too long in full.
    const task = `T${"x".repeat(127)}`;
    const record = centralizedRootSessionEvent({ time: daysBefore(NOW, 1), eventName: "GetUser" });
    (record.userIdentity as Record<string, unknown>).sessionContext = {
      assumedRoot: "true",
      taskPolicyArn: `arn:aws:iam::aws:policy/root-task/${task}`,
    };
    const report = buildReport({
      rows: [rootRow({ password_last_used: recent, access_key_1_active: "true" })],
    });
    // Act
    const verdict = evaluate(withTrail(report, [record]), NOW, params());
    // Assess
    expect(verdict.annotation).toBe(
      `Root user signed in with the password ${recent.slice(0, 19)}Z (credential report) 3 days ago, inside the ` +
        "30-day window. Active root access key: 1 (delete it). Not counted: 1 AssumeRoot session.",
    );
  });

  it("is cut whole characters at a time: never half an emoji", () => {
    // Prepare: 254 characters, then an emoji (two UTF-16 code units) across the cut.
    const text = `${"a".repeat(254)}😀 and more`;
    // Act
    const clipped = clip(text);
    // Assess
    expect(clipped).toBe(`${"a".repeat(254)}…`);
    expect(clip(`${"a".repeat(253)}😀 and more`)).toBe(`${"a".repeat(253)}😀…`);
    expect(clip("a".repeat(256))).toBe("a".repeat(256));
  });
});
