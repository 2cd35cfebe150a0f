/**
 * What counts as root activity in a CloudTrail record (README "How the rule decides", CloudTrail): one scenario per
 * kind of record, built from CloudTrail's documented shapes.
 */
import { describe, expect, it } from "vitest";
import { classifyCloudTrailRecord } from "../rule/cloudtrail/root-event.ts";
import {
  assumedRoleApiCall,
  type CloudTrailRecord,
  centralizedRootSessionEvent,
  iamUserConsoleSignIn,
  rootApiCall,
  rootConsoleSignIn,
  rootServiceEvent,
  serviceInvokedRootEvent,
} from "./support/cloudtrail.ts";

const TIME = new Date("2026-11-30T08:12:09Z");
const classify = (record: CloudTrailRecord | string) =>
  classifyCloudTrailRecord(typeof record === "string" ? record : JSON.stringify(record), "eu-west-1");

describe("classifyCloudTrailRecord", () => {
  it("reads a root console sign-in: success, MFA, region, source IP", () => {
    // Act
    const c = classify(
      rootConsoleSignIn({ time: TIME, region: "eu-west-1", mfaUsed: true, sourceIp: "203.0.113.9" }),
    );
    // Assess
    expect(c).toEqual({
      kind: "root",
      event: expect.objectContaining({
        time: TIME,
        region: "eu-west-1",
        eventSource: "signin.amazonaws.com",
        eventName: "ConsoleLogin",
        kind: "console-sign-in",
        signInOutcome: "success",
        mfaUsed: true,
        centralized: false,
        task: null,
        sourceIp: "203.0.113.9",
      }),
    });
  });

  it("reads a failed root sign-in without MFA as root activity that failed", () => {
    // Act
    const c = classify(rootConsoleSignIn({ time: TIME, outcome: "Failure" }));
    // Assess
    expect(c.kind === "root" && [c.event.signInOutcome, c.event.mfaUsed]).toEqual(["failure", false]);
  });

  it("reads an API call with a root access key (AKIA…) as a long-term key use", () => {
    // Act
    const c = classify(rootApiCall({ time: TIME, eventName: "CreateUser" }));
    // Assess
    expect(c.kind === "root" && [c.event.kind, c.event.credential, c.event.sessionKey]).toEqual([
      "api-call",
      "access-key",
      null,
    ]);
  });

  it("reads a root event recorded under the account alias (userIdentity.userName) as root's", () => {
    // Act
    const c = classify(rootApiCall({ time: TIME, alias: "example-corp" }));
    // Assess
    expect(c.kind).toBe("root");
  });

  it("marks a session opened with AssumeRoot as centralized, with its session key and its task", () => {
    // Act
    const deleted = classify(
      centralizedRootSessionEvent({
        time: TIME,
        eventName: "DeleteLoginProfile",
        sessionKey: "ASIAEXAMPLE1",
      }),
    );
    const audited = classify(centralizedRootSessionEvent({ time: TIME, eventName: "ListAccessKeys" }));
    const unlocked = classify(
      centralizedRootSessionEvent({
        time: TIME,
        eventSource: "s3.amazonaws.com",
        eventName: "DeleteBucketPolicy",
      }),
    );
    // Assess
    expect(deleted.kind === "root" && deleted.event).toMatchObject({
      centralized: true,
      credential: "temporary",
      sessionKey: "ASIAEXAMPLE1",
      task: "IAMDeleteRootUserCredentials",
    });
    expect(audited.kind === "root" && audited.event.task).toBeNull();
    expect(unlocked.kind === "root" && unlocked.event.task).toBe("S3UnlockBucketPolicy");
  });

  it("takes the task from a root-task policy ARN the record carries", () => {
    // Prepare
    const record = centralizedRootSessionEvent({ time: TIME, eventName: "GetUser" });
    (record.userIdentity.sessionContext as Record<string, unknown>).taskPolicyArn =
      "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";
    // Act
    const c = classify(record);
    // Assess
    expect(c.kind === "root" && c.event.task).toBe("IAMAuditRootUserCredentials");
  });

  it("says an event performed on root's behalf (invokedBy, AwsServiceEvent) is not root's own", () => {
    // Act, Assess
    expect(classify(serviceInvokedRootEvent({ time: TIME })).kind).toBe("on-behalf");
    expect(classify(rootServiceEvent({ time: TIME })).kind).toBe("on-behalf");
  });

  it("counts a root event whose invokedBy is empty: no service is named, so root did it", () => {
    // Prepare
    const record = rootApiCall({ time: TIME });
    record.userIdentity.invokedBy = "";
    // Act, Assess
    expect(classify(record).kind).toBe("root");
  });

  it("says anyone but root is other, an IAM user named root included", () => {
    // Act, Assess
    expect(classify(iamUserConsoleSignIn({ time: TIME, userName: "root" })).kind).toBe("other");
    expect(classify(assumedRoleApiCall({ time: TIME })).kind).toBe("other");
  });

  it("says a record it cannot read is unreadable, never 'other'", () => {
    // Prepare
    const noTime = rootApiCall({ time: TIME }) as Record<string, unknown>;
    noTime.eventTime = "yesterday";
    // Act, Assess
    expect(classify("{not json").kind).toBe("unreadable");
    expect(classify("[]").kind).toBe("unreadable");
    expect(classify("{}").kind).toBe("unreadable");
    expect(classify(JSON.stringify(noTime))).toEqual({
      kind: "unreadable",
      problem: "a root event has no valid eventTime",
    });
  });
});
