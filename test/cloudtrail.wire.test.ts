/**
 * CloudTrail evidence through the built bundle, the real SDK and the local endpoint's event history (README
 * "CloudTrail evidence"): what counts, where it is looked for, how few calls it takes (how it fails closed
 * when CloudTrail cannot be read: test/cloudtrail-faults.wire.test.ts). Every event is dated from the evaluation
 * time T the event carries.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_ENABLED_REGIONS } from "../scripts/local-aws/account.ts";
import {
  centralizedRootSessionEvent,
  iamUserConsoleSignIn,
  rootApiCall,
  rootConsoleSignIn,
  rootServiceEvent,
  serviceInvokedRootEvent,
} from "./support/cloudtrail.ts";
import { daysBefore, neverUsedReport } from "./support/report-builder.ts";
import { sourceHandler } from "./support/source-handler.ts";
import { virtualPace } from "./support/virtual-time.ts";
import { eventAt, expectOnePost, firstAnnotation, invoke as invokeHandler, useWire } from "./support/wire.ts";

const { aws, invoke } = useWire();

const lookups = () => aws.calls.filter((call) => call.action === "LookupEvents");

describe("root activity CloudTrail shows and the report does not", () => {
  it("counts a root console sign-in in a region other than the function's", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents([
      rootConsoleSignIn({ time: daysBefore(t, 2), region: "ap-southeast-2", mfaUsed: true }),
    ]);
    // Act
    const run = await invoke(eventAt(t));
    // Assess
    expectOnePost(aws, run, 30_000, "NON_COMPLIANT");
    expect(firstAnnotation(aws)).toMatch(
      /^Root user signed in to the console \S+Z in ap-southeast-2 \(CloudTrail, MFA used\) 2 days ago, inside the 30-day window\.$/,
    );
    expect(new Set(lookups().map((call) => call.region))).toEqual(new Set(DEFAULT_ENABLED_REGIONS));
  });

  it("counts an API call made with a root access key", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents([
      rootApiCall({ time: daysBefore(t, 1), region: "us-east-1", eventName: "CreateAccessKey" }),
    ]);
    // Act
    const run = await invoke(eventAt(t));
    // Assess
    expectOnePost(aws, run, 30_000, "NON_COMPLIANT");
    expect(firstAnnotation(aws)).toMatch(
      /^Root user called iam:CreateAccessKey \S+ in us-east-1 \(CloudTrail, access key\) 1 day ago/,
    );
  });

  it("counts an event at T − 29 d and not one at T − 31 d", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents([rootApiCall({ time: daysBefore(t, 31), region: "eu-west-1" })]);
    // Act
    const outside = await invoke(eventAt(t));
    aws.addCloudTrailEvents([rootApiCall({ time: daysBefore(t, 29), region: "eu-west-1" })]);
    aws.evaluations.length = 0;
    const inside = await invoke(eventAt(t));
    // Assess
    expect(outside.result?.complianceType).toBe("COMPLIANT");
    expect(inside.result?.complianceType).toBe("NON_COMPLIANT");
    expect(firstAnnotation(aws)).toContain(" 29 days ago, inside the 30-day window.");
  });

  it("finds a root event recorded under the account alias", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.setAccountAlias("example-corp");
    aws.addCloudTrailEvents([
      rootConsoleSignIn({ time: daysBefore(t, 3), region: "eu-central-1", alias: "example-corp" }),
    ]);
    // Act
    const run = await invoke(eventAt(t));
    // Assess
    expectOnePost(aws, run, 30_000, "NON_COMPLIANT");
    const asked = new Set(lookups().map((call) => JSON.stringify(call.params.LookupAttributes)));
    expect(asked).toEqual(
      new Set([
        JSON.stringify([{ AttributeKey: "Username", AttributeValue: "root" }]),
        JSON.stringify([{ AttributeKey: "Username", AttributeValue: "example-corp" }]),
      ]),
    );
  });

  it("searches an opt-in region the account enabled, and no disabled one", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.setRegionStatus({ "eu-central-2": "ENABLED", "us-west-1": "DISABLED" });
    aws.addCloudTrailEvents([rootApiCall({ time: daysBefore(t, 1), region: "eu-central-2" })]);
    // Act
    const run = await invoke(eventAt(t));
    // Assess
    expect(run.result?.complianceType).toBe("NON_COMPLIANT");
    const regions = new Set(lookups().map((call) => call.region));
    expect(regions.has("eu-central-2")).toBe(true);
    expect(regions.has("us-west-1")).toBe(false);
    expect(regions.size).toBe(17);
  });
});

describe("what does not count", () => {
  it("is COMPLIANT with only service-invoked and AwsServiceEvent root events, and an IAM user named root", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents([
      serviceInvokedRootEvent({ time: daysBefore(t, 1), region: "us-east-1" }),
      rootServiceEvent({ time: daysBefore(t, 2), region: "us-east-1" }),
      iamUserConsoleSignIn({ time: daysBefore(t, 1), region: "us-east-1", userName: "root" }),
    ]);
    // Act
    const run = await invoke(eventAt(t));
    // Assess
    expectOnePost(aws, run, 30_000, "COMPLIANT");
    expect(firstAnnotation(aws)).toBe(
      "Root user not used in the last 30 days (credential report and CloudTrail, 17 regions). No root use recorded.",
    );
  });

  it("names centralized root sessions but does not count them, unless countCentralizedRootSessions=true", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents([
      centralizedRootSessionEvent({
        time: daysBefore(t, 4),
        region: "us-east-1",
        eventName: "DeactivateMFADevice",
      }),
    ]);
    // Act
    const byDefault = await invoke(eventAt(t));
    const defaultAnnotation = firstAnnotation(aws);
    aws.evaluations.length = 0;
    const counted = await invoke(eventAt(t, { countCentralizedRootSessions: "true" }));
    // Assess
    expect(byDefault.result?.complianceType).toBe("COMPLIANT");
    expect(defaultAnnotation).toMatch(
      / Not counted: 1 centralized root session \(AssumeRoot\), latest \S+Z, task IAMDeleteRootUserCredentials\.$/,
    );
    expect(counted.result?.complianceType).toBe("NON_COMPLIANT");
    expect(firstAnnotation(aws)).toMatch(
      /^Centralized root session \(AssumeRoot, IAMDeleteRootUserCredentials\) called iam:DeactivateMFADevice /,
    );
  });
});

describe("calls", () => {
  it("makes no CloudTrail, Account or alias call with cloudTrailLookup=false", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents([rootConsoleSignIn({ time: daysBefore(t, 1) })]);
    // Act
    const run = await invoke(eventAt(t, { cloudTrailLookup: "false" }));
    // Assess
    expectOnePost(aws, run, 30_000, "COMPLIANT");
    expect(aws.calls.map((call) => `${call.service}:${call.action}`)).toEqual([
      "iam:GetCredentialReport",
      "config:PutEvaluations",
    ]);
    expect(firstAnnotation(aws)).toContain("CloudTrail not checked");
  });

  it("searches only cloudTrailRegions when given, without ListRegions", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    // Act
    const run = await invoke(eventAt(t, { cloudTrailRegions: "eu-west-1,us-east-1" }));
    // Assess
    expect(run.result?.complianceType).toBe("COMPLIANT");
    expect(aws.calls.some((call) => call.action === "ListRegions")).toBe(false);
    expect(
      lookups()
        .map((call) => call.region)
        .sort(),
    ).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("pages through 400 events of centralized sessions at the enforced rate, never throttled", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents(
      Array.from({ length: 400 }, (_, i) =>
        centralizedRootSessionEvent({
          time: new Date(t.getTime() - (i + 1) * 60_000),
          region: "eu-west-1",
          sessionKey: `ASIASESSION${String(i % 40).padStart(4, "0")}`,
        }),
      ),
    );
    // Act
    const run = await invoke(eventAt(t, { cloudTrailRegions: "eu-west-1" }));
    // Assess
    expectOnePost(aws, run, 30_000, "COMPLIANT");
    const pages = lookups();
    expect(pages).toHaveLength(8);
    expect(pages.every((call) => call.status === 200)).toBe(true);
    const gaps = pages.slice(1).map((call, i) => call.at.getTime() - (pages[i]?.at.getTime() ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    expect(firstAnnotation(aws)).toContain("Not counted: 40 centralized root sessions (AssumeRoot)");
    expect(run.logs.find((line) => line.message === "evaluation posted")).toMatchObject({
      cloudTrail: {
        regions: 1,
        pages: 8,
        retries: 0,
        rootEvents: 400,
        centralizedSessions: 40,
        complete: true,
      },
    });
  });

  it("reads one page per region for a clean account, and stops at the first countable event", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.addCloudTrailEvents([
      ...Array.from({ length: 60 }, (_, i) =>
        rootApiCall({
          time: new Date(t.getTime() - (i + 1) * 60_000),
          region: "us-east-2",
          eventName: "ListUsers",
        }),
      ),
    ]);
    // Act
    const run = await invoke(eventAt(t));
    // Assess
    expect(run.result?.complianceType).toBe("NON_COMPLIANT");
    expect(lookups()).toHaveLength(17);
  });
});

describe("property: no root event inside the window, in any region or page, ever yields COMPLIANT", () => {
  it("holds for a countable root event at any age inside the window, in any enabled region, behind any number of other events", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...DEFAULT_ENABLED_REGIONS),
        fc.integer({ min: 1, max: 29 * 24 * 60 }),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom("sign-in", "failed sign-in", "api call", "alias api call"),
        async (region, minutesAgo, before, kind) => {
          // Prepare
          aws.reset();
          const t = new Date();
          aws.setReport(neverUsedReport(), { generatedTime: t });
          aws.setAccountAlias("example-corp");
          const time = new Date(t.getTime() - minutesAgo * 60_000);
          const noise = Array.from({ length: before }, (_, i) =>
            centralizedRootSessionEvent({ time: new Date(t.getTime() - i * 1_000), region }),
          );
          const root =
            kind === "sign-in"
              ? rootConsoleSignIn({ time, region, mfaUsed: true })
              : kind === "failed sign-in"
                ? rootConsoleSignIn({ time, region, outcome: "Failure" })
                : rootApiCall({
                    time,
                    region,
                    ...(kind === "alias api call" ? { alias: "example-corp" } : {}),
                  });
          aws.addCloudTrailEvents([...noise, root]);
          // The handler from source, each region's pacer and the endpoint's limit there on one virtual clock: every
          // page is still paced to two a second, in virtual time (the real pace: "pages through 400 events" above).
          // The endpoint counts arrivals, so a request that a loaded machine delays by more than the pacer's 50 ms
          // margin can still be throttled and retried, as in AWS: this property is about the verdict, and the pace
          // itself is pinned by the Pacer's unit tests and the 400-event test.
          const pace = virtualPace();
          aws.lookupNow = pace.lookupNow;
          const handler = sourceHandler({ trail: { pacer: pace.pacer } });
          // Act
          const run = await invokeHandler(handler, eventAt(t));
          // Assess
          expect(run.error).toBeUndefined();
          expect(run.result?.complianceType).toBe("NON_COMPLIANT");
        },
      ),
      { numRuns: 25 },
    );
  });
});
