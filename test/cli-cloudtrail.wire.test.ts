/**
 * `root-activity evaluate --live` reads CloudTrail event history as the Lambda does (README "CLI", "CloudTrail
 * evidence"): the built CLI in a child process, the real SDK, the local endpoint's event history. Every report and
 * event is dated from the evaluation time `--now` sends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatUtc } from "../rule/timestamp.ts";
import { DEFAULT_ENABLED_REGIONS } from "../scripts/local-aws/account.ts";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import { runCli, useTempFiles } from "./support/cli.ts";
import {
  centralizedRootSessionEvent,
  iamUserConsoleSignIn,
  rootApiCall,
  rootConsoleSignIn,
} from "./support/cloudtrail.ts";
import { buildReport, daysBefore, iamDate, neverUsedReport, rootRow } from "./support/report-builder.ts";
import { ALWAYS, actionsOf, CLOUDTRAIL_LOOKUP_CALLS, HOUR } from "./support/wire.ts";

// The evaluation time is the machine's, to the second: the CLI judges the report's freshness by its own clock, and
// a report generated an hour before T is then fresh, as it would be at a terminal.
const T = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW = T.toISOString();
const at = (hours: number) => formatUtc(hoursBefore(hours));
const iso = (hours: number) => hoursBefore(hours).toISOString();
const hoursBefore = (hours: number) => new Date(T.getTime() - hours * HOUR);
const { file } = useTempFiles("root-activity-cli-cloudtrail-");

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({ now: () => T });
});
afterAll(async () => {
  await aws?.close();
});
beforeEach(() => {
  aws.reset();
  aws.setReport(neverUsedReport(), { generatedTime: hoursBefore(1) });
});

/** `evaluate --live` as a person runs it, with their own credentials (an IAM Identity Center session). */
const live = (...args: string[]) =>
  runCli(["evaluate", "--live", "--now", NOW, ...args], { env: aws.workstationEnv });
const lookupRegions = () =>
  new Set(aws.calls.filter((call) => call.action === "LookupEvents").map((call) => call.region));

describe("evaluate --live reads the report and CloudTrail", () => {
  it("lists a root sign-in in another region, with its source IP, and is NON_COMPLIANT (exit 1)", async () => {
    // Prepare
    aws.addCloudTrailEvents([
      rootConsoleSignIn({
        time: hoursBefore(5),
        region: "ap-southeast-2",
        mfaUsed: true,
        sourceIp: "203.0.113.9",
      }),
      iamUserConsoleSignIn({ time: hoursBefore(1), userName: "alice" }),
    ]);
    // Act
    const result = await live();
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^NON_COMPLIANT {2}account 111122223333/);
    expect(result.stdout).toContain(
      `Root user signed in to the console ${at(5)} in ap-southeast-2 (CloudTrail, MFA used) 5 hours ago, inside the 30-day window.`,
    );
    expect(result.stdout).toContain(
      `  CloudTrail    1 root event in 17 regions since ${at(30 * 24)} (30 days)\n` +
        `                ${at(5)}  ap-southeast-2  console sign-in, succeeded, MFA used, from 203.0.113.9\n`,
    );
    expect(result.stdout).not.toContain("alice");
    expect(result.stderr).toBe("Reading CloudTrail event history in 17 regions...\n");
    expect(lookupRegions()).toEqual(new Set(DEFAULT_ENABLED_REGIONS));
  });

  it("--json carries the findings event by field, the root IP in the event but never in the annotation, and no session key", async () => {
    // Prepare
    aws.addCloudTrailEvents([
      rootApiCall({
        time: hoursBefore(30),
        region: "us-east-1",
        eventName: "CreateAccessKey",
        sourceIp: "198.51.100.4",
      }),
    ]);
    // Act
    const result = await live("--json");
    // Assess
    expect(result.status).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      complianceType: "NON_COMPLIANT",
      reason: "used-in-window",
      cloudTrailLookup: true,
      countCentralizedRootSessions: false,
      lastUse: {
        source: "CloudTrail",
        credential: null,
        eventName: "CreateAccessKey",
        at: iso(30),
      },
      cloudTrail: {
        status: "read",
        since: iso(30 * 24),
        coveredDays: 30,
        complete: true,
        centralizedSessions: { count: 0, latest: null },
        centralizedCounted: false,
      },
    });
    expect(output.cloudTrail.regions).toEqual([...DEFAULT_ENABLED_REGIONS].sort());
    expect(output.cloudTrail.events).toEqual([
      {
        eventId: expect.any(String),
        time: iso(30),
        region: "us-east-1",
        eventSource: "iam.amazonaws.com",
        eventName: "CreateAccessKey",
        kind: "api-call",
        signInOutcome: null,
        mfaUsed: null,
        credential: "access-key",
        centralized: false,
        task: null,
        sourceIp: "198.51.100.4",
      },
    ]);
    expect(output.annotation).not.toContain("198.51.100.4");
    expect(result.stdout).not.toContain("AKIA");
  });

  it("is COMPLIANT (exit 0) only when both sources show no root use, and says what CloudTrail covered", async () => {
    // Prepare
    aws.addCloudTrailEvents([rootConsoleSignIn({ time: daysBefore(T, 31), region: "eu-west-1" })]);
    // Act
    const result = await live("--lookback-days", "120");
    // Assess: 31 days ago is inside 120 days; CloudTrail keeps 90, and says so.
    expect(result.status).toBe(1);
    aws.reset();
    aws.setReport(neverUsedReport(), { generatedTime: hoursBefore(1) });
    aws.addCloudTrailEvents([rootConsoleSignIn({ time: daysBefore(T, 31), region: "eu-west-1" })]);
    const outside = await live("--json");
    expect(outside.status).toBe(0);
    expect(JSON.parse(outside.stdout)).toMatchObject({
      complianceType: "COMPLIANT",
      cloudTrail: { status: "read", events: [], coveredDays: 30 },
    });
  });

  it("lists centralized root sessions without counting them, and counts them with --count-centralized-root-sessions", async () => {
    // Prepare
    const session = centralizedRootSessionEvent({
      time: hoursBefore(50),
      region: "us-east-1",
      eventName: "DeleteLoginProfile",
      sessionKey: "ASIACLISESSIONKEY001",
    });
    aws.addCloudTrailEvents([session]);
    // Act
    const listed = await live();
    const counted = await live("--count-centralized-root-sessions", "--json");
    // Assess
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(
      "1 centralized root session (sts:AssumeRoot) listed, not counted (--count-centralized-root-sessions counts them)",
    );
    expect(listed.stdout).toContain(
      "DeleteLoginProfile (iam), with temporary credentials, centralized session (IAMDeleteRootUserCredentials)",
    );
    expect(counted.status).toBe(1);
    expect(JSON.parse(counted.stdout)).toMatchObject({
      complianceType: "NON_COMPLIANT",
      countCentralizedRootSessions: true,
      cloudTrail: { centralizedCounted: true, centralizedSessions: { count: 1 } },
    });
    expect(listed.stdout + counted.stdout).not.toContain("ASIACLISESSIONKEY001");
  });

  it("--cloudtrail-regions reads only those regions, and asks no ListRegions", async () => {
    // Prepare
    aws.addCloudTrailEvents([rootConsoleSignIn({ time: hoursBefore(2), region: "ap-southeast-2" })]);
    // Act
    const result = await live("--cloudtrail-regions", "eu-west-1,us-east-1", "--json");
    // Assess: the sign-in is in a region not asked for.
    expect(result.status).toBe(0);
    expect(lookupRegions()).toEqual(new Set(["eu-west-1", "us-east-1"]));
    expect(actionsOf(aws)).not.toContain("account:ListRegions");
    expect(JSON.parse(result.stdout).cloudTrail.regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("--no-cloudtrail makes no CloudTrail, Account or alias call, and says CloudTrail was not read", async () => {
    // Prepare
    aws.addCloudTrailEvents([rootConsoleSignIn({ time: hoursBefore(2), region: "eu-west-1" })]);
    // Act
    const result = await live("--no-cloudtrail");
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("(credential report; CloudTrail not checked)");
    expect(result.stdout).toMatch(/CloudTrail {4}not read \(--no-cloudtrail\)/);
    expect(actionsOf(aws).filter((action) => CLOUDTRAIL_LOOKUP_CALLS.has(action))).toEqual([]);
  });

  it("a report file holds no CloudTrail: the text says so, and --cloudtrail goes with --live only", async () => {
    // Prepare
    const path = file("never.csv", neverUsedReport());
    // Act
    const fromFile = await runCli(["evaluate", "--report", path, "--now", NOW]);
    const asked = await runCli(["evaluate", "--report", path, "--cloudtrail"]);
    // Assess
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout).toMatch(
      /CloudTrail {4}not read: a report file holds no CloudTrail events \(--live reads both\)/,
    );
    expect(asked.status).toBe(2);
    expect(asked.stderr).toBe("root-activity: --cloudtrail goes with --live\n");
  });
});

describe("evaluate --live when CloudTrail cannot be read", () => {
  it("exits 2 naming the region and the permission when the report alone cannot decide", async () => {
    // Prepare
    aws.inject({
      kind: "error",
      service: "cloudtrail",
      region: "eu-west-1",
      status: 400,
      code: "AccessDeniedException",
      times: ALWAYS,
    });
    // Act
    const result = await live();
    // Assess
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "Reading CloudTrail event history in 17 regions...\n" +
        "root-activity: CloudTrail LookupEvents failed in eu-west-1: AccessDeniedException (HTTP 400): User: " +
        "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_SecurityAudit_0123456789abcdef/developer is not " +
        "authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the " +
        "cloudtrail:LookupEvents action: your AWS credentials need cloudtrail:LookupEvents (or --no-cloudtrail " +
        "reads the credential report only)\n",
    );
  });

  it("says to name the regions when account:ListRegions is denied", async () => {
    // Prepare
    aws.inject({
      kind: "error",
      service: "account",
      status: 403,
      code: "AccessDeniedException",
      times: ALWAYS,
    });
    // Act
    const result = await live();
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /root-activity: Account ListRegions failed: AccessDeniedException \(HTTP 403\): User: \S+\/developer is not authorized to perform: account:ListRegions .*: your AWS credentials need account:ListRegions, or name the regions with --cloudtrail-regions \(or --no-cloudtrail reads the credential report only\)\n$/,
    );
  });

  it("is NON_COMPLIANT (exit 1) when the report proves use on its own, and says CloudTrail could not be read", async () => {
    // Prepare
    aws.setReport(buildReport({ rows: [rootRow({ password_last_used: iamDate(hoursBefore(48)) })] }), {
      generatedTime: hoursBefore(1),
    });
    aws.inject({
      kind: "error",
      service: "cloudtrail",
      region: "us-west-2",
      status: 503,
      code: "ServiceUnavailable",
      times: ALWAYS,
    });
    // Act
    const result = await live();
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^NON_COMPLIANT/);
    expect(result.stdout).toMatch(
      /CloudTrail {4}could not be read \(LookupEvents in us-west-2: ServiceUnavailable \(HTTP 503\)\); the report alone decided/,
    );
  });
});

describe("CloudTrail options, checked before any call", () => {
  it.each([
    [["--cloudtrail", "--no-cloudtrail"], "--cloudtrail and --no-cloudtrail exclude each other"],
    [
      ["--no-cloudtrail", "--count-centralized-root-sessions"],
      "--count-centralized-root-sessions reads CloudTrail: it does not go with --no-cloudtrail",
    ],
    [
      ["--no-cloudtrail", "--cloudtrail-regions", "us-east-1"],
      "--cloudtrail-regions reads CloudTrail: it does not go with --no-cloudtrail",
    ],
    [
      ["--cloudtrail-regions", "us-east-1,mars-1"],
      '--cloudtrail-regions "us-east-1,mars-1" is invalid: expected comma-separated region names such as "us-east-1,eu-west-1", each once, at most 50',
    ],
    [
      ["--cloudtrail-regions", "us-east-1,us-east-1"],
      '--cloudtrail-regions "us-east-1,us-east-1" is invalid: expected comma-separated region names such as "us-east-1,eu-west-1", each once, at most 50',
    ],
    [
      ["--cloudtrail-regions", ""],
      '--cloudtrail-regions "" is empty: leave it out to read every enabled region',
    ],
  ])("%j is a usage error (exit 2) that names the option", async (args, message) => {
    // Act
    const result = await live(...args);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`root-activity: ${message}\n`);
    expect(aws.calls).toEqual([]);
  });
});
