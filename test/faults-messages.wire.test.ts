/**
 * Fault messages a user can act on, and the faults that once made the retrieval loop spin: each test was written
 * against a failure seen in fault injection, and pins the fixed behaviour.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_SETTINGS } from "../rule/aws/settings.ts";
import { parseRuleEvent } from "../rule/event.ts";
import { runCli, useTempFiles } from "./support/cli.ts";
import { collectGarbageDuring } from "./support/gc.ts";
import { buildReport, rootRow, userRow } from "./support/report-builder.ts";
import { sourceHandler } from "./support/source-handler.ts";
import { callsOf, configEvent, invoke as invokeHandler, MEMBER, useWire } from "./support/wire.ts";

const { aws, invoke } = useWire();
const { count } = callsOf(aws);

const report = () => buildReport({ rows: [rootRow(), userRow("alice")] });

describe("P1 credential-report.ts: no busy loop when IAM says COMPLETE but the report stays absent or expired", () => {
  for (const code of ["ReportExpired", "ReportNotPresent"]) {
    it(`backs off between generations (${code} on every GetCredentialReport)`, async () => {
      aws.setReport(report());
      aws.inject({
        kind: "error",
        service: "iam",
        action: "GetCredentialReport",
        status: 410,
        code,
        times: Infinity,
      });
      const run = await invoke(configEvent(), 3_000);
      expect(run.error?.name).toBe("ReportNotReadyError");
      expect(count("GetCredentialReport") + count("GenerateCredentialReport")).toBeLessThan(20);
      expect(aws.evaluations).toHaveLength(0);
    });
  }
});

describe("P2 credential-report.ts: a deadline already past is not wrapped twice", () => {
  it("throws ReportNotReadyError, not ReportRetrievalError around it", async () => {
    aws.setReport(report());
    const run = await invoke(configEvent(), 0);
    expect(run.error?.name).toBe("ReportNotReadyError");
    expect(run.error?.message.match(/nothing was posted/g)).toHaveLength(1);
  });
});

describe("P3 put-evaluation.ts, sts.ts: a deadline abort says so", () => {
  it("PutEvaluations", async () => {
    aws.setReport(report());
    aws.inject({ kind: "hang", service: "config" });
    const run = await collectGarbageDuring(invoke(configEvent(), 2_500), 200);
    expect(run.error?.message).toMatch(/no answer .*before the invocation's deadline/);
    expect(run.error?.message).not.toMatch(/AbortError: Request aborted/);
  });

  it("AssumeRole", async () => {
    aws.addRole(`arn:aws:iam::${MEMBER}:role/p3`);
    aws.inject({ kind: "hang", service: "sts" });
    const run = await collectGarbageDuring(
      invoke(configEvent({ accountId: MEMBER, ruleParameters: '{"executionRoleName":"p3"}' }), 2_500),
      200,
    );
    expect(run.error?.message).toMatch(/no answer before the invocation's deadline/);
  });
});

describe("P4 handler.ts, put-evaluation.ts: a PutEvaluations without an answer does not claim 'nothing posted'", () => {
  it("says Config may have recorded the evaluation", async () => {
    aws.setReport(report());
    aws.inject({ kind: "delay", service: "config", ms: 2_500 });
    const run = await invoke(configEvent(), 2_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(aws.evaluations).toHaveLength(1); // Config did record it
    expect(run.error?.message).toMatch(/may have recorded/);
    expect(run.logs.some((l) => l.message === "evaluation failed, nothing posted")).toBe(false);
  });
});

describe("P5 sts.ts: STS gets the same socket timeouts as IAM and Config", () => {
  it("abandons one stalled AssumeRole after the request timeout and retries", async () => {
    // Prepare: the handler from source, STS's request timeout 1 s instead of the 10 s test/clients.test.ts pins
    const handler = sourceHandler({ settings: { ...CLIENT_SETTINGS, requestTimeoutMs: 1_000 } });
    aws.addRole(`arn:aws:iam::${MEMBER}:role/p5`);
    aws.setReport(buildReport({ rows: [rootRow({}, MEMBER)] }), { accountId: MEMBER });
    aws.inject({ kind: "hang", service: "sts" });
    // Act
    const run = await invokeHandler(
      handler,
      configEvent({ accountId: MEMBER, ruleParameters: '{"executionRoleName":"p5"}' }),
      6_000,
    );
    // Assess
    expect(run.error).toBeUndefined();
    expect(run.elapsedMs).toBeGreaterThanOrEqual(990);
    expect(run.elapsedMs).toBeLessThan(3_000);
    expect(count("AssumeRole")).toBe(2);
  });
});

describe("P6/P7 errors.ts errorSummary: resets and unreadable answers in plain words, on one line", () => {
  it("a connection reset says so", async () => {
    aws.setReport(report());
    aws.inject({ kind: "reset", service: "iam", times: Infinity });
    const run = await invoke(configEvent(), 6_000);
    expect(run.error?.message).toBe(
      "IAM GetCredentialReport failed: the connection was reset before an answer (ECONNRESET); nothing was " +
        "posted. Config retries the invocation.",
    );
    expect(run.error?.message).not.toMatch(/TimeoutError/);
  });

  for (const [service, status, body] of [
    ["iam", 200, "<GetCredentialReportResponse><GetCredentialReportResult><Content>abc"],
    ["config", 200, '{"FailedEvaluations":['],
    ["config", 400, "<html>maintenance</html>"],
  ] as const) {
    it(`a malformed ${service} answer (HTTP ${status}) is one line without SDK internals`, async () => {
      aws.setReport(report());
      aws.inject({ kind: "raw", service, status, body, times: Infinity });
      const run = await invoke(configEvent(), 6_000);
      expect(run.error?.message.split("\n")).toHaveLength(1);
      expect(run.error?.message).toMatch(/unreadable answer \(HTTP \d+\)/);
      expect(run.error?.message).not.toMatch(/\$response|Deserialization error|\.\.$/);
    });
  }
});

describe("P8 event.ts: type words", () => {
  const base = () => configEvent();
  it("says 'an object' / 'an array', and the type of a non-string messageType or time", () => {
    const message = (raw: unknown) => {
      try {
        parseRuleEvent(raw);
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    };
    expect(message({ ...base(), resultToken: {} })).toMatch(/resultToken is an object, not a string/);
    expect(message({ ...base(), configRuleArn: [] })).toMatch(/configRuleArn is an array, not a string/);
    const invoking = (o: Record<string, unknown>) => ({
      ...base(),
      invokingEvent: JSON.stringify({ ...JSON.parse(base().invokingEvent as string), ...o }),
    });
    expect(message(invoking({ messageType: 1 }))).toMatch(/messageType is a number, not a string/);
    expect(message(invoking({ notificationCreationTime: 1 }))).toMatch(
      /notificationCreationTime is a number/,
    );
  });
});

describe("P9 cli/read-report.ts, cli/args.ts: plain words for more file errors; short unknown-option message", () => {
  const temp = useTempFiles("p9-");
  const { dir } = temp;
  const file = temp.file("r.csv", "x");
  const run = async (...args: string[]) => (await runCli(args)).stderr;
  it("ENOTDIR, ENAMETOOLONG", async () => {
    expect(await run("evaluate", "--report", `${file}/x`)).toMatch(/not a directory/);
    const long = await run("evaluate", "--report", join(dir, "a".repeat(5_000)));
    expect(long).toMatch(/too long/);
    expect(long.length).toBeLessThan(300);
  });
  it("unknown option", async () => {
    expect((await run("evaluate", "-x")).trim()).toBe('root-activity: unknown option "-x" (see --help)');
  });
});
