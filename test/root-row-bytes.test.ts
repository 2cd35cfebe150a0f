/**
 * The byte search for the root row (rule/credential-report/root-row.ts): it is taken for every layout the rule accepts, it
 * finds the row the CSV parser finds, and on damaged input it either gives up (the parser then decides) or agrees
 * with the parser. A `<root_account>` inside a quoted field, even a whole fake root row spread over the lines of
 * one, is never taken for the root row.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findRootRow, findRootRowByBytes, findRootRowByParsing } from "../rule/credential-report/root-row.ts";
import {
  extraValue,
  insertAt,
  otherUsers,
  type ReportShape,
  renderReport,
  reportShape,
  rootUserText,
} from "./support/arbitraries.ts";
import { buildReport, type Row, reportWithUsers, rootRow, userRow } from "./support/report-builder.ts";

const USED = "2026-11-27T08:00:00+00:00";
const fakeRootLine = (password: string) =>
  buildReport({ rows: [rootRow({ password_last_used: password })] }).split("\n")[1] as string;

/** A valid report in any layout: other users around one root row at any position. */
const validReport = reportShape().chain((shape: ReportShape) =>
  fc
    .record({
      users: otherUsers(shape.extras, 30),
      user: rootUserText,
      position: fc.nat(),
      used: fc.boolean(),
    })
    .map(({ users, user, position, used }) => {
      const root: Row = {
        ...rootRow({ user, ...(used ? { password_last_used: USED } : {}) }),
        ...Object.fromEntries(shape.extras.map((column) => [column, "x"])),
      };
      return renderReport(shape, insertAt(users, position % (users.length + 1), root));
    }),
);

describe("the byte search finds the root row the CSV parser finds", () => {
  it("is taken for every accepted layout (any column order, BOM, CRLF, quoting, line breaks in quoted fields) and agrees with the parser", () => {
    fc.assert(
      fc.property(validReport, (report) => {
        // Act
        const byBytes = findRootRowByBytes(report);
        const byParsing = findRootRowByParsing(report);
        // Assess
        expect(byParsing.ok).toBe(true);
        expect(byBytes).toEqual(byParsing);
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with the parser or gives up, on reports with a byte changed, a quote inserted or cut short", () => {
    const damaged = fc
      .tuple(
        validReport,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom("flip", "quote", "cut"),
        fc.integer({ min: 1, max: 255 }),
      )
      .map(([report, at, how, xor]) => {
        const bytes = Buffer.from(report);
        const position = Math.floor((at / 1_000_000) * bytes.length);
        if (how === "cut") return bytes.subarray(0, position);
        if (how === "quote") {
          return Buffer.concat([bytes.subarray(0, position), Buffer.from('"'), bytes.subarray(position)]);
        }
        const flipped = Buffer.from(bytes);
        if (position < flipped.length) flipped[position] = (flipped[position] as number) ^ xor;
        return flipped;
      });
    fc.assert(
      fc.property(damaged, (bytes) => {
        // Act
        const byBytes = findRootRowByBytes(bytes);
        const byParsing = findRootRowByParsing(bytes);
        // Assess: a row the byte search vouches for is the parser's, unless the parser refuses the report.
        if (byBytes === undefined || !byParsing.ok) return;
        expect(byBytes).toEqual(byParsing);
      }),
      { numRuns: 500 },
    );
  });

  it("reads the root row of a 5 000-user report by bytes, first or last", () => {
    // Prepare
    const reports = [reportWithUsers(5_000, "first"), reportWithUsers(5_000, "last")];
    // Act
    const results = reports.map((report) => findRootRowByBytes(report));
    // Assess
    for (const result of results) expect(result).toMatchObject({ ok: true, row: { user: "<root_account>" } });
  });
});

describe("property: the byte search and the CSV parser agree on arbitrary reports", () => {
  /**
   * Other users (any names, dates, extra values with quotes and line breaks) around a root row, any layout, with or
   * without a final line end. The root row's extra values are never empty: an unterminated last row ending in an
   * empty field is refused on purpose (test/regressions.test.ts).
   */
  const arbitraryReport = reportShape().chain((shape) =>
    fc
      .record({
        users: otherUsers(shape.extras, 40),
        position: fc.nat(),
        user: rootUserText,
        extraValues: fc.array(
          extraValue.filter((value) => value !== ""),
          {
            minLength: shape.extras.length,
            maxLength: shape.extras.length,
          },
        ),
        fake: fc.option(fc.nat(), { nil: undefined }),
        finalLineEnd: fc.boolean(),
      })
      .map(({ users, position, user, extraValues, fake, finalLineEnd }) => {
        const root: Row = {
          ...rootRow({ user }),
          ...Object.fromEntries(shape.extras.map((column, i) => [column, extraValues[i] ?? ""])),
        };
        // Maybe one other user whose quoted password_last_changed holds a whole fake root row on lines of its own.
        const others =
          fake === undefined || users.length === 0
            ? users
            : users.map((row, i) =>
                i === fake % users.length
                  ? {
                      ...row,
                      password_last_changed: `${shape.lineEnd}${fakeRootLine("N/A")}${shape.lineEnd}`,
                    }
                  : row,
              );
        const text = renderReport(shape, insertAt(others, position % (others.length + 1), root));
        return finalLineEnd ? text : text.slice(0, text.length - shape.lineEnd.length);
      }),
  );

  it("finds the parser's root row, by bytes, in every one", () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        // Act
        const byBytes = findRootRowByBytes(report);
        const byParsing = findRootRowByParsing(report);
        // Assess
        expect(byParsing).toMatchObject({
          ok: true,
          row: { user: expect.stringContaining("<root_account>") },
        });
        expect(byBytes).toEqual(byParsing);
        expect(findRootRow(report)).toEqual(byParsing);
      }),
      { numRuns: 200 },
    );
  });
});

describe("a <root_account> inside a quoted field is not the root row", () => {
  const real = rootRow({ access_key_1_last_used_date: USED });
  const cases: Array<[string, Row[]]> = [
    ["in another user's name, before the real root row", [userRow("x,<root_account>"), real]],
    ["in another user's name, after the real root row", [real, userRow("<root_account>,x")]],
    [
      "as a whole fake root row (never used) on the lines of another user's quoted field, before the real one",
      [userRow("a", { password_last_changed: `\n${fakeRootLine("N/A")}\n` }), userRow("b"), real],
    ],
    [
      "as a whole fake root row on the lines of another user's quoted field, after the real one",
      [real, userRow("a", { cert_2_last_rotated: `\r\n${fakeRootLine("no_information")}\r\n` })],
    ],
  ];
  for (const [name, rows] of cases) {
    it(`gives the real root row for one ${name}`, () => {
      // Prepare
      const report = buildReport({ rows });
      // Act
      const byBytes = findRootRowByBytes(report);
      const result = findRootRow(report);
      // Assess
      expect(result).toEqual(findRootRowByParsing(report));
      expect(byBytes).toEqual(result);
      expect(result).toMatchObject({ ok: true, row: { accessKey1LastUsed: USED } });
    });
  }

  it("says there is no root row when the only one is inside a quoted field", () => {
    // Prepare
    const report = buildReport({
      rows: [userRow("a", { password_last_changed: `\n${fakeRootLine("N/A")}\n` }), userRow("b")],
    });
    // Act
    const result = findRootRow(report);
    // Assess
    expect(result).toEqual({ ok: false, reason: "the report has no <root_account> row" });
  });

  it("leaves a report whose quote opens inside a field, before the root row, to the parser", () => {
    // Prepare: csv-parse refuses a quote in the middle of an unquoted field; the byte search must not step over it.
    const report = buildReport({ rows: [userRow("a"), real] }).replace(
      "arn:aws:iam::111122223333:user/a",
      'arn:aws:iam::111122223333:user/"a"',
    );
    // Act
    const byBytes = findRootRowByBytes(report);
    const result = findRootRow(report);
    // Assess
    expect(byBytes).toBeUndefined();
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/not valid CSV.*quote/) });
  });
});
