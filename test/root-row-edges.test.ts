/**
 * The edges of the root-row search (rule/credential-report/root-row.ts): where the byte search must be taken and where it must
 * give up, the refusals before any search, and the reason of each refusal word for word.
 */
import { describe, expect, it } from "vitest";
import { findRootRow, findRootRowByBytes, findRootRowByParsing } from "../rule/credential-report/root-row.ts";
import { buildReport, PADDED_COLUMNS, rootRow, userRow } from "./support/report-builder.ts";

const report = buildReport({ rows: [userRow("alice"), rootRow()] });
const root = { ok: true, row: expect.objectContaining({ user: "<root_account>" }) };

describe("the byte search is taken", () => {
  it("for a report whose header and fields are all quoted, without a BOM", () => {
    expect(findRootRowByBytes(buildReport({ rows: [rootRow()], quoteAll: true }))).toEqual(root);
  });

  it("for a report with no line end after the root row", () => {
    expect(
      findRootRowByBytes(buildReport({ rows: [userRow("a"), rootRow()], noFinalNewline: true })),
    ).toEqual(root);
  });

  it("for 16 places that hold <root_account> bytes, and not for 17", () => {
    // Prepare: other users whose names hold the marker (their arn does not), then the root row.
    const withMarkers = (n: number) =>
      buildReport({
        rows: [
          ...Array.from({ length: n }, (_, i) =>
            userRow(`x${i}<root_account>`, { arn: `arn:aws:iam::111122223333:user/x${i}` }),
          ),
          rootRow(),
        ],
      });
    // Act, Assess
    expect(findRootRowByBytes(withMarkers(15))).toEqual(root);
    expect(findRootRowByBytes(withMarkers(16))).toBeUndefined();
    expect(findRootRow(withMarkers(16))).toEqual(root);
  });
});

describe("the byte search gives up, and the parser decides", () => {
  it("for lone CR line ends", () => {
    const loneCr = report.replaceAll("\n", "\r");
    expect(findRootRowByBytes(loneCr)).toBeUndefined();
    expect(findRootRow(loneCr)).toEqual(root);
  });

  it("for a report cut after the root row's last comma", () => {
    const cut = report.slice(0, report.lastIndexOf(",") + 1);
    expect(findRootRowByBytes(cut)).toBeUndefined();
    expect(findRootRow(cut)).toEqual({
      ok: false,
      reason: "the report ends inside the <root_account> row (line 3)",
    });
  });

  it("for a header with no row after it", () => {
    const header = report.split("\n")[0] as string;
    expect(findRootRowByBytes(header)).toBeUndefined();
    expect(findRootRow(header)).toEqual({ ok: false, reason: "the report has no <root_account> row" });
  });
});

describe("refusals before any search", () => {
  it("says empty for no bytes and for spaces, tabs and line ends only, by either path", () => {
    for (const blank of ["", "  \n\t\r\n", " "]) {
      expect(findRootRow(blank)).toEqual({ ok: false, reason: "the report is empty" });
      expect(findRootRowByBytes(blank)).toEqual({ ok: false, reason: "the report is empty" });
    }
  });

  it("says UTF-16 for either byte-order mark, and nothing of UTF-16 for one of its two bytes alone", () => {
    const utf16 = { ok: false, reason: "the report is UTF-16 text; IAM writes credential reports in UTF-8" };
    const prefixed = (...bytes: number[]) => Buffer.concat([Buffer.from(bytes), Buffer.from(report)]);
    expect(findRootRow(prefixed(0xff, 0xfe))).toEqual(utf16);
    expect(findRootRow(prefixed(0xfe, 0xff))).toEqual(utf16);
    for (const bytes of [
      [0xff, 0x00],
      [0xfe, 0x00],
      [0x00, 0xfe],
      [0x00, 0xff],
      [0xff, 0xff],
      [0xfe, 0xfe],
    ]) {
      expect(findRootRow(prefixed(...bytes))).toEqual({ ok: false, reason: "the report has no user column" });
    }
  });
});

describe("reasons, word for word", () => {
  it("names one missing column, or several in the plural", () => {
    const columns = [
      "user",
      "arn",
      "password_last_used",
      "access_key_1_active",
      "access_key_1_last_used_date",
      "access_key_2_active",
    ];
    expect(findRootRow(buildReport({ columns, rows: [rootRow()] }))).toEqual({
      ok: false,
      reason: "the report has no access_key_2_last_used_date column",
    });
    expect(findRootRow(buildReport({ columns: columns.slice(0, 5), rows: [rootRow()] }))).toEqual({
      ok: false,
      reason: "the report has no access_key_2_active, access_key_2_last_used_date columns",
    });
  });

  it("names the CSV problem and its line: fields, a misplaced quote, an unclosed quote", () => {
    expect(findRootRow(report.replace("\n<root_account>,", "\n<root_account>,x,"))).toEqual({
      ok: false,
      reason: "the report is not valid CSV (a row has a different number of fields than the header, line 3)",
    });
    expect(findRootRow(report.replace("\n<root_account>,", '\n"<root_account>"x,'))).toEqual({
      ok: false,
      reason: "the report is not valid CSV (a quote is misplaced, line 3)",
    });
    expect(findRootRow(`${report.split("\n")[0]}\nbob,"arn\n`)).toEqual({
      ok: false,
      reason: "the report is not valid CSV (a quoted field is not closed, line 2)",
    });
  });

  it("names both lines of two root rows, wherever the second is", () => {
    const two = buildReport({ rows: [rootRow(), userRow("a"), rootRow()] });
    expect(findRootRow(two)).toEqual({
      ok: false,
      reason: "the report has more than one <root_account> row (lines 2 and 4)",
    });
    expect(findRootRowByParsing(two)).toEqual(findRootRow(two));
  });
});

describe("quotes and line ends the byte search must judge as the parser does", () => {
  it("gives up on a closing quote followed by text in another user's row before the root row", () => {
    // Prepare: csv-parse refuses `"a"x`; the byte search must not step over it to the root row below.
    const report = buildReport({ rows: [userRow("a"), rootRow()] }).replace(
      "arn:aws:iam::111122223333:user/a",
      '"arn:aws:iam::111122223333:user/a"x',
    );
    // Act, Assess
    expect(findRootRowByBytes(report)).toBeUndefined();
    expect(findRootRow(report)).toEqual({
      ok: false,
      reason: "the report is not valid CSV (a quote is misplaced, line 2)",
    });
  });

  it("takes a report that ends in a closing quote, with no line end", () => {
    const report = buildReport({ rows: [userRow("a"), rootRow()], quoteAll: true, noFinalNewline: true });
    expect(findRootRowByBytes(report)).toEqual(root);
  });

  it("reads a root row whose last field is empty when a line end (LF, CRLF or a lone CR) closes it", () => {
    const lf = buildReport({
      columns: PADDED_COLUMNS,
      rows: [userRow("a", { padding: "x" }), rootRow({ padding: "" })],
    });
    for (const report of [lf, lf.replaceAll("\n", "\r\n"), lf.replaceAll("\n", "\r")]) {
      expect(findRootRow(report)).toEqual(root);
    }
  });

  it("reads a root row whose last field is empty when another user's row follows, even with no final line end", () => {
    const report = buildReport({
      columns: PADDED_COLUMNS,
      rows: [rootRow({ padding: "" }), userRow("a", { padding: "x" })],
      noFinalNewline: true,
    });
    expect(findRootRow(report)).toEqual(root);
    expect(findRootRowByParsing(report)).toEqual(root);
  });

  it("says empty for a report that is only a UTF-8 byte-order mark and line ends", () => {
    for (const report of ["\ufeff", "\ufeff\n\n"]) {
      expect(findRootRow(report)).toEqual({ ok: false, reason: "the report is empty" });
    }
  });
});
