import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  type Evaluation,
  InvalidParameterValueException,
  InvalidResultTokenException,
  PutEvaluationsCommand,
} from "@aws-sdk/client-config-service";
import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
  ListUsersCommand,
  ServiceFailureException,
} from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CREDENTIAL_REPORT_COLUMNS, minimalRootReport } from "../scripts/local-aws/report-csv.ts";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import { HOUR, MEMBER } from "./support/wire.ts";

const HOME = "111122223333";
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/root-activity-evaluator`;
const T0 = new Date("2024-05-02T08:00:00Z");

const ROOT_USED = [
  CREDENTIAL_REPORT_COLUMNS.join(","),
  "<root_account>,arn:aws:iam::111122223333:root,2016-05-16T18:13:11+00:00,not_supported,2024-05-01T15:47:11+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
].join("\n");

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let aws: LocalAws;
const savedEnv = { ...process.env };

/** Clients built the way the Lambda builds them: from the environment only. */
function iam(
  options: { maxAttempts?: number; credentials?: Credentials; requestTimeout?: number } = {},
): IAMClient {
  return new IAMClient({
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // This SDK only warns on requestTimeout unless throwOnRequestTimeout is set.
    ...(options.requestTimeout
      ? { requestHandler: { requestTimeout: options.requestTimeout, throwOnRequestTimeout: true } }
      : {}),
  });
}

function config(options: { credentials?: Credentials } = {}): ConfigServiceClient {
  return new ConfigServiceClient({
    maxAttempts: 1,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

function sts(options: { credentials?: Credentials } = {}): STSClient {
  return new STSClient({
    maxAttempts: 1,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    ComplianceResourceType: "AWS::::Account",
    ComplianceResourceId: HOME,
    ComplianceType: "COMPLIANT",
    Annotation: "Root user not used in the last 30 days.",
    OrderingTimestamp: new Date("2024-05-02T08:00:00.373Z"),
    ...overrides,
  };
}

async function assumeMemberRole(): Promise<Credentials> {
  const answer = await sts().send(
    new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, RoleSessionName: "root-activity", DurationSeconds: 900 }),
  );
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error("no credentials");
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function readReport(client = iam()): Promise<{ csv: string; generatedTime: Date | undefined }> {
  const answer = await client.send(new GetCredentialReportCommand({}));
  return { csv: new TextDecoder().decode(answer.Content), generatedTime: answer.GeneratedTime };
}

beforeAll(async () => {
  aws = await startLocalAws({ now: () => T0 });
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, aws.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
});

afterAll(async () => {
  await aws.close();
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

beforeEach(() => {
  aws.reset();
});

describe("environment and caller identification", () => {
  it("exposes endpoints, region and home credentials, and no AWS_MAX_ATTEMPTS", async () => {
    // Prepare
    const client = sts();

    // Act
    const identity = await client.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(aws.homeAccountId).toBe(HOME);
    expect(aws.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(aws.env).toMatchObject({
      AWS_ENDPOINT_URL_IAM: aws.url,
      AWS_ENDPOINT_URL_CONFIG_SERVICE: aws.url,
      AWS_ENDPOINT_URL_STS: aws.url,
      AWS_REGION: "us-east-1",
    });
    expect(aws.env).not.toHaveProperty("AWS_MAX_ATTEMPTS");
    expect(identity.Account).toBe(HOME);
    expect(aws.calls).toEqual([
      expect.objectContaining({
        service: "sts",
        action: "GetCallerIdentity",
        accountId: HOME,
        accessKeyId: aws.env.AWS_ACCESS_KEY_ID,
        status: 200,
      }),
    ]);
  });

  it("refuses unknown credentials and a wrong session token per service protocol", async () => {
    // Prepare
    const unknown = { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x" };
    const wrongToken = {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: "x",
      sessionToken: "not-the-token",
    };

    // Act
    const iamError = await iam({ credentials: unknown })
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);
    const configError = await config({ credentials: wrongToken })
      .send(new PutEvaluationsCommand({ ResultToken: "t", Evaluations: [evaluation()] }))
      .catch((e: unknown) => e);

    // Assess
    expect(iamError).toBeInstanceOf(IAMServiceException);
    expect(iamError).toMatchObject({ name: "InvalidClientTokenId", $metadata: { httpStatusCode: 403 } });
    expect(configError).toBeInstanceOf(ConfigServiceServiceException);
    expect(configError).toMatchObject({
      name: "UnrecognizedClientException",
      $metadata: { httpStatusCode: 400 },
    });
    expect(aws.calls.map((c) => [c.accountId, c.errorCode])).toEqual([
      [null, "InvalidClientTokenId"],
      [null, "UnrecognizedClientException"],
    ]);
    expect(aws.evaluations).toEqual([]);
  });

  it("routes a form POST without Version by the SigV4 credential scope", async () => {
    // Prepare
    const headers = {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=${aws.env.AWS_ACCESS_KEY_ID}/20240502/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00`,
      "x-amz-security-token": aws.env.AWS_SESSION_TOKEN ?? "",
    };

    // Act
    const response = await fetch(aws.url, { method: "POST", headers, body: "Action=GetCallerIdentity" });
    const text = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(text).toContain(`<Account>${HOME}</Account>`);
    expect(aws.calls[0]).toMatchObject({ service: "sts", action: "GetCallerIdentity", params: {} });
  });

  it("answers an unknown IAM action with InvalidAction", async () => {
    // Act
    const error = await iam()
      .send(new ListUsersCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "InvalidAction", $metadata: { httpStatusCode: 400 } });
  });
});

describe("credential report", () => {
  it("serves a set report: Content bytes round-trip, GeneratedTime is a Date, format text/csv", async () => {
    // Prepare
    const bytes = new TextEncoder().encode(`${ROOT_USED}\nçà,€`);
    aws.setReport(bytes, { generatedTime: new Date("2024-05-02T07:30:00Z") });

    // Act
    const answer = await iam().send(new GetCredentialReportCommand({}));

    // Assess
    expect(answer.Content).toBeInstanceOf(Uint8Array);
    expect(Array.from(answer.Content ?? [])).toEqual(Array.from(bytes));
    expect(answer.ReportFormat).toBe("text/csv");
    expect(answer.GeneratedTime).toBeInstanceOf(Date);
    expect(answer.GeneratedTime?.toISOString()).toBe("2024-05-02T07:30:00.000Z");
  });

  it("answers ReportNotPresent, then STARTED and a default minimal root report, then COMPLETE", async () => {
    // Prepare
    const client = iam();

    // Act
    const before = await client.send(new GetCredentialReportCommand({})).catch((e: unknown) => e);
    const started = await client.send(new GenerateCredentialReportCommand({}));
    const report = await readReport(client);
    const again = await client.send(new GenerateCredentialReportCommand({}));

    // Assess
    expect(before).toBeInstanceOf(CredentialReportNotPresentException);
    expect(before).toMatchObject({ $metadata: { httpStatusCode: 410 } });
    expect(started.State).toBe("STARTED");
    expect(started.Description).toEqual(expect.any(String));
    expect(report.csv).toBe(minimalRootReport(HOME));
    expect(report.csv.split("\n")[0]?.split(",")).toHaveLength(22);
    expect(report.generatedTime).toEqual(T0);
    expect(again.State).toBe("COMPLETE");
  });

  it("keeps a report younger than 4 hours and regenerates one 4 hours old", async () => {
    // Prepare
    aws.setReport("old", { generatedTime: T0 });
    aws.onGenerate(ROOT_USED);
    const client = iam();

    // Act
    aws.now = () => new Date(T0.getTime() + 4 * HOUR - 1000);
    const young = await client.send(new GenerateCredentialReportCommand({}));
    const stillOld = await readReport(client);
    aws.now = () => new Date(T0.getTime() + 4 * HOUR);
    const aged = await client.send(new GenerateCredentialReportCommand({}));
    const fresh = await readReport(client);

    // Assess
    expect(young.State).toBe("COMPLETE");
    expect(stillOld).toEqual({ csv: "old", generatedTime: T0 });
    expect(aged.State).toBe("STARTED");
    expect(fresh).toEqual({ csv: ROOT_USED, generatedTime: new Date(T0.getTime() + 4 * HOUR) });
  });

  it("answers ReportInProgress for readyAfterPolls Get calls and INPROGRESS to a repeated Generate", async () => {
    // Prepare
    const generatedAt = new Date("2024-05-02T08:00:05Z");
    aws.onGenerate(ROOT_USED, { readyAfterPolls: 2, generatedTime: () => generatedAt });
    const client = iam();

    // Act
    const first = await client.send(new GenerateCredentialReportCommand({}));
    const second = await client.send(new GenerateCredentialReportCommand({}));
    const polls = await Promise.allSettled([
      client.send(new GetCredentialReportCommand({})),
      client.send(new GetCredentialReportCommand({})),
    ]);
    const report = await readReport(client);
    const third = await client.send(new GenerateCredentialReportCommand({}));

    // Assess
    expect([first.State, second.State, third.State]).toEqual(["STARTED", "INPROGRESS", "COMPLETE"]);
    for (const poll of polls) {
      expect(poll.status).toBe("rejected");
      if (poll.status === "rejected") {
        expect(poll.reason).toBeInstanceOf(CredentialReportNotReadyException);
        expect(poll.reason).toMatchObject({ $metadata: { httpStatusCode: 404 } });
      }
    }
    expect(report).toEqual({ csv: ROOT_USED, generatedTime: generatedAt });
  });

  it("answers ReportExpired after expireReport, and Generate then starts a new report", async () => {
    // Prepare
    aws.setReport(ROOT_USED);
    aws.expireReport();
    const client = iam();

    // Act
    const expired = await client.send(new GetCredentialReportCommand({})).catch((e: unknown) => e);
    const generate = await client.send(new GenerateCredentialReportCommand({}));
    const report = await readReport(client);

    // Assess
    expect(expired).toBeInstanceOf(CredentialReportExpiredException);
    expect(expired).toMatchObject({ $metadata: { httpStatusCode: 410 } });
    expect(generate.State).toBe("STARTED");
    expect(report.csv).toBe(ROOT_USED);
  });

  it("keeps reports per account and clearReport forgets one", async () => {
    // Prepare
    aws.addRole(MEMBER_ROLE);
    aws.setReport(ROOT_USED);
    aws.setReport("member report", { accountId: MEMBER });
    aws.clearReport();
    const member = iam({ credentials: await assumeMemberRole() });

    // Act
    const home = await iam()
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);
    const memberReport = await readReport(member);

    // Assess
    expect(home).toBeInstanceOf(CredentialReportNotPresentException);
    expect(memberReport.csv).toBe("member report");
    expect(aws.calls.map((c) => [c.action, c.accountId])).toEqual([
      ["AssumeRole", HOME],
      ["GetCredentialReport", HOME],
      ["GetCredentialReport", MEMBER],
    ]);
  });
});

describe("STS AssumeRole", () => {
  it("mints fresh credentials mapped to the role's account and records the parameters", async () => {
    // Prepare
    aws.addRole(MEMBER_ROLE);
    const client = sts();

    // Act
    const first = await client.send(
      new AssumeRoleCommand({
        RoleArn: MEMBER_ROLE,
        RoleSessionName: "root-activity",
        DurationSeconds: 1800,
      }),
    );
    const second = await client.send(new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, RoleSessionName: "s2" }));
    const c = first.Credentials;
    const identity = await sts({
      credentials: {
        accessKeyId: c?.AccessKeyId ?? "",
        secretAccessKey: c?.SecretAccessKey ?? "",
        sessionToken: c?.SessionToken ?? "",
      },
    }).send(new GetCallerIdentityCommand({}));

    // Assess
    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c?.Expiration).toEqual(new Date(T0.getTime() + 1800_000));
    expect(second.Credentials?.Expiration).toEqual(new Date(T0.getTime() + HOUR));
    expect(second.Credentials?.AccessKeyId).not.toBe(c?.AccessKeyId);
    expect(second.Credentials?.SessionToken).not.toBe(c?.SessionToken);
    expect(first.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${MEMBER}:assumed-role/root-activity-evaluator/root-activity`,
    );
    expect(first.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]+:root-activity$/);
    expect(identity).toMatchObject({ Account: MEMBER, Arn: first.AssumedRoleUser?.Arn });
    expect(aws.calls[0]?.params).toEqual({
      RoleArn: MEMBER_ROLE,
      RoleSessionName: "root-activity",
      DurationSeconds: "1800",
    });
    expect(aws.calls[2]).toMatchObject({ accountId: MEMBER, accessKeyId: c?.AccessKeyId });
  });

  it("denies unregistered and untrusted roles with AWS's message", async () => {
    // Prepare
    const untrusted = `arn:aws:iam::${MEMBER}:role/other`;
    aws.addRole(untrusted, { trustedAccountIds: ["999999999999"] });
    const client = sts();

    // Act
    const errors = await Promise.all(
      [MEMBER_ROLE, untrusted].map((roleArn) =>
        client
          .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "root-activity" }))
          .catch((e: unknown) => e),
      ),
    );

    // Assess
    for (const [index, roleArn] of [MEMBER_ROLE, untrusted].entries()) {
      expect(errors[index]).toBeInstanceOf(STSServiceException);
      expect(errors[index]).toMatchObject({
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:sts::${HOME}:assumed-role/root-activity-lambda/root-activity is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      });
    }
  });

  it.each([
    ["a session name too short", { RoleSessionName: "a" }],
    ["a session name too long", { RoleSessionName: "x".repeat(65) }],
    ["a session name with a space", { RoleSessionName: "root activity" }],
    ["a duration below 900", { RoleSessionName: "ok", DurationSeconds: 899 }],
    ["a duration above 43200", { RoleSessionName: "ok", DurationSeconds: 43201 }],
  ])("refuses %s with ValidationError", async (_label, input) => {
    // Prepare
    aws.addRole(MEMBER_ROLE);

    // Act
    const error = await sts()
      .send(new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, ...input }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });
  });

  it("refuses assumed credentials once expired by the server clock", async () => {
    // Prepare
    aws.addRole(MEMBER_ROLE);
    const credentials = await assumeMemberRole();
    aws.now = () => new Date(T0.getTime() + 900_000);

    // Act
    const error = await iam({ credentials })
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "ExpiredToken", $metadata: { httpStatusCode: 403 } });
  });
});

describe("Config PutEvaluations", () => {
  it("records accepted evaluations with the caller account and epoch-second timestamps", async () => {
    // Prepare
    aws.addRole(MEMBER_ROLE);
    const member = config({ credentials: await assumeMemberRole() });

    // Act
    const answer = await member.send(
      new PutEvaluationsCommand({
        ResultToken: "token-1",
        Evaluations: [evaluation({ ComplianceResourceId: MEMBER })],
      }),
    );
    await config().send(
      new PutEvaluationsCommand({ ResultToken: "TESTMODE", Evaluations: [], TestMode: true }),
    );

    // Assess
    expect(answer.FailedEvaluations).toEqual([]);
    expect(aws.evaluations).toEqual([
      {
        accountId: MEMBER,
        resultToken: "token-1",
        testMode: false,
        evaluations: [
          {
            ComplianceResourceType: "AWS::::Account",
            ComplianceResourceId: MEMBER,
            ComplianceType: "COMPLIANT",
            Annotation: "Root user not used in the last 30 days.",
            OrderingTimestamp: 1714636800.373,
          },
        ],
      },
      { accountId: HOME, resultToken: "TESTMODE", testMode: true, evaluations: [] },
    ]);
    expect(aws.calls.at(-1)).toMatchObject({
      service: "config",
      action: "PutEvaluations",
      params: { ResultToken: "TESTMODE", Evaluations: [], TestMode: true },
    });
  });

  it.each([
    ["an empty result token", { ResultToken: "" }, InvalidResultTokenException],
    ["TESTMODE without TestMode", { ResultToken: "TESTMODE" }, InvalidResultTokenException],
    [
      "INSUFFICIENT_DATA",
      { Evaluations: [evaluation({ ComplianceType: "INSUFFICIENT_DATA" })] },
      InvalidParameterValueException,
    ],
    [
      "a 257-character annotation",
      { Evaluations: [evaluation({ Annotation: "a".repeat(257) })] },
      ConfigServiceServiceException,
    ],
    ["an empty annotation", { Evaluations: [evaluation({ Annotation: "" })] }, ConfigServiceServiceException],
    [
      "101 evaluations",
      { Evaluations: Array.from({ length: 101 }, () => evaluation()) },
      ConfigServiceServiceException,
    ],
  ])("refuses %s", async (_label, input, errorClass) => {
    // Prepare
    const client = config();

    // Act
    const error = await client
      .send(new PutEvaluationsCommand({ ResultToken: "token", Evaluations: [evaluation()], ...input }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(aws.evaluations).toEqual([]);
  });

  it("answers FailedEvaluations with the evaluations sent under the failedEvaluations fault", async () => {
    // Prepare
    aws.inject({ kind: "failedEvaluations" });
    const client = config();

    // Act
    const failed = await client.send(
      new PutEvaluationsCommand({ ResultToken: "t", Evaluations: [evaluation()] }),
    );
    const next = await client.send(
      new PutEvaluationsCommand({ ResultToken: "t", Evaluations: [evaluation()] }),
    );

    // Assess
    expect(failed.FailedEvaluations).toEqual([evaluation()]);
    expect(next.FailedEvaluations).toEqual([]);
    expect(aws.evaluations).toHaveLength(1);
    expect(aws.calls[0]?.fault).toBe("failedEvaluations");
  });
});

describe("who is denied", () => {
  const workstation = (): Credentials => ({
    accessKeyId: aws.workstationEnv.AWS_ACCESS_KEY_ID as string,
    secretAccessKey: aws.workstationEnv.AWS_SECRET_ACCESS_KEY as string,
    sessionToken: aws.workstationEnv.AWS_SESSION_TOKEN as string,
  });

  it("names the identity that signed the request in an injected AccessDenied, as AWS does", async () => {
    // Prepare
    aws.inject({ service: "iam", kind: "error", status: 403, code: "AccessDenied", times: 2 });
    // Act
    const asFunction = await iam()
      .send(new GenerateCredentialReportCommand({}))
      .then(
        () => new Error("not denied"),
        (e: Error) => e,
      );
    const asPerson = await iam({ credentials: workstation() })
      .send(new GenerateCredentialReportCommand({}))
      .then(
        () => new Error("not denied"),
        (e: Error) => e,
      );
    // Assess
    expect(asFunction.message).toBe(
      "User: arn:aws:sts::111122223333:assumed-role/root-activity-lambda/root-activity is not authorized to " +
        "perform: iam:GenerateCredentialReport because no identity-based policy allows the " +
        "iam:GenerateCredentialReport action",
    );
    expect(asPerson.message).toMatch(
      /^User: arn:aws:sts::111122223333:assumed-role\/AWSReservedSSO_SecurityAudit_[0-9a-f]+\/developer is not authorized to perform: iam:GenerateCredentialReport /,
    );
  });

  it("names the person, not the function, when a workstation may not assume a role", async () => {
    // Prepare: a role that trusts only another account.
    const roleArn = `arn:aws:iam::${MEMBER}:role/audit`;
    aws.addRole(roleArn, { trustedAccountIds: ["999999999999"] });
    // Act
    const denied = await sts({ credentials: workstation() })
      .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "cli" }))
      .then(
        () => new Error("not denied"),
        (e: Error) => e,
      );
    const me = await sts({ credentials: workstation() }).send(new GetCallerIdentityCommand({}));
    // Assess
    expect(denied.message).toBe(
      `User: ${me.Arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
    expect(me.Arn).toContain("/developer");
  });
});

describe("fault injection", () => {
  it("maps injected errors to the SDK exception classes", async () => {
    // Prepare
    aws.inject({
      service: "iam",
      action: "GenerateCredentialReport",
      kind: "error",
      status: 409,
      code: "LimitExceeded",
    });
    aws.inject({ service: "iam", kind: "error", status: 500, code: "ServiceFailure", message: "boom" });
    aws.inject({ service: "config", kind: "error", status: 400, code: "InvalidResultTokenException" });
    aws.inject({ service: "sts", kind: "error", status: 403, code: "AccessDenied" });

    // Act
    const limit = await iam()
      .send(new GenerateCredentialReportCommand({}))
      .catch((e: unknown) => e);
    const failure = await iam()
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);
    const token = await config()
      .send(new PutEvaluationsCommand({ ResultToken: "t", Evaluations: [] }))
      .catch((e: unknown) => e);
    const denied = await sts()
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(limit).toBeInstanceOf(LimitExceededException);
    expect(failure).toBeInstanceOf(ServiceFailureException);
    expect(failure).toMatchObject({ message: "boom", $fault: "server", $metadata: { httpStatusCode: 500 } });
    expect(token).toBeInstanceOf(InvalidResultTokenException);
    expect(denied).toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    expect(aws.calls.map((c) => [c.status, c.errorCode, c.fault])).toEqual([
      [409, "LimitExceeded", "error"],
      [500, "ServiceFailure", "error"],
      [400, "InvalidResultTokenException", "error"],
      [403, "AccessDenied", "error"],
    ]);
  });

  it("applies faults in FIFO order, only to matching requests, `times` times", async () => {
    // Prepare
    aws.setReport(ROOT_USED);
    aws.inject({ accountId: MEMBER, kind: "error", status: 500, code: "ServiceFailure", times: Infinity });
    aws.inject({ action: "GetCredentialReport", kind: "error", status: 400, code: "Throttling", times: 2 });
    aws.inject({ action: "GetCredentialReport", kind: "error", status: 500, code: "ServiceFailure" });
    const client = iam();

    // Act
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(
        await client.send(new GetCredentialReportCommand({})).then(
          () => "ok",
          (e: { name: string }) => e.name,
        ),
      );
    }

    // Assess
    expect(outcomes).toEqual(["Throttling", "Throttling", "ServiceFailureException", "ok"]);
  });

  it("lets the SDK's standard retries absorb Throttling", async () => {
    // Prepare
    aws.setReport(ROOT_USED);
    aws.inject({ service: "iam", kind: "error", status: 400, code: "Throttling" });

    // Act
    const report = await readReport(iam({ maxAttempts: 3 }));

    // Assess
    expect(report.csv).toBe(ROOT_USED);
    expect(aws.calls.map((c) => c.errorCode ?? c.status)).toEqual(["Throttling", 200]);
  });

  it("serves a raw malformed body that the SDK fails to deserialize", async () => {
    // Prepare
    aws.inject({
      kind: "raw",
      status: 200,
      body: "<GetCredentialReportResponse><GetCredentialReportResult><Cont",
    });

    // Act
    const error = await iam()
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(aws.calls[0]).toMatchObject({ status: 200, fault: "raw" });
  });

  it("resets the connection: an SDK error, recorded with status 0", async () => {
    // Prepare
    aws.inject({ kind: "reset" });

    // Act
    const error = await iam()
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(IAMServiceException);
    expect(aws.calls[0]).toMatchObject({ status: 0, fault: "reset" });
  });

  it("hangs until the SDK's requestTimeout", async () => {
    // Prepare
    aws.inject({ kind: "hang" });

    // Act
    const started = Date.now();
    const error = await iam({ requestTimeout: 200 })
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(aws.calls[0]).toMatchObject({ status: 0, fault: "hang" });
  });

  it("delays an answer by ms", async () => {
    // Prepare
    aws.setReport(ROOT_USED);
    aws.inject({ kind: "delay", ms: 150 });

    // Act
    const started = Date.now();
    const report = await readReport();

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(report.csv).toBe(ROOT_USED);
    expect(aws.calls[0]).toMatchObject({ status: 200, fault: "delay" });
  });
});

describe("lifecycle", () => {
  it("reset() forgets reports, faults, calls, evaluations, roles and restores the clock", async () => {
    // Prepare
    aws.setReport(ROOT_USED);
    aws.addRole(MEMBER_ROLE);
    await config().send(new PutEvaluationsCommand({ ResultToken: "t", Evaluations: [] }));
    aws.inject({ kind: "error", status: 500, code: "ServiceFailure", times: Infinity });
    aws.now = () => new Date(0);
    const calls = aws.calls;

    // Act
    aws.reset();
    const report = await iam()
      .send(new GetCredentialReportCommand({}))
      .catch((e: unknown) => e);
    const assume = await sts()
      .send(new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, RoleSessionName: "root-activity" }))
      .catch((e: unknown) => e);

    // Assess
    expect(report).toBeInstanceOf(CredentialReportNotPresentException);
    expect(assume).toMatchObject({ name: "AccessDenied" });
    expect(aws.evaluations).toEqual([]);
    expect(aws.now()).toEqual(T0);
    expect(calls).toBe(aws.calls);
    expect(aws.calls.map((c) => c.action)).toEqual(["GetCredentialReport", "AssumeRole"]);
  });

  it("close() ends hung sockets and resolves promptly", async () => {
    // Prepare
    const local = await startLocalAws();
    local.inject({ kind: "hang", times: Infinity });
    const client = new IAMClient({
      maxAttempts: 1,
      endpoint: local.url,
      region: "us-east-1",
      credentials: {
        accessKeyId: local.env.AWS_ACCESS_KEY_ID ?? "",
        secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY ?? "",
        sessionToken: local.env.AWS_SESSION_TOKEN ?? "",
      },
    });
    const pending = [1, 2].map(() =>
      client.send(new GetCredentialReportCommand({})).catch((e: unknown) => e),
    );
    while (local.calls.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    // Act
    const started = Date.now();
    await local.close();
    const errors = await Promise.all(pending);

    // Assess
    expect(Date.now() - started).toBeLessThan(1000);
    for (const error of errors) expect(error).toBeInstanceOf(Error);
    await expect(local.close()).resolves.toBeUndefined();
  });
});

describe("CloudTrail LookupEvents rate", () => {
  const lookup = (region: string) =>
    new CloudTrailClient({ region, maxAttempts: 1 }).send(new LookupEventsCommand({})).then(
      () => "ok",
      (error: Error) => error.name,
    );

  it("admits two lookups a second per account and region, the third throttled", async () => {
    // Act: the server's clock stands still at T0
    const outcomes = [
      await lookup("eu-west-1"),
      await lookup("eu-west-1"),
      await lookup("eu-west-1"),
      await lookup("us-east-1"),
    ];
    // Assess
    expect(outcomes).toEqual(["ok", "ok", "ThrottlingException", "ok"]);
  });

  it("counts a region's rate on lookupNow(region) when set, and forgets it at reset", async () => {
    // Prepare
    let euWest1Ms = 0;
    aws.lookupNow = (region) => new Date(T0.getTime() + (region === "eu-west-1" ? euWest1Ms : 0));
    // Act
    const moving: string[] = [];
    for (const step of [0, 0, 1_000]) {
      euWest1Ms += step;
      moving.push(await lookup("eu-west-1"));
    }
    aws.reset();
    const afterReset = aws.lookupNow;
    // Assess
    expect(moving).toEqual(["ok", "ok", "ok"]);
    expect(afterReset).toBeUndefined();
  });
});
