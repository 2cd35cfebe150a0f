/**
 * Regressions found by the property and hostile-input tests, each kept as the test that found it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../rule/evaluate.ts";
import { parseTimestamp } from "../rule/timestamp.ts";
import {
  DATE_COLUMNS,
  DAY_MS,
  dateCell,
  instantBetween,
  otherUsers,
  renderReport,
  reportShape,
} from "./support/arbitraries.ts";
import { NOW, params } from "./support/evaluation.ts";
import { rootRow } from "./support/report-builder.ts";

const REQUIRED =
  "user,arn,password_last_used,access_key_1_active,access_key_1_last_used_date,access_key_2_active,access_key_2_last_used_date";

describe("regression: UTF-16 reports", () => {
  it("says Cannot verify for a UTF-16LE report, so a second root row cannot hide", () => {
    // Prepare
    const csv =
      `${REQUIRED}\n` +
      "<root_account>,arn:aws:iam::111122223333:root,N/A,false,N/A,false,N/A\n" +
      "<root_account>,arn:aws:iam::111122223333:root,2026-11-28T00:00:00+00:00,false,N/A,false,N/A\n";
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, "utf16le")]);
    // Act
    const verdict = evaluate(utf16, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.reason).toBe("cannot-verify");
    expect(verdict.annotation).toBe(
      "Cannot verify root user activity: the report is UTF-16 text; IAM writes credential reports in UTF-8.",
    );
  });
});

describe("regression: a report cut off inside the root row", () => {
  it("says Cannot verify when the cut leaves the root row's last field empty (a date column last)", () => {
    // Prepare
    const header =
      "user,arn,access_key_1_active,access_key_1_last_used_date,access_key_2_active,access_key_2_last_used_date,password_last_used";
    const full = `${header}\n<root_account>,arn:aws:iam::111122223333:root,false,N/A,false,N/A,2026-11-28T00:00:00+00:00\n`;
    const cut = full.slice(0, full.lastIndexOf(",") + 1);
    // Act
    const original = evaluate(full, NOW, params());
    const truncated = evaluate(cut, NOW, params());
    // Assess
    expect(original.complianceType).toBe("NON_COMPLIANT");
    expect(truncated.complianceType).toBe("NON_COMPLIANT");
  });

  it("property: no truncation of a NON_COMPLIANT report, in any column order, is COMPLIANT", () => {
    // Cuts biased to the root row, the last row; shapes with any column order.
    const scenario = fc
      .record({
        // Any order whose last column is a date column: the case the committed tests leave out.
        shape: reportShape().filter(
          (s) =>
            s.extras.length === 0 && (DATE_COLUMNS as readonly string[]).includes(s.columns.at(-1) as string),
        ),
        users: otherUsers([], 3),
        cell: dateCell(instantBetween(NOW.getTime() - 10 * DAY_MS, NOW.getTime())),
        at: fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000),
      })
      .map(({ shape, users, cell, at }) => {
        const rows = [...users, rootRow({ [shape.columns.at(-1) as string]: cell.text })];
        const report = Buffer.from(renderReport(shape, rows));
        const rootStart = Buffer.byteLength(renderReport(shape, users));
        const length = rootStart + Math.floor(at * (report.length - rootStart + 1));
        return { report, cut: report.subarray(0, length) };
      });
    fc.assert(
      fc.property(scenario, ({ report, cut }) => {
        fc.pre(evaluate(report, NOW, params()).complianceType === "NON_COMPLIANT");
        expect(evaluate(cut, NOW, params()).complianceType).toBe("NON_COMPLIANT");
      }),
      { numRuns: 300 },
    );
  });
});

describe("regression: sub-millisecond digits round up", () => {
  it("is NON_COMPLIANT for a use 30 days minus 0.5 ms before now", () => {
    // Prepare: now − lastUse = 30 days − 0.5 ms < 30 × 86 400 s.
    const csv = `${REQUIRED}\n<root_account>,arn:aws:iam::111122223333:root,2026-10-30T12:00:00.0005Z,false,N/A,false,N/A\n`;
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
  });
});

describe("regression: offsets are bounded by ±18:00", () => {
  it("rejects +18:30", () => {
    expect(parseTimestamp("2026-10-30T12:00:00+18:30")).toBeUndefined();
    expect(parseTimestamp("2026-10-30T12:00:00-18:59")).toBeUndefined();
  });
});

describe("regression: evaluate() refuses a window it cannot apply", () => {
  it("throws RangeError for lookbackDays NaN, 0 or a fraction instead of saying COMPLIANT", () => {
    for (const lookbackDays of [Number.NaN, 0, 1.5, 3651]) {
      expect(() => evaluate("", NOW, params({ lookbackDays }))).toThrow(RangeError);
    }
  });
});
