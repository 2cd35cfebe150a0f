/**
 * Every number of the spec, written here as a literal and never read back from the code: a wrong constant in
 * rule/ fails one of these tests. 256 characters of annotation; a report 4 h (14 400 000 ms) old; a 30-day default
 * window; lookbackDays 1–3650; 64 KiB rows; 90 days of CloudTrail event history. Each boundary is pinned to the
 * millisecond (or the character, the byte, the day) on both sides.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { clip } from "../rule/annotation.ts";
import { fetchCredentialReport } from "../rule/credential-report/fetch.ts";
import { findRootRow, findRootRowByBytes } from "../rule/credential-report/root-row.ts";
import { InvalidParameterError } from "../rule/errors.ts";
import { evaluate } from "../rule/evaluate.ts";
import { parseRuleParameters } from "../rule/params.ts";
import { rootApiCall, trail } from "./support/cloudtrail.ts";
import { DAY, NOW, params } from "./support/evaluation.ts";
import { buildReport, iamDate, PADDED_COLUMNS, rootRow } from "./support/report-builder.ts";

const never = buildReport({ rows: [rootRow()] });
const usedAt = (at: Date) => buildReport({ rows: [rootRow({ password_last_used: at.toISOString() })] });

describe("256: Config's limit on an annotation", () => {
  it("clip() leaves 256 characters alone and cuts 257 to exactly 256, ending in …", () => {
    // Act
    const kept = clip("a".repeat(256));
    const cut = clip("a".repeat(257));
    // Assess
    expect(kept).toBe("a".repeat(256));
    expect(cut).toBe(`${"a".repeat(255)}…`);
    expect(cut).toHaveLength(256);
  });

  it("clip() of any longer text is exactly 256 characters", () => {
    for (const length of [258, 300, 1_000, 100_000]) {
      expect(clip("b".repeat(length))).toHaveLength(256);
    }
  });

  it("evaluate() cuts an annotation that overflows to exactly 256 characters, or 255 to keep an emoji whole", () => {
    // Prepare: event names of emoji (two UTF-16 code units each) after "Root user called iam:" (21 characters),
    // shifted by one character so that the 256th code unit is once the second half of an emoji, once the first.
    const annotationFor = (eventName: string) =>
      evaluate(
        {
          report: { content: never, generatedTime: NOW },
          cloudTrail: trail([rootApiCall({ time: new Date(NOW.getTime() - DAY), eventName })], {
            since: new Date(NOW.getTime() - 30 * DAY),
          }),
        },
        NOW,
        params(),
      ).annotation;
    // Act
    const even = annotationFor("😀".repeat(200));
    const odd = annotationFor(`x${"😀".repeat(200)}`);
    // Assess
    expect(even).toBe(`Root user called iam:${"😀".repeat(117)}…`);
    expect(even).toHaveLength(256);
    expect(odd).toBe(`Root user called iam:x${"😀".repeat(116)}…`);
    expect(odd).toHaveLength(255);
  });
});

describe("4 h (14 400 000 ms): the age at which a credential report stops vouching for the present", () => {
  const at = (ageMs: number) => ({
    report: { content: never, generatedTime: new Date(NOW.getTime() - ageMs) },
    cloudTrail: null,
  });

  it("evaluate() takes a report 14 400 000 ms old and refuses one 14 400 001 ms old", () => {
    // Act
    const exactly = evaluate(at(14_400_000), NOW, params());
    const over = evaluate(at(14_400_001), NOW, params());
    // Assess
    expect(exactly.complianceType).toBe("COMPLIANT");
    expect(over.complianceType).toBe("NON_COMPLIANT");
    expect(over.reason).toBe("stale-report");
    expect(over.annotation).toMatch(/^Cannot verify root user activity: the report was generated /);
  });

  it("fetchCredentialReport() uses a report 14 399 999 ms old as is and regenerates one 14 400 000 ms old", async () => {
    // Prepare
    const iamMock = mockClient(IAMClient);
    const iam = new IAMClient({
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    const t0 = NOW.getTime();
    const report = (generatedAt: number) => ({
      $metadata: { attempts: 1 },
      Content: new TextEncoder().encode(never),
      ReportFormat: "text/csv" as const,
      GeneratedTime: new Date(generatedAt),
    });
    const options = { deadline: t0 + 60_000, clock: () => t0, sleep: async () => {} };
    try {
      iamMock.on(GetCredentialReportCommand).resolves(report(t0 - 14_399_999));
      // Act
      const young = await fetchCredentialReport(iam, options);
      iamMock.reset();
      iamMock
        .on(GetCredentialReportCommand)
        .resolvesOnce(report(t0 - 14_400_000))
        .resolves(report(t0));
      iamMock.on(GenerateCredentialReportCommand).resolves({ $metadata: { attempts: 1 }, State: "COMPLETE" });
      const old = await fetchCredentialReport(iam, options);
      // Assess
      expect(young.generated).toBe(false);
      expect(young.calls.GenerateCredentialReport).toBe(0);
      expect(old.generated).toBe(true);
      expect(old.calls.GenerateCredentialReport).toBe(1);
    } finally {
      iamMock.restore();
    }
  });
});

describe("30 days: the default window", () => {
  it("is NON_COMPLIANT for a use 30 days − 1 ms before the evaluation time, COMPLIANT for one exactly 30 days before", () => {
    // Act
    const inside = evaluate(
      usedAt(new Date(NOW.getTime() - 30 * DAY + 1)),
      NOW,
      parseRuleParameters(undefined),
    );
    const edge = evaluate(usedAt(new Date(NOW.getTime() - 30 * DAY)), NOW, parseRuleParameters(undefined));
    const outside = evaluate(
      usedAt(new Date(NOW.getTime() - 30 * DAY - 1)),
      NOW,
      parseRuleParameters(undefined),
    );
    // Assess
    expect(inside.reason).toBe("used-in-window");
    expect(edge.reason).toBe("not-used-in-window");
    expect(outside.reason).toBe("not-used-in-window");
  });

  it("is the window named in the annotation of a rule with no parameters", () => {
    // Act
    const verdict = evaluate(never, NOW, parseRuleParameters(undefined));
    // Assess
    expect(verdict.annotation).toMatch(/^Root user not used in the last 30 days /);
  });
});

describe("lookbackDays: a whole number from 1 to 3650", () => {
  it("accepts 1 and 3650", () => {
    expect(parseRuleParameters('{"lookbackDays":"1"}').lookbackDays).toBe(1);
    expect(parseRuleParameters('{"lookbackDays":"3650"}').lookbackDays).toBe(3650);
    expect(parseRuleParameters({ lookbackDays: 3650 }).lookbackDays).toBe(3650);
  });

  it("refuses 0 and 3651, naming the range in the message", () => {
    for (const value of ["0", "3651"]) {
      expect(() => parseRuleParameters(JSON.stringify({ lookbackDays: value }))).toThrow(
        InvalidParameterError,
      );
      expect(() => parseRuleParameters(JSON.stringify({ lookbackDays: value }))).toThrow(
        /a whole number from 1 to 3650 \(default 30\)/,
      );
    }
  });

  it("evaluate() takes 1 and 3650 from a caller that builds its parameters by hand, and throws for 0 and 3651", () => {
    // Act, Assess
    expect(evaluate(never, NOW, params({ lookbackDays: 1 })).complianceType).toBe("COMPLIANT");
    expect(evaluate(never, NOW, params({ lookbackDays: 3650 })).complianceType).toBe("COMPLIANT");
    expect(() => evaluate(never, NOW, params({ lookbackDays: 0 }))).toThrow(
      "evaluate: lookbackDays 0 is not a whole number from 1 to 3650",
    );
    expect(() => evaluate(never, NOW, params({ lookbackDays: 3651 }))).toThrow(
      "evaluate: lookbackDays 3651 is not a whole number from 1 to 3650",
    );
  });

  it("counts a use 3650 days − 1 ms before with lookbackDays 3650, and one 1 day − 1 ms before with lookbackDays 1", () => {
    // Act
    const decade = evaluate(
      usedAt(new Date(NOW.getTime() - 3650 * DAY + 1)),
      NOW,
      params({ lookbackDays: 3650 }),
    );
    const day = evaluate(usedAt(new Date(NOW.getTime() - DAY + 1)), NOW, params({ lookbackDays: 1 }));
    const dayAgo = evaluate(usedAt(new Date(NOW.getTime() - DAY)), NOW, params({ lookbackDays: 1 }));
    // Assess
    expect(decade.reason).toBe("used-in-window");
    expect(day.reason).toBe("used-in-window");
    expect(dayAgo.reason).toBe("not-used-in-window");
  });
});

describe("64 KiB: the largest row of a credential report", () => {
  /** A report whose root row is exactly `bytes` bytes long, line end excluded. */
  const rootRowOf = (bytes: number) => {
    const bare = buildReport({ columns: PADDED_COLUMNS, rows: [rootRow({ padding: "" })] }).split(
      "\n",
    )[1] as string;
    return buildReport({
      columns: PADDED_COLUMNS,
      rows: [rootRow({ padding: "p".repeat(bytes - bare.length) })],
    });
  };

  it("the byte search takes a root row of 65 536 bytes and leaves one of 65 537 bytes to the parser", () => {
    // Act
    const fits = findRootRowByBytes(rootRowOf(65_536));
    const over = findRootRowByBytes(rootRowOf(65_537));
    // Assess
    expect(fits?.ok).toBe(true);
    expect(over).toBeUndefined();
  });

  it("says Cannot verify, naming 64 KiB, for a root row well over 64 KiB", () => {
    // Act
    const found = findRootRow(rootRowOf(65_536 + 64));
    const verdict = evaluate(rootRowOf(65_536 + 64), NOW, params());
    // Assess
    expect(found).toEqual({
      ok: false,
      reason: "the report is not valid CSV (a row is larger than 64 KiB, line 2)",
    });
    expect(verdict.annotation).toBe(
      "Cannot verify root user activity: the report is not valid CSV (a row is larger than 64 KiB, line 2).",
    );
  });
});

describe("90 days: what CloudTrail event history keeps", () => {
  const evidence = (lookbackDays: number, since: Date) => ({
    report: { content: never, generatedTime: NOW },
    cloudTrail: trail([rootApiCall({ time: new Date(NOW.getTime() - 10 * DAY) })], { since }),
    lookbackDays,
  });

  it("covers 90 of a 120-day window, says so, and needs the search to start only 90 days back", () => {
    // Prepare
    const { report, cloudTrail } = evidence(120, new Date(NOW.getTime() - 90 * DAY));
    // Act
    const verdict = evaluate(
      { report, cloudTrail: { ...cloudTrail, events: [] } },
      NOW,
      params({ lookbackDays: 120 }),
    );
    // Assess
    expect(verdict.cloudTrail).toMatchObject({ status: "read", coveredDays: 90 });
    expect(verdict.annotation).toBe(
      "Root user not used in the last 120 days (credential report and CloudTrail, 2 regions, last 90 days). " +
        "No root use recorded.",
    );
  });

  it("refuses a search that starts 90 days − 1 ms back for a window of more than 90 days", () => {
    // Prepare
    const { report, cloudTrail } = evidence(120, new Date(NOW.getTime() - 90 * DAY + 1));
    // Act, Assess
    expect(() => evaluate({ report, cloudTrail }, NOW, params({ lookbackDays: 120 }))).toThrow(
      "evaluate: the CloudTrail evidence starts after the start of the window",
    );
  });

  it("covers a 90-day window whole: no coverage note", () => {
    // Prepare
    const { report, cloudTrail } = evidence(90, new Date(NOW.getTime() - 90 * DAY));
    // Act
    const verdict = evaluate({ report, cloudTrail }, NOW, params({ lookbackDays: 90 }));
    // Assess
    expect(verdict.cloudTrail).toMatchObject({ status: "read", coveredDays: 90 });
    expect(verdict.annotation).not.toContain("CloudTrail covers");
    expect(iamDate(NOW)).toBe("2026-11-29T12:00:00+00:00");
  });
});
