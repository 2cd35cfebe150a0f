import { describe, expect, it } from "vitest";
import { collectGarbageDuring } from "./support/gc.ts";
import { buildReport, daysBefore, iamDate, neverUsedReport, rootRow } from "./support/report-builder.ts";
import { virtualTrailHandler } from "./support/source-handler.ts";
import {
  ALWAYS,
  eventAt,
  expectFailure,
  expectOnePost,
  firstAnnotation,
  invoke as invokeHandler,
  useWire,
} from "./support/wire.ts";

const { aws, invoke } = useWire();

describe("fail closed when CloudTrail cannot be read", () => {
  it("fails, posting nothing and naming the region, when throttling outlasts the retries and the report shows no use", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.inject({
      kind: "error",
      service: "cloudtrail",
      region: "eu-north-1",
      status: 400,
      code: "ThrottlingException",
      times: ALWAYS,
    });
    // Act
    const run = await invokeHandler(virtualTrailHandler(aws), eventAt(t), 20_000);
    // Assess
    expectFailure(
      aws,
      run,
      20_000,
      "CloudTrailLookupError",
      /^CloudTrail LookupEvents failed in eu-north-1: ThrottlingException \(HTTP 400\).*nothing was posted/,
    );
    expect(aws.calls.filter((call) => call.region === "eu-north-1")).toHaveLength(5);
  });

  for (const [status, code, why] of [
    [503, "ServiceUnavailable", ""],
    [400, "AccessDeniedException", ", the principal AWS names in a denial kept out of the annotation"],
  ] as const) {
    it(`posts the report's NON_COMPLIANT when the report already proves use inside the window (${code}${why})`, async () => {
      // Prepare: AWS's denials name the principal they denied (the local endpoint's do too).
      const t = new Date();
      aws.setReport(buildReport({ rows: [rootRow({ password_last_used: iamDate(daysBefore(t, 2)) })] }), {
        generatedTime: t,
      });
      aws.inject({ kind: "error", service: "cloudtrail", status, code, times: ALWAYS });
      // Act
      const run = await invokeHandler(virtualTrailHandler(aws), eventAt(t), 20_000);
      // Assess
      expectOnePost(aws, run, 20_000, "NON_COMPLIANT");
      expect(firstAnnotation(aws)).toMatch(
        new RegExp(
          String.raw`^Root user signed in with the password \S+ \(credential report\) 2 days ago, inside the 30-day ` +
            String.raw`window\. CloudTrail could not be read: LookupEvents in [a-z0-9-]+: ${code} \(HTTP ${status}\)\.$`,
        ),
      );
      expect(firstAnnotation(aws)).not.toMatch(/arn:|assumed-role|not authorized/);
    });
  }

  it("names the permission when LookupEvents or ListRegions is denied", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.inject({
      kind: "error",
      service: "cloudtrail",
      status: 400,
      code: "AccessDeniedException",
      times: ALWAYS,
    });
    // Act
    const lookupDenied = await invoke(eventAt(t));
    aws.reset();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.inject({
      kind: "error",
      service: "account",
      status: 403,
      code: "AccessDeniedException",
      times: ALWAYS,
    });
    const regionsDenied = await invoke(eventAt(t));
    // Assess
    expectFailure(
      aws,
      lookupDenied,
      30_000,
      "CloudTrailLookupError",
      /The execution role needs cloudtrail:LookupEvents\.$/,
    );
    expectFailure(
      aws,
      regionsDenied,
      30_000,
      "CloudTrailLookupError",
      /^Account ListRegions failed: AccessDeniedException \(HTTP 403\).*needs account:ListRegions \(or set cloudTrailRegions\)\.$/,
    );
  });

  it("names iam:ListAccountAliases when the alias cannot be read, and never takes an unreadable record for 'not root'", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.inject({
      kind: "error",
      service: "iam",
      action: "ListAccountAliases",
      status: 403,
      code: "AccessDenied",
      times: ALWAYS,
    });
    // Act
    const aliasDenied = await invoke(eventAt(t));
    aws.reset();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.inject({
      kind: "raw",
      service: "cloudtrail",
      region: "us-west-2",
      status: 200,
      body: JSON.stringify({
        Events: [{ EventId: "e-1", EventName: "ConsoleLogin", CloudTrailEvent: '{"userIdentity":' }],
      }),
    });
    const unreadable = await invoke(eventAt(t));
    // Assess
    expectFailure(
      aws,
      aliasDenied,
      30_000,
      "CloudTrailLookupError",
      /^IAM ListAccountAliases failed: AccessDenied \(HTTP 403\).*The execution role needs iam:ListAccountAliases\.$/,
    );
    expectFailure(
      aws,
      unreadable,
      30_000,
      "CloudTrailLookupError",
      /^CloudTrail LookupEvents failed in us-west-2: event e-1: its CloudTrailEvent is not JSON; nothing was posted\./,
    );
  });

  it("fails, not skips, an enabled region whose endpoint cannot be reached", async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.inject({ kind: "reset", service: "cloudtrail", region: "sa-east-1", times: ALWAYS });
    // Act
    const run = await invokeHandler(virtualTrailHandler(aws), eventAt(t), 20_000);
    // Assess
    expectFailure(
      aws,
      run,
      20_000,
      "CloudTrailLookupError",
      /^CloudTrail LookupEvents failed in sa-east-1: the connection was reset before an answer \(ECONNRESET\)/,
    );
  });

  it("ends before the Lambda's time runs out when a region never answers", { timeout: 12_000 }, async () => {
    // Prepare
    const t = new Date();
    aws.setReport(neverUsedReport(), { generatedTime: t });
    aws.inject({ kind: "hang", service: "cloudtrail", region: "ca-central-1", times: ALWAYS });
    // Act: collecting garbage while it waits, as a busy Lambda does
    const run = await collectGarbageDuring(invoke(eventAt(t), 2_500), 200);
    // Assess
    expectFailure(
      aws,
      run,
      2_500,
      "CloudTrailLookupError",
      /^CloudTrail LookupEvents failed in ca-central-1: no answer before the invocation's deadline/,
    );
  });
});
