/**
 * End to end with the real AWS CLI this machine has (v1 or v2, found on PATH by test/aws-cli-setup.ts, which says
 * which): `aws iam get-credential-report --output <format>` against the local endpoint (`--endpoint-url`: older AWS
 * CLIs ignore AWS_ENDPOINT_URL_*), piped through a real pipe into the built CLI. Rules: every readable format the AWS
 * CLI offers gives the verdict of the raw CSV (v1 offers no yaml: those cases are skipped, saying so);
 * `--output table` is a usage error naming `--output json`; the local endpoint's answers are what botocore parses
 * (generate, get, and the error codes of a missing, expired or unfinished report, with the exit status of a service
 * error of that major version); and the fixtures of test/support/aws-cli-output.ts are what this AWS CLI prints,
 * byte for byte.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import { describeAwsCli } from "./support/aws-cli.ts";
import { awsCliOutput, READABLE_FORMATS } from "./support/aws-cli-output.ts";
import { type CliRun, runCli, runShell, useTempFiles } from "./support/cli.ts";
import { NOW_UTC as NOW } from "./support/evaluation.ts";
import { buildReport, reportWithUsers, rootRow, userRow } from "./support/report-builder.ts";

const CLI_FOUND = inject("awsCli");
const AWS_CLI = CLI_FOUND.path;
/** The readable formats this AWS CLI offers (v1: json and text). */
const OFFERED = READABLE_FORMATS.filter((format) => CLI_FOUND.outputs.includes(format));
const GENERATED = new Date("2026-11-29T11:00:00Z");
const { file } = useTempFiles("root-activity-aws-cli-");

const reports = {
  "used root": buildReport({
    rows: [
      rootRow({ access_key_1_active: "true", access_key_1_last_used_date: "2026-11-27T08:00:00+00:00" }),
      userRow("a,b"),
    ],
  }),
  "quiet root": buildReport({
    rows: [userRow("ops"), rootRow({ password_last_used: "2026-03-01T10:00:00+00:00" })],
  }),
  "5 000 users, root last": reportWithUsers(
    5_000,
    "last",
    rootRow({ password_last_used: "2026-11-28T10:00:00+00:00" }),
  ),
};

let aws: LocalAws;
/** The AWS CLI's environment: the local endpoint's credentials and region, no config files, no pager. */
let awsEnv: Record<string, string>;

beforeAll(async () => {
  aws = await startLocalAws({ now: () => new Date(NOW) });
  awsEnv = {
    ...aws.env,
    AWS_DEFAULT_REGION: aws.env.AWS_REGION as string,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_EC2_METADATA_DISABLED: "true",
  };
});

afterAll(async () => {
  await aws?.close();
});

beforeEach(() => aws.reset());

/** `aws --endpoint-url <local> iam get-credential-report --output <format> | root-activity <args>`. */
function pipeAwsCli(format: string, args: string[]): Promise<CliRun> {
  return runShell(
    'url=$1 format=$2; shift 2; "$AWS" --endpoint-url "$url" iam get-credential-report --output "$format" | "$NODE" "$CLI" "$@"',
    [aws.url, format, ...args],
    { ...awsEnv, AWS: AWS_CLI },
  );
}

function awsCli(args: string[]) {
  return promisify(execFile)(AWS_CLI, ["--endpoint-url", aws.url, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...awsEnv },
  });
}

/** The verdict's fields that must not depend on how the report arrived. */
function verdictOf(run: CliRun) {
  expect(run.stderr).toBe("");
  const json = JSON.parse(run.stdout);
  return {
    status: run.status,
    complianceType: json.complianceType,
    reason: json.reason,
    annotation: json.annotation,
    resourceId: json.resourceId,
    lastUse: json.lastUse,
    lastUsed: json.lastUsed,
    activeAccessKeys: json.activeAccessKeys,
  };
}

describe(`the real AWS CLI piped into root-activity: ${describeAwsCli(CLI_FOUND)}`, () => {
  for (const [name, csv] of Object.entries(reports)) {
    for (const format of READABLE_FORMATS) {
      const offered = OFFERED.includes(format);
      const title = `gives the raw CSV's verdict for --output ${format} (${name})`;
      it.skipIf(!offered)(
        offered ? title : `${title}: not offered by AWS CLI v${CLI_FOUND.major}`,
        async () => {
          // Prepare
          aws.setReport(csv, { generatedTime: GENERATED });
          const args = ["evaluate", "--report", "-", "--now", NOW, "--json"];
          // Act
          const piped = await pipeAwsCli(format, args);
          const raw = await runCli([
            "evaluate",
            "--report",
            file(`${name}.csv`, csv),
            "--now",
            NOW,
            "--json",
          ]);
          // Assess
          expect(verdictOf(piped)).toEqual(verdictOf(raw));
          expect(JSON.parse(piped.stdout).report).toEqual({
            source: "stdin",
            format: `aws-cli-${format}`,
            generatedTime: GENERATED.toISOString(),
            ageSeconds: 3600,
            inFuture: false,
            tooOld: false,
          });
        },
      );
    }
  }

  it("makes --output table a usage error naming --output json, never a verdict", async () => {
    // Prepare
    aws.setReport(reports["used root"], { generatedTime: GENERATED });
    // Act
    const result = await pipeAwsCli("table", ["evaluate", "--report", "-", "--now", NOW]);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^root-activity: standard input is the AWS CLI's --output table, which cannot be read back: .*--output json/,
      ),
    ]);
  });

  it("says a stale report downloaded with the AWS CLI cannot vouch for the present", async () => {
    // Prepare
    aws.setReport(reports["quiet root"], { generatedTime: new Date("2026-11-28T11:00:00Z") });
    // Act
    const result = await pipeAwsCli("json", ["evaluate", "--report", "-", "--now", NOW]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /Cannot verify root user activity: the report was generated 2026-11-28T11:00:00Z/,
    );
    expect(result.stdout).toContain("To get a current report: aws iam generate-credential-report");
  });
});

describe("the local endpoint's answers are what the AWS CLI (botocore) parses", () => {
  it("prints exactly the fixtures of test/support/aws-cli-output.ts", async () => {
    // Prepare
    const csv = reports["used root"];
    aws.setReport(csv, { generatedTime: GENERATED });
    // Act
    const outputs = await Promise.all(
      OFFERED.map((format) => awsCli(["iam", "get-credential-report", "--output", format])),
    );
    // Assess
    expect(OFFERED).toContain("json");
    // v2 prints timestamps as ISO 8601 with an offset (cli_timestamp_format "iso8601", its default); v1 prints
    // them as the service sent them, IAM's `Z` (AWS CLI v2 migration guide, "Timestamp output format").
    const printed = CLI_FOUND.major >= 2 ? "2026-11-29T11:00:00+00:00" : "2026-11-29T11:00:00Z";
    OFFERED.forEach((format, i) => {
      expect(outputs[i]?.stdout).toBe(awsCliOutput(csv, format, printed));
    });
  });

  it("reads GenerateCredentialReport's State and Description: STARTED, then COMPLETE within 4 hours", async () => {
    // Prepare
    aws.clearReport();
    // Act
    const first = await awsCli(["iam", "generate-credential-report"]);
    const second = await awsCli(["iam", "generate-credential-report"]);
    // Assess
    expect(JSON.parse(first.stdout)).toEqual({
      State: "STARTED",
      Description: "No report exists. Starting a new report generation task",
    });
    expect(JSON.parse(second.stdout)).toEqual({
      State: "COMPLETE",
      Description: "Report generation is complete",
    });
  });

  it("reads STARTED and INPROGRESS while a generation runs", async () => {
    // Prepare
    aws.clearReport();
    aws.onGenerate(reports["quiet root"], { readyAfterPolls: 5 });
    // Act
    const started = await awsCli(["iam", "generate-credential-report"]);
    const again = await awsCli(["iam", "generate-credential-report"]);
    // Assess
    expect(JSON.parse(started.stdout)).toEqual({
      State: "STARTED",
      Description: "No report exists. Starting a new report generation task",
    });
    expect(JSON.parse(again.stdout).State).toBe("INPROGRESS");
  });

  const errors: Array<[string, () => void, RegExp]> = [
    [
      "ReportNotPresent",
      () => aws.clearReport(),
      /An error occurred \(ReportNotPresent\) when calling the GetCredentialReport operation: Credential report not present/,
    ],
    [
      "ReportExpired",
      () => aws.expireReport(),
      /An error occurred \(ReportExpired\) when calling the GetCredentialReport operation: The credential report has expired/,
    ],
    [
      "ReportInProgress",
      () => aws.startGeneration(reports["quiet root"], { readyAfterPolls: 3 }),
      /An error occurred \(ReportInProgress\) when calling the GetCredentialReport operation: Credential report generation is in progress/,
    ],
  ];
  for (const [code, prepare, message] of errors) {
    it(`reads the ${code} error code and message`, async () => {
      // Prepare
      aws.setReport(reports["quiet root"], { generatedTime: GENERATED });
      prepare();
      // Act
      const failure = await awsCli(["iam", "get-credential-report"]).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      // Assess
      expect(failure?.code).toBe(CLI_FOUND.serviceErrorStatus);
      expect(failure?.stderr.trim()).toMatch(message);
    });
  }

  it("identifies the caller with the local endpoint's credentials, and refuses others", async () => {
    // Act
    const identity = await awsCli(["sts", "get-caller-identity"]);
    const refused = await promisify(execFile)(
      AWS_CLI,
      ["--endpoint-url", aws.url, "sts", "get-caller-identity"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: "/root",
          ...awsEnv,
          AWS_ACCESS_KEY_ID: "AKIAOTHEROTHEROTHER0",
        },
      },
    ).then(
      () => undefined,
      (error: { stderr: string }) => error,
    );
    // Assess
    expect(JSON.parse(identity.stdout)).toMatchObject({ Account: aws.homeAccountId });
    expect(refused?.stderr).toMatch(/\(InvalidClientTokenId\)/);
  });
});
