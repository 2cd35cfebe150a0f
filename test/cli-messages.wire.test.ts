/**
 * CLI errors speak to the person at the terminal. Rules: each is one line on stderr, exit 2; it says what to do in
 * CLI terms (`--timeout`, `--role-arn`, which credentials), never the Lambda's "nothing was posted", "Config retries
 * the invocation", "raise the Lambda timeout" or "Config asked about account …"; a run on Node 20 prints only the
 * lines it promises (no SDK warning about the Node version). Through the built CLI and the local AWS endpoint, and
 * `cliMessage` on each of the Lambda's errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliMessage } from "../rule/cli/messages.ts";
import {
  AccountMismatchError,
  AssumeRoleError,
  ReportNotReadyError,
  ReportRetrievalError,
} from "../rule/errors.ts";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import { type CliRun, runCli } from "./support/cli.ts";
import { buildReport, rootRow } from "./support/report-builder.ts";
import { MEMBER } from "./support/wire.ts";

/** Words of the Lambda's messages that mean nothing at a terminal. */
const LAMBDA_WORDING =
  /nothing was posted|Config retries|Lambda|Config asked|StackSet|execution role|invocation/i;
const ROLE = `arn:aws:iam::${MEMBER}:role/audit`;
const quiet = buildReport({ rows: [rootRow()] });

function expectOneCliLine(result: CliRun, message: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  const last = result.stderr.trim().split("\n").at(-1) as string;
  expect(last).toMatch(/^root-activity: /);
  expect(last).toMatch(message);
  expect(last).not.toMatch(LAMBDA_WORDING);
  // Progress lines come first; the error is the only line that starts with the program's name.
  expect(result.stderr.match(/^root-activity: /gm)).toHaveLength(1);
}

describe("cliMessage words the Lambda's errors for the command line", () => {
  const context = { timeoutSeconds: 60 };
  const cases: Array<[string, unknown, RegExp]> = [
    [
      "report not ready",
      new ReportNotReadyError(58_000, 7),
      /after 58 s \(7 checks\).*--timeout <seconds> \(now 60, at most 900\)/,
    ],
    [
      "access denied on IAM",
      new ReportRetrievalError(
        "GetCredentialReport",
        Object.assign(new Error("denied"), { name: "AccessDenied" }),
      ),
      /your AWS credentials need iam:GenerateCredentialReport and iam:GetCredentialReport/,
    ],
    [
      "throttling that outlasted the retries",
      new ReportRetrievalError(
        "GenerateCredentialReport",
        Object.assign(new Error("Rate exceeded"), { name: "Throttling" }),
      ),
      /Throttling.*after retries.*try again in a minute/,
    ],
    [
      "account mismatch of the environment's credentials",
      new AccountMismatchError(MEMBER, "111122223333"),
      /is for account 111122223333, but your credentials are account 444455556666's.*AWS_PROFILE/,
    ],
    [
      "AssumeRole denied",
      new AssumeRoleError(ROLE, MEMBER, Object.assign(new Error("not authorized"), { name: "AccessDenied" })),
      /Cannot assume --role-arn .*: AccessDenied.*trust policy lets your credentials/,
    ],
  ];
  for (const [name, error, message] of cases) {
    it(`says what to do for ${name}`, () => {
      // Act
      const line = cliMessage(error, context);
      // Assess
      expect(line).toMatch(message);
      expect(line).not.toMatch(LAMBDA_WORDING);
      expect(line.split("\n")).toHaveLength(1);
    });
  }
});

describe("through the wire: evaluate --live", () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(async () => {
    await aws?.close();
  });
  beforeEach(() => aws.reset());
  const live = (args: string[] = [], env: Record<string, string> = aws.env) =>
    runCli(["evaluate", "--live", ...args], { env });

  it("names --timeout when IAM has not finished the report in time", async () => {
    // Prepare
    aws.clearReport();
    aws.onGenerate(quiet, { readyAfterPolls: 1_000 });
    // Act
    const result = await live(["--timeout", "2"]);
    // Assess
    expectOneCliLine(
      result,
      /IAM had not finished the credential report after \d+ s \(\d+ checks?\): try again in a minute, or wait longer with --timeout <seconds> \(now 2, at most 900\)/,
    );
  });

  it("names --timeout when IAM does not answer", async () => {
    // Prepare
    aws.setReport(quiet);
    aws.inject({ kind: "hang", service: "iam", times: Number.POSITIVE_INFINITY });
    // Act
    const result = await live(["--timeout", "2"]);
    // Assess
    expectOneCliLine(result, /no answer within --timeout \(2 s\)/);
  });

  it("says the credentials expired", async () => {
    // Prepare
    aws.setReport(quiet);
    aws.inject({
      kind: "error",
      service: "iam",
      status: 403,
      code: "ExpiredToken",
      times: Number.POSITIVE_INFINITY,
    });
    // Act
    const result = await live();
    // Assess
    expectOneCliLine(result, /ExpiredToken.*your AWS credentials have expired; sign in again/);
  });

  it("says AWS does not accept credentials it does not know", async () => {
    // Prepare
    aws.setReport(quiet);
    // Act
    const result = await live([], {
      ...aws.env,
      AWS_ACCESS_KEY_ID: "AKIAUNKNOWNUNKNOWN00",
      AWS_SESSION_TOKEN: "x",
    });
    // Assess
    expectOneCliLine(result, /InvalidClientTokenId.*AWS does not accept your credentials/);
  });

  it("says there are no credentials, and how to sign in", async () => {
    // Prepare: no credentials anywhere the SDK looks, and no instance metadata service to ask.
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, ...rest } = aws.env;
    const env = {
      ...rest,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    };
    // Act
    const result = await live([], env);
    // Assess
    expectOneCliLine(result, /no AWS credentials found: sign in \(aws sso login, or aws configure\)/);
    expect(aws.calls).toEqual([]);
  });

  it("says which role's permissions are missing with --role-arn", async () => {
    // Prepare
    aws.addRole(ROLE);
    aws.setReport(buildReport({ rows: [rootRow({}, MEMBER)] }), { accountId: MEMBER });
    aws.inject({
      kind: "error",
      service: "iam",
      status: 403,
      code: "AccessDenied",
      times: Number.POSITIVE_INFINITY,
    });
    // Act
    const result = await live(["--role-arn", ROLE]);
    // Assess
    expectOneCliLine(result, new RegExp(`AccessDenied.*the role ${ROLE} need iam:GenerateCredentialReport`));
  });

  it("says --role-arn names another account than the report's", async () => {
    // Prepare: the member account serves a report whose root ARN is the home account's.
    aws.addRole(ROLE);
    aws.setReport(quiet, { accountId: MEMBER });
    // Act
    const result = await live(["--role-arn", ROLE]);
    // Assess
    expectOneCliLine(
      result,
      /The credential report is for account 111122223333, but --role-arn names account 444455556666/,
    );
  });

  it("refuses a report of another account than the credentials' own (sts GetCallerIdentity), as the Lambda does", async () => {
    // Prepare: the caller's account serves a report whose root ARN is the member account's.
    aws.setReport(buildReport({ rows: [rootRow({}, MEMBER)] }));
    // Act
    const result = await live();
    // Assess
    expectOneCliLine(
      result,
      /The credential report is for account 444455556666, but your credentials are account 111122223333's/,
    );
    expect(aws.calls[0]).toMatchObject({ service: "sts", action: "GetCallerIdentity" });
  });

  it("reads the region from AWS_DEFAULT_REGION as the AWS CLI does, and says when there is none", async () => {
    // Prepare
    aws.setReport(quiet);
    const { AWS_REGION, ...withoutRegion } = aws.env;
    // Act
    const awsCliStyle = await live(["--json"], { ...withoutRegion, AWS_DEFAULT_REGION: "eu-west-1" });
    const none = await live([], withoutRegion);
    // Assess
    expect(awsCliStyle.status).toBe(0);
    expectOneCliLine(none, /no AWS region configured: set AWS_REGION/);
  });
});

describe("a run on Node 20 keeps to the output it promises", () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(async () => {
    await aws?.close();
  });

  it("prints one JSON line on stdout and no SDK warning about the Node version on stderr", async () => {
    // Prepare: a fresh report, so no report progress line either; the child's environment has no SDK switch.
    aws.setReport(quiet);
    // Act
    const result = await runCli(["evaluate", "--live", "--json"], { env: aws.env });
    // Assess: the one line on stderr is the CloudTrail progress line.
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toBe("Reading CloudTrail event history in 17 regions...\n");
  });

  it.runIf(Number(process.versions.node.split(".")[0]) < 22)(
    "would show the SDK's warning here if the CLI did not turn it off (the check above can fail)",
    async () => {
      // Prepare
      aws.setReport(quiet);
      // Act: the user asks for the warning explicitly.
      const result = await runCli(["evaluate", "--live", "--json"], {
        env: { ...aws.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "false" },
      });
      // Assess
      expect(result.stderr).toContain("NodeVersionSupportWarning");
    },
  );
});
