/**
 * Faults, through the built bundle and the real SDK against the local AWS endpoint's fault injection: throttling,
 * LimitExceeded, 5xx, connection resets, servers that never answer, malformed bodies, reports that expire or stay
 * in progress, and Config refusing the evaluation. For each one the invocation
 * - ends inside the Lambda's remaining time,
 * - posts nothing it did not earn (a failure posts nothing; a success posts exactly one evaluation), and
 * - fails with an error whose name and message say what went wrong.
 *
 * Cases test/handler.wire.test.ts already covers (IAM throttling bursts and persistent IAM throttling, a report
 * that stays in progress after a generation, ReportExpired followed by a ready report, FailedEvaluations,
 * InvalidResultTokenException's message) are not repeated here.
 */

import { describe, expect, it, vi } from "vitest";
import { CLIENT_SETTINGS } from "../rule/aws/settings.ts";
import type { ConfigRuleInvocation } from "../rule/event.ts";
import type { Fault } from "../scripts/local-aws/server.ts";
import { collectGarbageDuring } from "./support/gc.ts";
import { buildReport, daysBefore, iamDate, rootRow, userRow } from "./support/report-builder.ts";
import { sourceHandler } from "./support/source-handler.ts";
import {
  ALWAYS,
  callsOf,
  coldHandler,
  configEvent,
  eventTime,
  expectFailure as expectFailureOf,
  expectOnePost as expectOnePostOf,
  HOUR,
  type Invocation,
  invoke as invokeHandler,
  MEMBER,
  useWire,
} from "./support/wire.ts";

const { aws, invoke } = useWire();
const { actions, count } = callsOf(aws);

/** Root used a day before `event`'s time. */
const usedYesterday = (event: ConfigRuleInvocation, accountId = "111122223333") =>
  buildReport({
    rows: [
      rootRow({ password_last_used: iamDate(daysBefore(eventTime(event), 1)) }, accountId),
      userRow("alice", {}, accountId),
    ],
  });
const neverUsed = () => buildReport({ rows: [rootRow(), userRow("alice")] });

const expectFailure = (run: Invocation, remainingMs: number, name: string, message: RegExp) =>
  expectFailureOf(aws, run, remainingMs, name, message);
const expectOnePost = (run: Invocation, remainingMs: number, complianceType: string) =>
  expectOnePostOf(aws, run, remainingMs, complianceType);

let roles = 0;
/** An organization event for the member account, with a fresh role (assumed-role clients are cached per role). */
function memberEvent(): ConfigRuleInvocation {
  roles += 1;
  const name = `root-activity-member-${roles}`;
  aws.addRole(`arn:aws:iam::${MEMBER}:role/${name}`);
  return configEvent({ accountId: MEMBER, ruleParameters: JSON.stringify({ executionRoleName: name }) });
}

/**
 * One run of the home account's rule, with `remainingMs` left, against `report` (default: root never used) and
 * with `faults` injected in order.
 */
interface FaultCase {
  readonly name: string;
  readonly report?: (event: ConfigRuleInvocation) => string;
  readonly faults: readonly Fault[];
  readonly remainingMs: number;
  /** It posts one evaluation of `posts` (expectOnePost), or fails with `fails` and `message` (expectFailure). */
  readonly outcome: { readonly posts: string } | { readonly fails: string; readonly message: RegExp };
  /** What else the test expects, of the run or of the calls made. */
  readonly alsoExpect?: (run: Invocation) => void;
}

/** Registers the test of a fault case. */
function itRuns(fault: FaultCase): void {
  it(fault.name, async () => {
    // Prepare
    const event = configEvent();
    aws.setReport((fault.report ?? neverUsed)(event));
    for (const injected of fault.faults) aws.inject(injected);
    // Act: a server that never answers leaves only the deadline to end the run; garbage is collected meanwhile, as
    // a busy Lambda does, so a deadline that a collection can drop fails here
    const running = invoke(event, fault.remainingMs);
    const run = fault.faults.some((f) => f.kind === "hang")
      ? await collectGarbageDuring(running, 200)
      : await running;
    // Assess
    if ("posts" in fault.outcome) expectOnePost(run, fault.remainingMs, fault.outcome.posts);
    else expectFailure(run, fault.remainingMs, fault.outcome.fails, fault.outcome.message);
    fault.alsoExpect?.(run);
  });
}

describe("throttling, LimitExceeded and 5xx", () => {
  it("rides out a throttling burst on every API (STS, both IAM calls, Config) and posts once", async () => {
    // Prepare: a stale report, so the run makes every call: AssumeRole, Get, Generate, Get, Get, PutEvaluations.
    const event = memberEvent();
    aws.setReport(neverUsed(), { accountId: MEMBER, generatedTime: new Date(Date.now() - 5 * HOUR) });
    aws.onGenerate(usedYesterday(event, MEMBER), { accountId: MEMBER, readyAfterPolls: 1 });
    aws.inject({ kind: "error", service: "sts", status: 400, code: "Throttling" });
    aws.inject({
      kind: "error",
      service: "iam",
      action: "GetCredentialReport",
      status: 400,
      code: "Throttling",
      times: 2,
    });
    aws.inject({
      kind: "error",
      service: "iam",
      action: "GenerateCredentialReport",
      status: 400,
      code: "Throttling",
    });
    aws.inject({ kind: "error", service: "config", status: 400, code: "ThrottlingException" });
    // Act
    const run = await invoke(event, 20_000);
    // Assess
    expectOnePost(run, 20_000, "NON_COMPLIANT");
    expect(aws.calls.filter((c) => c.errorCode?.startsWith("Throttling"))).toHaveLength(5);
    expect(count("AssumeRole")).toBe(2);
    expect(count("PutEvaluations")).toBe(2);
    expect(aws.evaluations[0]?.accountId).toBe(MEMBER);
  });

  it("retries LimitExceeded on GenerateCredentialReport, then posts once", async () => {
    // Prepare
    const event = configEvent();
    aws.clearReport();
    aws.onGenerate(usedYesterday(event));
    aws.inject({
      kind: "error",
      service: "iam",
      action: "GenerateCredentialReport",
      status: 409,
      code: "LimitExceeded",
    });
    // Act
    const run = await invoke(event, 10_000);
    // Assess
    expectOnePost(run, 10_000, "NON_COMPLIANT");
    expect(count("GenerateCredentialReport")).toBe(2);
  });

  it("fails naming GenerateCredentialReport and LimitExceeded when it persists, after 4 attempts", async () => {
    // Prepare
    aws.clearReport();
    aws.inject({
      kind: "error",
      service: "iam",
      action: "GenerateCredentialReport",
      status: 409,
      code: "LimitExceeded",
      times: ALWAYS,
    });
    // Act
    const run = await invoke(configEvent(), 12_000);
    // Assess
    expectFailure(
      run,
      12_000,
      "ReportRetrievalError",
      /^IAM GenerateCredentialReport failed: LimitExceededException \(HTTP 409\).*nothing was posted/,
    );
    expect(count("GenerateCredentialReport")).toBe(4);
  });

  // One test each, every one on a cold start of the bundle (coldHandler): the SDK's retry quota is the warm client's,
  // and a quota spent by an earlier test's faults would cut the retries counted here.
  it("fails naming IAM and HTTP 500 after 4 attempts when IAM answers 500 every time", async () => {
    // Prepare
    aws.setReport(neverUsed());
    aws.inject({ kind: "error", service: "iam", status: 500, code: "ServiceFailure", times: ALWAYS });
    // Act
    const iam = await invokeHandler(await coldHandler(), configEvent(), 6_000);
    // Assess
    expectFailure(
      iam,
      6_000,
      "ReportRetrievalError",
      /^IAM GetCredentialReport failed: ServiceFailureException \(HTTP 500\)/,
    );
    expect(count("GetCredentialReport")).toBe(4);
  });

  it("fails naming AWS Config and HTTP 503 after 3 attempts when Config answers 503 every time", async () => {
    // Prepare
    aws.setReport(neverUsed());
    aws.inject({ kind: "error", service: "config", status: 503, code: "ServiceUnavailable", times: ALWAYS });
    // Act
    const config = await invokeHandler(await coldHandler(), configEvent(), 6_000);
    // Assess
    expectFailure(
      config,
      6_000,
      "PutEvaluationsError",
      /^AWS Config PutEvaluations failed: ServiceUnavailable \(HTTP 503\)/,
    );
    expect(count("PutEvaluations")).toBe(3);
  });

  it("fails naming the role and HTTP 500 after 3 attempts when STS answers 500 every time", async () => {
    // Prepare
    const event = memberEvent();
    aws.inject({ kind: "error", service: "sts", status: 500, code: "InternalFailure", times: ALWAYS });
    // Act
    const sts = await invokeHandler(await coldHandler(), event, 6_000);
    // Assess
    expectFailure(
      sts,
      6_000,
      "AssumeRoleError",
      new RegExp(
        `^Cannot assume arn:aws:iam::${MEMBER}:role/\\S+ in account ${MEMBER}: InternalFailure \\(HTTP 500\\)`,
      ),
    );
    expect(actions()).toEqual(["sts:AssumeRole", "sts:AssumeRole", "sts:AssumeRole"]);
  });

  it("fails naming ThrottlingException after 3 attempts when Config keeps throttling", async () => {
    // Prepare
    aws.setReport(neverUsed());
    aws.inject({ kind: "error", service: "config", status: 400, code: "ThrottlingException", times: ALWAYS });
    // Act
    const config = await invokeHandler(await coldHandler(), configEvent(), 10_000);
    // Assess
    expectFailure(
      config,
      10_000,
      "PutEvaluationsError",
      /^AWS Config PutEvaluations failed: ThrottlingException/,
    );
    expect(count("PutEvaluations")).toBe(3);
  });
});

describe("connections that reset or never answer", () => {
  const cases: FaultCase[] = [
    {
      name: "retries a connection reset on IAM and on Config, then posts once",
      faults: [
        { kind: "reset", service: "iam" },
        { kind: "reset", service: "config" },
      ],
      remainingMs: 6_000,
      outcome: { posts: "COMPLIANT" },
      alsoExpect: () =>
        expect(actions()).toEqual([
          "iam:GetCredentialReport",
          "iam:GetCredentialReport",
          "config:PutEvaluations",
          "config:PutEvaluations",
        ]),
    },
    {
      name: "fails naming the IAM operation when every IAM connection is reset",
      faults: [{ kind: "reset", service: "iam", times: ALWAYS }],
      remainingMs: 6_000,
      outcome: {
        fails: "ReportRetrievalError",
        message: /^IAM GetCredentialReport failed: .*(socket hang up|connection was reset)/,
      },
      alsoExpect: () => expect(count("GetCredentialReport")).toBe(4),
    },
    {
      name: "fails naming PutEvaluations when every Config connection is reset",
      faults: [{ kind: "reset", service: "config", times: ALWAYS }],
      remainingMs: 6_000,
      outcome: {
        fails: "PutEvaluationsError",
        message: /^AWS Config PutEvaluations failed: .*(socket hang up|connection was reset)/,
      },
      alsoExpect: () => expect(count("PutEvaluations")).toBe(3),
    },
    {
      name: "gives up on an IAM server that never answers before the deadline, leaving time to spare",
      faults: [{ kind: "hang", service: "iam", times: ALWAYS }],
      remainingMs: 2_500,
      outcome: {
        fails: "ReportRetrievalError",
        message:
          /^IAM GetCredentialReport failed: .*no answer before the invocation's deadline; nothing was posted/,
      },
      alsoExpect: () => expect(actions()).toEqual(["iam:GetCredentialReport"]),
    },
    {
      name: "gives up on a Config server that never answers before the Lambda's time runs out",
      faults: [{ kind: "hang", service: "config", times: ALWAYS }],
      remainingMs: 2_500,
      outcome: { fails: "PutEvaluationsError", message: /^AWS Config PutEvaluations failed: / },
      alsoExpect: () => expect(actions()).toEqual(["iam:GetCredentialReport", "config:PutEvaluations"]),
    },
  ];
  for (const fault of cases) itRuns(fault);

  it("gives up on an STS server that never answers before the Lambda's time runs out", async () => {
    // Prepare
    const event = memberEvent();
    aws.inject({ kind: "hang", service: "sts", times: ALWAYS });
    // Act
    const run = await collectGarbageDuring(invoke(event, 2_500), 200);
    // Assess
    expectFailure(run, 2_500, "AssumeRoleError", new RegExp(`^Cannot assume \\S+ in account ${MEMBER}: `));
    expect(actions()).toEqual(["sts:AssumeRole"]);
  });

  it("abandons one stalled IAM attempt after the request timeout and retries, so it cannot eat the Lambda", async () => {
    // Prepare: the handler from source with the real SDK over the same wire, its request timeout 1 s instead of
    // the 10 s test/clients.test.ts pins, so the test waits 1 s, not 10.
    const handler = sourceHandler({ settings: { ...CLIENT_SETTINGS, requestTimeoutMs: 1_000 } });
    aws.setReport(neverUsed());
    aws.inject({ kind: "hang", service: "iam", action: "GetCredentialReport" });
    // Act
    const run = await invokeHandler(handler, configEvent(), 6_000);
    // Assess
    expectOnePost(run, 6_000, "COMPLIANT");
    expect(run.elapsedMs).toBeGreaterThanOrEqual(990);
    expect(run.elapsedMs).toBeLessThan(3_000);
    expect(actions()).toEqual([
      "iam:GetCredentialReport",
      "iam:GetCredentialReport",
      "config:PutEvaluations",
    ]);
  });
});

describe("truncated or malformed bodies", () => {
  const xml = (inner: string) =>
    `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult>${inner}</GetCredentialReportResult></GetCredentialReportResponse>`;

  const cases: FaultCase[] = [
    {
      name: "fails, without retrying or posting, on truncated XML from GetCredentialReport",
      faults: [
        { kind: "raw", service: "iam", status: 200, body: xml("<Content>dXNlcixhcm4K").slice(0, 160) },
      ],
      remainingMs: 6_000,
      outcome: {
        fails: "ReportRetrievalError",
        message: /^IAM GetCredentialReport failed: .*XML parse error/,
      },
      alsoExpect: () => expect(actions()).toEqual(["iam:GetCredentialReport"]),
    },
    {
      name: "fails, without posting, on a Content that is not base64",
      faults: [
        {
          kind: "raw",
          service: "iam",
          status: 200,
          body: xml(
            "<Content>@@not base64!!</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-29T10:00:00Z</GeneratedTime>",
          ),
        },
      ],
      remainingMs: 6_000,
      outcome: { fails: "ReportRetrievalError", message: /^IAM GetCredentialReport failed: .*base64/ },
    },
    {
      name: "does not take a well-formed answer without Content for a report: it generates one",
      report: usedYesterday,
      faults: [
        {
          kind: "raw",
          service: "iam",
          action: "GetCredentialReport",
          status: 200,
          body: "<Unexpected><Thing/></Unexpected>",
        },
      ],
      remainingMs: 6_000,
      outcome: { posts: "NON_COMPLIANT" },
      alsoExpect: () =>
        expect(actions()).toEqual([
          "iam:GetCredentialReport",
          "iam:GenerateCredentialReport",
          "iam:GetCredentialReport",
          "config:PutEvaluations",
        ]),
    },
    {
      name: "fails when every GetCredentialReport answer is empty, naming the missing Content",
      faults: [{ kind: "raw", service: "iam", status: 200, body: "", times: ALWAYS }],
      remainingMs: 6_000,
      outcome: {
        fails: "ReportRetrievalError",
        message: /^IAM GetCredentialReport failed: .*no Content or GeneratedTime/,
      },
    },
  ];
  for (const fault of cases) itRuns(fault);

  it("retries, then fails naming the HTTP status, on malformed 5xx bodies (truncated XML, a proxy's HTML page)", async () => {
    // Prepare, Act
    aws.setReport(neverUsed());
    aws.inject({
      kind: "raw",
      service: "iam",
      status: 500,
      body: "<ErrorResponse><Error><Code>Serv",
      times: ALWAYS,
    });
    const truncated = await invoke(configEvent(), 6_000);
    const truncatedCalls = count("GetCredentialReport");
    aws.reset();
    aws.setReport(neverUsed());
    aws.inject({
      kind: "raw",
      service: "iam",
      status: 502,
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      contentType: "text/html",
      times: ALWAYS,
    });
    const html = await invoke(configEvent(), 6_000);
    // Assess
    expectFailure(truncated, 6_000, "ReportRetrievalError", /^IAM GetCredentialReport failed: .*HTTP 500/);
    expect(truncatedCalls).toBe(4);
    expectFailure(html, 6_000, "ReportRetrievalError", /^IAM GetCredentialReport failed: .*HTTP 502/);
    expect(count("GetCredentialReport")).toBe(4);
  });

  it("fails on truncated or non-JSON answers from Config, 200 or 4xx", async () => {
    // Prepare, Act
    const runs: Invocation[] = [];
    for (const [status, body] of [
      [200, '{"FailedEvaluations":['],
      [400, '{"__type":"InvalidResultTok'],
      [200, "<html>maintenance</html>"],
    ] as const) {
      aws.reset();
      aws.setReport(neverUsed());
      aws.inject({ kind: "raw", service: "config", status, body });
      runs.push(await invoke(configEvent(), 6_000));
    }
    // Assess
    for (const run of runs) {
      expectFailure(run, 6_000, "PutEvaluationsError", /^AWS Config PutEvaluations failed: .*JSON/);
    }
  });
});

describe("credential report states", () => {
  const inProgress = (times: number): Fault => ({
    kind: "error",
    service: "iam",
    action: "GetCredentialReport",
    status: 404,
    code: "ReportInProgress",
    times,
  });
  const cases: FaultCase[] = [
    {
      name: "does not generate while another run is generating (ReportInProgress first), and posts once when ready",
      report: usedYesterday,
      faults: [inProgress(3)],
      remainingMs: 8_000,
      outcome: { posts: "NON_COMPLIANT" },
      alsoExpect: () => {
        expect(count("GenerateCredentialReport")).toBe(0);
        expect(count("GetCredentialReport")).toBe(4);
      },
    },
    {
      name: "fails with ReportNotReadyError, without generating, when another run's report stays in progress past the deadline",
      faults: [inProgress(ALWAYS)],
      remainingMs: 3_000,
      outcome: {
        fails: "ReportNotReadyError",
        message: /^The IAM credential report was not ready after \d+ s \(\d+ checks\)/,
      },
      alsoExpect: () => expect(count("GenerateCredentialReport")).toBe(0),
    },
  ];
  for (const fault of cases) itRuns(fault);

  it("generates once after ReportExpired and posts once when the report is ready after several polls", async () => {
    // Prepare
    aws.setReport(neverUsed());
    aws.expireReport();
    const event = configEvent();
    aws.onGenerate(usedYesterday(event), { readyAfterPolls: 2 });
    // Act
    const run = await invoke(event, 12_000);
    // Assess
    expectOnePost(run, 12_000, "NON_COMPLIANT");
    expect(count("GenerateCredentialReport")).toBe(1);
    expect(count("GetCredentialReport")).toBe(4);
    expect(count("PutEvaluations")).toBe(1);
  });
});

describe("Config refuses the evaluation", () => {
  const cases: Array<[string, RegExp]> = [
    ["InvalidResultTokenException", /result token is not valid for this rule and account/],
    ["NoSuchConfigRuleException", /the Config rule no longer exists/],
    ["AccessDeniedException", /the execution role needs config:PutEvaluations/],
    ["InvalidParameterValueException", /Config refused a value of the evaluation/],
  ];
  for (const [code, hint] of cases) {
    itRuns({
      name: `fails at once, without retrying, with a hint for ${code}`,
      faults: [{ kind: "error", service: "config", status: 400, code, times: ALWAYS }],
      remainingMs: 6_000,
      outcome: {
        fails: "PutEvaluationsError",
        message: new RegExp(`^AWS Config PutEvaluations failed: ${code}`),
      },
      alsoExpect: (run) => {
        expect(run.error?.message).toMatch(hint);
        expect(count("PutEvaluations")).toBe(1);
      },
    });
  }
});

describe("PutEvaluations retries never post two different verdicts", () => {
  it("sends the same evaluation, byte for byte, on every retry", async () => {
    // Prepare
    const event = configEvent({ notificationCreationTime: "2026-11-29T10:00:00.373Z" });
    aws.setReport(usedYesterday(event));
    aws.inject({ kind: "reset", service: "config" });
    aws.inject({ kind: "error", service: "config", status: 503, code: "ServiceUnavailable" });
    // Act
    const run = await invoke(event, 10_000);
    // Assess
    expectOnePost(run, 10_000, "NON_COMPLIANT");
    const puts = aws.calls.filter((c) => c.action === "PutEvaluations");
    expect(puts).toHaveLength(3);
    const bodies = new Set(puts.map((c) => JSON.stringify(c.params)));
    expect(bodies.size).toBe(1);
    expect(puts[0]?.params).toMatchObject({
      ResultToken: event.resultToken,
      Evaluations: [
        { ComplianceType: "NON_COMPLIANT", OrderingTimestamp: Date.parse("2026-11-29T10:00:00.373Z") / 1000 },
      ],
    });
  });

  it("when Config answers too late, what it records is the verdict the run earned, with the event's ordering timestamp", async () => {
    // Prepare: Config records the evaluation 2.5 s after the request, after the Lambda's time is up.
    const event = configEvent({ notificationCreationTime: "2026-11-29T10:00:00Z" });
    aws.setReport(usedYesterday(event));
    aws.inject({ kind: "delay", service: "config", ms: 2_500 });
    // Act
    const run = await invoke(event, 2_000);
    // Config records it 2.5 s after the request arrived, whenever that was.
    await vi.waitFor(() => expect(aws.evaluations).toHaveLength(1), { timeout: 5_000, interval: 50 });
    // Assess
    expect(run.error?.name).toBe("PutEvaluationsError");
    expect(run.elapsedMs).toBeLessThan(2_000);
    expect(count("PutEvaluations")).toBe(1);
    expect(aws.evaluations[0]?.evaluations).toEqual([
      expect.objectContaining({
        ComplianceType: "NON_COMPLIANT",
        OrderingTimestamp: Date.parse("2026-11-29T10:00:00Z") / 1000,
      }),
    ]);
  });
});
