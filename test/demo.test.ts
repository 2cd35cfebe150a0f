/**
 * `npm start` (scripts/demo.ts): the built handler once against the local endpoint, and what it prints.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { callLines } from "../scripts/demo/call-lines.ts";
import type { RecordedCall } from "../scripts/local-aws/server.ts";
import { childEnv } from "./support/cli.ts";

const ROOT = resolve(import.meta.dirname, "..");

const call = (
  service: RecordedCall["service"],
  action: string,
  region: string,
  status = 200,
  errorCode?: string,
) =>
  ({
    service,
    action,
    region,
    at: new Date(0),
    order: { received: 0, answered: 0 },
    accountId: "111122223333",
    accessKeyId: null,
    params: {},
    status,
    ...(errorCode ? { errorCode } : {}),
  }) as RecordedCall;

describe("the demo's list of AWS calls", () => {
  it("puts repeated calls on one line, saying whether they went one per region or were polled again", () => {
    // Prepare
    const calls = [
      call("iam", "GetCredentialReport", "us-east-1", 410, "ReportNotPresent"),
      call("cloudtrail", "LookupEvents", "eu-west-1"),
      call("cloudtrail", "LookupEvents", "us-east-1"),
      call("iam", "GetCredentialReport", "us-east-1", 404, "ReportInProgress"),
      call("iam", "GetCredentialReport", "us-east-1", 404, "ReportInProgress"),
      call("iam", "GetCredentialReport", "us-east-1"),
    ];
    // Act
    const lines = callLines(calls);
    // Assess
    expect(lines).toEqual([
      "   1. IAM GetCredentialReport        -> HTTP 410 ReportNotPresent",
      "   2. CLOUDTRAIL LookupEvents        -> HTTP 200 OK x2 (one per enabled region, in parallel)",
      "   3. IAM GetCredentialReport        -> HTTP 404 ReportInProgress x2 (polled again)",
      "   4. IAM GetCredentialReport        -> HTTP 200 OK",
    ]);
  });
});

describe("npm start", () => {
  it("runs the built handler once and prints the calls and the NON_COMPLIANT evaluation Config received, CloudTrail's sign-in named", async () => {
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      cwd: ROOT,
      env: childEnv(),
    });
    // Assess
    // The report's polls and CloudTrail's lookups run at once, so their lines may interleave: the calls are
    // compared as totals per action and outcome; the evaluation is posted last.
    const listed = stdout.slice(
      stdout.indexOf("AWS calls made:"),
      stdout.indexOf("Evaluation AWS Config received"),
    );
    const lines = listed.trim().split("\n").slice(1);
    const totals: Record<string, number> = {};
    for (const line of lines) {
      const [, what, outcome, times] = /^ +\d+\. (\S+ \S+) +-> (.+?)(?: x(\d+) \(.*\))?$/.exec(line) ?? [];
      const key = `${what} -> ${outcome}`;
      totals[key] = (totals[key] ?? 0) + Number(times ?? 1);
    }
    expect(totals).toEqual({
      "IAM GetCredentialReport -> HTTP 410 ReportNotPresent": 1,
      "IAM GenerateCredentialReport -> HTTP 200": 1,
      "IAM ListAccountAliases -> HTTP 200 OK": 1,
      "ACCOUNT ListRegions -> HTTP 200 OK": 1,
      "CLOUDTRAIL LookupEvents -> HTTP 200 OK": 17,
      "IAM GetCredentialReport -> HTTP 404 ReportInProgress": 2,
      "IAM GetCredentialReport -> HTTP 200 OK": 1,
      "CONFIG PutEvaluations -> HTTP 200 OK": 1,
    });
    expect(lines.at(-1)).toMatch(/^ +\d+\. CONFIG PutEvaluations +-> HTTP 200 OK$/);
    expect(stdout).toContain("  ComplianceType   NON_COMPLIANT\n");
    expect(stdout).toMatch(
      /Annotation {7}Root user signed in to the console 2026-11-19T21:40:12Z in eu-west-1 \(CloudTrail, MFA used\) 8 hours ago, inside the 30-day window\./,
    );
  });
});
