/**
 * The `root-activity` CLI, run as users run it: the built `dist/cli/root-activity.mjs` in a child process.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import { pipeInto, runCli, useTempFiles } from "./support/cli.ts";
import { NOW_UTC as NOW } from "./support/evaluation.ts";
import { buildReport, rootRow, userRow } from "./support/report-builder.ts";
import { actionsOf } from "./support/wire.ts";

const { file } = useTempFiles("root-activity-cli-");

const usedRecently = buildReport({
  rows: [rootRow({ access_key_1_active: "true", access_key_1_last_used_date: "2026-11-27T08:00:00+00:00" })],
});
const neverUsed = buildReport({ rows: [rootRow(), userRow("bob")] });
const awsCliJson = (csv: string) =>
  JSON.stringify({
    Content: Buffer.from(csv).toString("base64"),
    ReportFormat: "text/csv",
    GeneratedTime: "2026-11-29T10:00:00+00:00",
  });

describe("evaluate --report", () => {
  it("exits 0 and prints a short verdict for a COMPLIANT raw CSV report", async () => {
    // Prepare
    const path = file("never.csv", neverUsed);
    // Act
    const result = await runCli(["evaluate", "--report", path, "--now", NOW]);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^COMPLIANT {2}account 111122223333/);
    expect(result.stdout).toContain("No root use recorded.");
    expect(result.stderr).toBe("");
  });

  it("exits 1 for NON_COMPLIANT and reads the JSON that `aws iam get-credential-report` prints", async () => {
    // Prepare
    const path = file("report.json", awsCliJson(usedRecently));
    // Act
    const result = await runCli(["evaluate", "--report", path, "--now", NOW]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^NON_COMPLIANT/);
    expect(result.stdout).toMatch(/Access key 1\s+2026-11-27T08:00:00Z\s+\(2 days 4 hours ago\)\s+active/);
    expect(result.stdout).toMatch(/Report\s+generated 2026-11-29T10:00:00Z/);
    expect(result.stdout).toContain("root-activity explain");
  });

  it("reads standard input with --report -, through a pipe", async () => {
    // Prepare
    const path = file("never.json", awsCliJson(neverUsed));
    // Act
    const result = await pipeInto(path, ["evaluate", "--report", "-", "--now", NOW, "--json"]);
    // Assess
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      complianceType: "COMPLIANT",
      report: { source: "stdin", format: "aws-cli-json", generatedTime: "2026-11-29T10:00:00.000Z" },
    });
  });

  it("prints one JSON object with --json, with resource type and id", async () => {
    // Prepare
    const path = file("used.csv", usedRecently);
    // Act
    const result = await runCli(["evaluate", "--report", path, "--now", NOW, "--json"]);
    // Assess
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      complianceType: "NON_COMPLIANT",
      resourceType: "AWS::::Account",
      resourceId: "111122223333",
      reason: "used-in-window",
      lastUse: { credential: "access key 1", at: "2026-11-27T08:00:00.000Z" },
      activeAccessKeys: [1],
      mfaActive: true,
    });
    expect(json.annotation).toMatch(/^Root user used/);
  });

  it("gives resourceId null and exit 1 for a report that cannot be verified", async () => {
    // Prepare
    const path = file("no-root.csv", buildReport({ rows: [userRow("bob")] }));
    // Act
    const result = await runCli(["evaluate", "--report", path, "--json"]);
    // Assess
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ resourceId: null, complianceType: "NON_COMPLIANT" });
    expect(JSON.parse(result.stdout).annotation).toMatch(/^Cannot verify/);
  });

  it("applies --lookback-days and --fail-on-active-access-keys", async () => {
    // Prepare
    const path = file("used2.csv", usedRecently);
    // Act
    const narrow = await runCli(["evaluate", "--report", path, "--now", NOW, "--lookback-days", "1"]);
    const strict = await runCli([
      "evaluate",
      "--report",
      path,
      "--now",
      NOW,
      "--lookback-days",
      "1",
      "--fail-on-active-access-keys",
    ]);
    // Assess
    expect(narrow.status).toBe(0);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain("failOnActiveAccessKeys=true");
  });
});

describe("usage and I/O errors exit 2 with one clear line", () => {
  const damaged = (name: string, content: string) => file(`damaged-${name}.json`, content);
  const cases: Array<[string, string[], RegExp]> = [
    ["missing file", ["evaluate", "--report", "/nonexistent/report.csv"], /cannot read .*no such file/],
    ["directory instead of file", ["evaluate", "--report", "/tmp"], /it is a directory/],
    ["invalid JSON", ["evaluate", "--report", damaged("invalid", "{ not json")], /not valid JSON/],
    [
      "JSON without Content",
      ["evaluate", "--report", damaged("no-content", '{"Foo":1}')],
      /without a "Content" string/,
    ],
    [
      "invalid base64",
      ["evaluate", "--report", damaged("base64", '{"Content":"@@@not base64"}')],
      /not valid base64/,
    ],
    ["unknown flag", ["evaluate", "--report", "-", "--bogus"], /unknown option "--bogus"/],
    ["no command", [], /missing command/],
    ["unknown command", ["check"], /unknown command "check"/],
    ["both sources", ["evaluate", "--report", "x", "--live"], /exclude each other/],
    ["no source", ["evaluate"], /needs --report/],
    [
      "bad --now",
      ["evaluate", "--report", "-", "--now", "yesterday"],
      /--now "yesterday" is not an ISO 8601/,
    ],
    [
      "bad --lookback-days",
      ["evaluate", "--report", "-", "--lookback-days", "0"],
      /--lookback-days "0".*1 to 3650/,
    ],
    [
      "--role-arn without --live",
      ["evaluate", "--report", "-", "--role-arn", "x"],
      /--role-arn goes with --live/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 2 for ${name}`, async () => {
      // Act
      const result = await runCli(args);
      // Assess
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^root-activity: /);
      expect(result.stderr).toMatch(message);
    });
  }
});

describe("explain and help", () => {
  it("prints the remediation steps in plain words", async () => {
    // Act
    const result = await runCli(["explain"]);
    // Assess
    expect(result.status).toBe(0);
    for (const step of [
      "Stop using root",
      "least-privilege",
      "Delete root access keys",
      "MFA",
      "centralized root access",
    ]) {
      expect(result.stdout).toContain(step);
    }
  });

  it("prints usage with --help and the version with --version", async () => {
    // Act
    const help = await runCli(["--help"]);
    const version = await runCli(["--version"]);
    // Assess
    expect(help.stdout).toContain("root-activity evaluate --report <file|->");
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("evaluate --live", () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(async () => {
    await aws?.close();
  });
  beforeEach(() => aws.reset());

  it("fetches the report of the current credentials' account with the Lambda's retrieval code, showing progress on stderr", async () => {
    // Prepare
    aws.clearReport();
    aws.onGenerate(usedRecently, { readyAfterPolls: 2 });
    // Act
    const result = await runCli(["evaluate", "--live", "--now", NOW, "--json"], { env: aws.env });
    // Assess
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      complianceType: "NON_COMPLIANT",
      report: { source: "live" },
    });
    expect(result.stderr).toContain("Asked IAM to generate a new credential report");
    expect(result.stderr).toContain("Waiting for the credential report");
    expect(actionsOf(aws, { cloudTrail: false })).toEqual([
      "sts:GetCallerIdentity",
      "iam:GetCredentialReport",
      "iam:GenerateCredentialReport",
      "iam:GetCredentialReport",
      "iam:GetCredentialReport",
      "iam:GetCredentialReport",
    ]);
    expect(aws.evaluations).toHaveLength(0);
  });

  it("exits 2 with one line when AWS fails", async () => {
    // Prepare
    aws.setReport(neverUsed);
    aws.inject({
      kind: "error",
      service: "iam",
      status: 403,
      code: "AccessDenied",
      times: Number.POSITIVE_INFINITY,
    });
    // Act
    const result = await runCli(["evaluate", "--live"], { env: aws.env });
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^root-activity: IAM GetCredentialReport failed: AccessDenied/);
    expect(result.stderr).toContain(
      "your AWS credentials need iam:GenerateCredentialReport and iam:GetCredentialReport",
    );
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
