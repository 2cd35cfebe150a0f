/**
 * Report retrieval logic (rule/credential-report/fetch.ts) with a mocked IAM client and a fake clock: the call
 * sequence, the back-off and the deadline, without waiting for real time. The same paths run over the wire in
 * handler.wire.test.ts.
 */
import {
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, delayFor } from "../rule/credential-report/backoff.ts";
import { fetchCredentialReport } from "../rule/credential-report/fetch.ts";
import { ReportNotReadyError } from "../rule/errors.ts";

const iamMock = mockClient(IAMClient);
const iam = new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const T0 = Date.parse("2026-11-29T12:00:00Z");
/** IAM's 4 hours, as the spec says them: never read back from the code. */
const FOUR_HOURS_MS = 14_400_000;
const meta = { $metadata: { attempts: 1 } };
const notPresent = () => new CredentialReportNotPresentException({ message: "none", $metadata: {} });
const notReady = () => new CredentialReportNotReadyException({ message: "busy", $metadata: {} });
const report = (generatedAt: number) => ({
  ...meta,
  Content: new TextEncoder().encode("csv"),
  ReportFormat: "text/csv" as const,
  GeneratedTime: new Date(generatedAt),
});

/** A fake clock that sleeping advances. */
function fakeTime() {
  let now = T0;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

beforeEach(() => iamMock.reset());

describe("fetchCredentialReport", () => {
  it("makes one call when a report 4 h − 1 ms old exists", async () => {
    // Prepare
    const time = fakeTime();
    iamMock.on(GetCredentialReportCommand).resolves(report(T0 - FOUR_HOURS_MS + 1));
    // Act
    const result = await fetchCredentialReport(iam, { deadline: T0 + 60_000, ...time });
    // Assess
    expect(result.calls).toEqual({ GetCredentialReport: 1, GenerateCredentialReport: 0, retries: 0 });
    expect(result.generated).toBe(false);
    expect(time.sleeps).toEqual([]);
  });

  it("regenerates a report exactly 4 h (14 400 000 ms) old", async () => {
    // Prepare
    const time = fakeTime();
    iamMock
      .on(GetCredentialReportCommand)
      .resolvesOnce(report(T0 - FOUR_HOURS_MS))
      .resolves(report(T0));
    iamMock.on(GenerateCredentialReportCommand).resolves({ ...meta, State: "STARTED" });
    // Act
    const result = await fetchCredentialReport(iam, { deadline: T0 + 60_000, ...time });
    // Assess
    expect(result.generated).toBe(true);
    expect(result.calls.GenerateCredentialReport).toBe(1);
  });

  it("does not ask for a new report while IAM is already generating one", async () => {
    // Prepare
    const time = fakeTime();
    iamMock.on(GetCredentialReportCommand).rejectsOnce(notReady()).resolves(report(T0));
    // Act
    const result = await fetchCredentialReport(iam, { deadline: T0 + 60_000, ...time });
    // Assess
    expect(result.calls).toMatchObject({ GetCredentialReport: 2, GenerateCredentialReport: 0 });
    expect(time.sleeps).toHaveLength(1);
  });

  it("fetches at once, without sleeping, when GenerateCredentialReport answers COMPLETE", async () => {
    // Prepare
    const time = fakeTime();
    iamMock.on(GetCredentialReportCommand).rejectsOnce(notPresent()).resolves(report(T0));
    iamMock.on(GenerateCredentialReportCommand).resolves({ ...meta, State: "COMPLETE" });
    // Act
    await fetchCredentialReport(iam, { deadline: T0 + 60_000, ...time });
    // Assess
    expect(time.sleeps).toEqual([]);
  });

  it("polls with capped exponential back-off and stops before the deadline with ReportNotReadyError", async () => {
    // Prepare
    const time = fakeTime();
    iamMock.on(GetCredentialReportCommand).rejectsOnce(notPresent()).rejects(notReady());
    iamMock.on(GenerateCredentialReportCommand).resolves({ ...meta, State: "STARTED" });
    const deadline = T0 + 30_000;
    // Act
    const error = await fetchCredentialReport(iam, { deadline, ...time, random: () => 1 }).catch((e) => e);
    // Assess
    expect(error).toBeInstanceOf(ReportNotReadyError);
    expect(time.sleeps.slice(0, 6)).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect(time.clock()).toBeLessThan(deadline);
    expect(error.polls).toBe(time.sleeps.length);
    // What the error (and the log's reportWaitMs) says it waited is what it slept.
    expect(error.waitedMs).toBe(time.sleeps.reduce((sum: number, ms: number) => sum + ms, 0));
  });

  it("asks again when the report disappears after a generate", async () => {
    // Prepare
    const time = fakeTime();
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(notPresent())
      .rejectsOnce(notPresent())
      .resolves(report(T0));
    iamMock.on(GenerateCredentialReportCommand).resolves({ ...meta, State: "STARTED" });
    // Act
    const result = await fetchCredentialReport(iam, { deadline: T0 + 60_000, ...time });
    // Assess
    expect(result.calls).toMatchObject({ GetCredentialReport: 3, GenerateCredentialReport: 2 });
  });
});

describe("fetchCredentialReport: the generate-and-poll loop", () => {
  const absent = () => new CredentialReportNotPresentException({ message: "none", $metadata: {} });

  it("generates once, waits before each poll, and keeps polling (not generating) while IAM says in progress", async () => {
    // Prepare
    const time = fakeTime();
    iamMock.on(GetCredentialReportCommand).rejectsOnce(absent()).rejectsOnce(notReady()).resolves(report(T0));
    iamMock.on(GenerateCredentialReportCommand).resolves({ ...meta, State: "STARTED" });
    // Act
    const result = await fetchCredentialReport(iam, { deadline: T0 + 60_000, random: () => 1, ...time });
    // Assess
    expect(result.calls).toEqual({ GetCredentialReport: 3, GenerateCredentialReport: 1, retries: 0 });
    expect(time.sleeps).toEqual([250, 500]);
  });

  it("polls at once after the first COMPLETE, but backs off after a second COMPLETE that gave no report", async () => {
    // Prepare
    const time = fakeTime();
    iamMock.on(GetCredentialReportCommand).rejectsOnce(absent()).rejectsOnce(absent()).resolves(report(T0));
    iamMock.on(GenerateCredentialReportCommand).resolves({ ...meta, State: "COMPLETE" });
    // Act
    const result = await fetchCredentialReport(iam, { deadline: T0 + 60_000, random: () => 1, ...time });
    // Assess
    expect(result.calls).toEqual({ GetCredentialReport: 3, GenerateCredentialReport: 2, retries: 0 });
    expect(time.sleeps).toEqual([250]);
  });
});

describe("delayFor", () => {
  it("always waits at least half of min(cap, base·2^attempt) and never more than it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 9_999 }).map((n) => n / 10_000),
        (attempt, r) => {
          const ceiling = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** attempt);
          const delay = delayFor(attempt, DEFAULT_BACKOFF, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });
});
