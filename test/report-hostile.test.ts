/**
 * Hostile and damaged credential reports, written by hand: each gives either Cannot verify (NON_COMPLIANT) or
 * the verdict of the root row, never a crash and never COMPLIANT by accident.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_ANNOTATION_LENGTH } from "../rule/annotation.ts";
import { evaluate } from "../rule/evaluate.ts";
import type { Verdict } from "../rule/verdict.ts";
import { NOW, old, params, recent } from "./support/evaluation.ts";
import {
  ACCOUNT_ID,
  AWS_COLUMNS,
  buildReport,
  reportWithUsers,
  rootRow,
  userRow,
} from "./support/report-builder.ts";

const HEADER = AWS_COLUMNS.join(",");

/** Root used 3 days ago (NON_COMPLIANT) and root last used 200 days ago (COMPLIANT). */
const usedRoot = rootRow({ access_key_1_last_used_date: recent });
const quietRoot = rootRow({ password_last_used: old });

function expectCannotVerify(verdict: Verdict, reason?: RegExp): void {
  expect(verdict.complianceType).toBe("NON_COMPLIANT");
  expect(verdict.reason).toBe("cannot-verify");
  expect(verdict.annotation).toMatch(/^Cannot verify/);
  expect(verdict.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  if (reason) expect(verdict.annotation).toMatch(reason);
}

function expectVerdict(
  verdict: Verdict,
  complianceType: Verdict["complianceType"],
  reason: Verdict["reason"],
) {
  expect({ complianceType: verdict.complianceType, reason: verdict.reason }).toEqual({
    complianceType,
    reason,
  });
  expect(verdict.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
}

/** For encodings the rule may or may not read: the root row's verdict, or Cannot verify; never another one. */
/** Deterministic pseudo-random bytes (a linear congruential generator), so failures reproduce. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe("not a credential report at all", () => {
  const cases: Array<[string, Uint8Array | string]> = [
    ["64 KiB of random bytes", pseudoRandomBytes(65_536, 42)],
    [
      "random bytes starting with a real header line",
      Buffer.concat([Buffer.from(`${HEADER}\n`), pseudoRandomBytes(4096, 7)]),
    ],
    [
      "a PNG header",
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    ],
    ["a gzip-compressed report", gzipSync(buildReport({ rows: [usedRoot] }))],
    [
      "a base64-encoded report, not decoded",
      Buffer.from(buildReport({ rows: [usedRoot] })).toString("base64"),
    ],
    [
      "the GetCredentialReport XML response instead of its content",
      "<GetCredentialReportResponse><GetCredentialReportResult><Content>dXNlcg==</Content></GetCredentialReportResult></GetCredentialReportResponse>",
    ],
    ["only NUL bytes", new Uint8Array(1024)],
  ];
  for (const [name, report] of cases) {
    it(`says Cannot verify for ${name}`, () => {
      // Act
      const verdict = evaluate(report, NOW, params());
      // Assess
      expectCannotVerify(verdict);
    });
  }
});

describe("truncated reports", () => {
  it("says Cannot verify when the report is cut inside the root row", () => {
    // Prepare: root first, as AWS writes it; cut in the middle of its access_key_1_last_used_date.
    const report = buildReport({ rows: [usedRoot, userRow("alice")] });
    const cut = report.slice(0, report.indexOf(recent) + 7);
    // Act
    const verdict = evaluate(cut, NOW, params());
    // Assess: the last row has fewer fields than the header.
    expectCannotVerify(verdict, /not valid CSV/);
  });

  it("says Cannot verify when the report is cut before the root row", () => {
    // Prepare
    const report = buildReport({ rows: [userRow("alice"), usedRoot] });
    const cut = report.slice(0, report.indexOf("<root_account>"));
    // Act
    const verdict = evaluate(cut, NOW, params());
    // Assess
    expectCannotVerify(verdict, /no <root_account> row/);
  });

  it("keeps the root row's verdict when the report is cut after the root row (root first)", () => {
    // Prepare: cut in the middle of bob's row, after the complete root row.
    // Sound because the root row was read to its line end, so all of root's data is there; the missing rows
    // are other users', which hold nothing about root. (A duplicate root row in the lost part could not be
    // seen, but then the cut report is indistinguishable from a complete report with fewer users.)
    const used = buildReport({ rows: [usedRoot, userRow("alice"), userRow("bob")] });
    const quiet = buildReport({ rows: [quietRoot, userRow("alice"), userRow("bob")] });
    // Act
    const usedVerdict = evaluate(used.slice(0, used.indexOf("bob") + 10), NOW, params());
    const quietVerdict = evaluate(quiet.slice(0, quiet.indexOf("bob") + 10), NOW, params());
    // Assess
    expectVerdict(usedVerdict, "NON_COMPLIANT", "used-in-window");
    expectVerdict(quietVerdict, "COMPLIANT", "not-used-in-window");
  });

  it("keeps the verdict when only the root row's final line end is missing", () => {
    // Prepare
    const report = buildReport({ rows: [userRow("alice"), usedRoot], lineEnd: "\r\n", noFinalNewline: true });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectVerdict(verdict, "NON_COMPLIANT", "used-in-window");
  });
});

describe("unbalanced quotes", () => {
  it("says Cannot verify for a quote that never closes, opened before the root row", () => {
    // Prepare: the open quote swallows the root row into alice's name.
    const report = buildReport({ rows: [userRow("alice"), usedRoot] }).replace("alice", '"alice');
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict, /not valid CSV/);
  });

  it("says Cannot verify for a quote in the middle of a root row field", () => {
    // Prepare
    const report = buildReport({ rows: [usedRoot] }).replace(
      recent,
      `${recent.slice(0, 4)}"${recent.slice(4)}`,
    );
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict, /not valid CSV.*quote/);
  });

  it("says Cannot verify for a quoted root field followed by text", () => {
    // Prepare
    const report = buildReport({ rows: [usedRoot] }).replace("<root_account>", '"<root_account>"x');
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict);
  });

  it("keeps the root row's verdict for an unclosed quote after the root row (root first)", () => {
    // Prepare: the rule stops reading at the root row; later rows cannot change root's data.
    const report = buildReport({ rows: [usedRoot, userRow("alice"), userRow("bob")] }).replace("bob", '"bob');
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectVerdict(verdict, "NON_COMPLIANT", "used-in-window");
  });
});

describe("enormous fields and reports", () => {
  const huge = "x".repeat(10 * 1024 * 1024);

  it("says Cannot verify for a 10 MB field in another user's row before the root row", () => {
    // Prepare
    const report = buildReport({ rows: [userRow("alice", { password_last_changed: huge }), quietRoot] });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess: a row that large is not a credential report row.
    expectCannotVerify(verdict, /larger than 64 KiB/);
  });

  it("keeps the root row's verdict for a 10 MB field in another user's row after the root row", () => {
    // Prepare
    const used = buildReport({ rows: [usedRoot, userRow("alice", { password_last_changed: huge })] });
    const quiet = buildReport({ rows: [quietRoot, userRow("alice", { password_last_changed: huge })] });
    // Act
    const usedVerdict = evaluate(used, NOW, params());
    const quietVerdict = evaluate(quiet, NOW, params());
    // Assess
    expectVerdict(usedVerdict, "NON_COMPLIANT", "used-in-window");
    expectVerdict(quietVerdict, "COMPLIANT", "not-used-in-window");
  });

  it("says Cannot verify for a 10 MB unknown column in the root row", () => {
    // Prepare
    const report = buildReport({ columns: [...AWS_COLUMNS, "notes"], rows: [rootRow({ notes: huge })] });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict, /larger than 64 KiB/);
  });

  it("finds the root row among 50 000 users, first or last, and gives its verdict", () => {
    // Prepare
    const reports = {
      usedFirst: reportWithUsers(50_000, "first", usedRoot),
      usedLast: reportWithUsers(50_000, "last", usedRoot),
      quietFirst: reportWithUsers(50_000, "first", quietRoot),
      quietLast: reportWithUsers(50_000, "last", quietRoot),
    };
    // Act
    const verdicts = Object.fromEntries(
      Object.entries(reports).map(([name, report]) => [name, evaluate(Buffer.from(report), NOW, params())]),
    );
    // Assess
    expectVerdict(verdicts.usedFirst as Verdict, "NON_COMPLIANT", "used-in-window");
    expectVerdict(verdicts.usedLast as Verdict, "NON_COMPLIANT", "used-in-window");
    expectVerdict(verdicts.quietFirst as Verdict, "COMPLIANT", "not-used-in-window");
    expectVerdict(verdicts.quietLast as Verdict, "COMPLIANT", "not-used-in-window");
  });
});

describe("more than one <root_account> row", () => {
  const quoteLastRoot = (report: string) => {
    const at = report.lastIndexOf("<root_account>");
    return `${report.slice(0, at)}"<root_account>"${report.slice(at + "<root_account>".length)}`;
  };
  const many = Array.from({ length: 2000 }, (_, i) => userRow(`user-${i}`));
  const cases: Array<[string, string]> = [
    ["adjacent", buildReport({ rows: [quietRoot, rootRow()] })],
    ["far apart (2000 users between)", buildReport({ rows: [quietRoot, ...many, usedRoot] })],
    ["both after many users", buildReport({ rows: [...many, quietRoot, userRow("x"), rootRow()] })],
    ["the second quoted", quoteLastRoot(buildReport({ rows: [quietRoot, userRow("a"), rootRow()] }))],
    ["all fields quoted", buildReport({ quoteAll: true, rows: [quietRoot, userRow("a,b"), usedRoot] })],
    [
      "the second with spaces around the name",
      buildReport({ rows: [quietRoot, rootRow({ user: "  <root_account> " })] }),
    ],
    [
      "the first with spaces, the second plain",
      buildReport({ rows: [rootRow({ user: " <root_account>" }), usedRoot] }),
    ],
  ];
  for (const [name, report] of cases) {
    it(`says Cannot verify for two root rows: ${name}`, () => {
      // Act
      const verdict = evaluate(report, NOW, params());
      // Assess
      expectCannotVerify(verdict, /more than one <root_account> row/);
    });
  }
});

describe("a <root_account> inside a quoted field of another row", () => {
  /** A whole root row's text, used root or quiet, to hide inside another user's quoted field. */
  const rootLine = (root: Record<string, string>) => buildReport({ rows: [root] }).split("\n")[1] as string;
  const cases: Array<[string, string, Verdict["complianceType"], Verdict["reason"]]> = [
    [
      "a quiet fake before a used real one",
      buildReport({
        rows: [userRow("a", { password_last_changed: `\n${rootLine(quietRoot)}\n` }), usedRoot],
      }),
      "NON_COMPLIANT",
      "used-in-window",
    ],
    [
      "a used fake before a quiet real one",
      buildReport({
        rows: [userRow("a", { password_last_changed: `\n${rootLine(usedRoot)}\n` }), quietRoot],
      }),
      "COMPLIANT",
      "not-used-in-window",
    ],
    [
      "a quiet fake after a used real one",
      buildReport({ rows: [usedRoot, userRow("a", { cert_1_last_rotated: `\n${rootLine(quietRoot)}\n` })] }),
      "NON_COMPLIANT",
      "used-in-window",
    ],
    [
      "a used fake after a quiet real one, many users between",
      buildReport({
        rows: [
          quietRoot,
          ...Array.from({ length: 500 }, (_, i) => userRow(`u${i}`)),
          userRow("x,<root_account>", { cert_1_last_rotated: `\r\n${rootLine(usedRoot)}\r\n` }),
        ],
      }),
      "COMPLIANT",
      "not-used-in-window",
    ],
  ];
  for (const [name, report, complianceType, reason] of cases) {
    it(`gives the real root row's verdict for ${name}`, () => {
      // Act
      const verdict = evaluate(report, NOW, params());
      // Assess
      expectVerdict(verdict, complianceType, reason);
    });
  }
});

describe("headers", () => {
  it("says Cannot verify for a header with no rows, CRLF and trailing blank lines", () => {
    // Prepare
    const report = `${HEADER}\r\n\r\n\r\n`;
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict, /no <root_account> row/);
  });

  it("says Cannot verify when the header is missing and the first row is the root row", () => {
    // Prepare
    const report = buildReport({ rows: [usedRoot, userRow("alice")] });
    const headerless = report.slice(report.indexOf("\n") + 1);
    // Act
    const verdict = evaluate(headerless, NOW, params());
    // Assess
    expectCannotVerify(verdict, /no credential report header/);
  });

  it("says Cannot verify when a required column appears twice", () => {
    // Prepare: two password_last_used columns, one saying N/A, one recent: which is true is unknown.
    const columns = [...AWS_COLUMNS, "Password_Last_Used"];
    const report = buildReport({
      columns,
      rows: [{ ...rootRow(), Password_Last_Used: recent }],
    });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict, /column password_last_used twice/);
  });

  it("says Cannot verify when the user column appears twice", () => {
    // Prepare
    const report = buildReport({ columns: ["user", ...AWS_COLUMNS], rows: [usedRoot] });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict, /column user twice/);
  });

  it("accepts an unknown column that appears twice", () => {
    // Prepare
    const columns = ["future", ...AWS_COLUMNS, "future"];
    const report = buildReport({
      columns,
      rows: [userRow("a", { future: "x" }), { ...usedRoot, future: "y" }],
    });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectVerdict(verdict, "NON_COMPLIANT", "used-in-window");
  });

  it("says Cannot verify when the header has a NUL byte in a required column name", () => {
    // Prepare
    const report = buildReport({ rows: [quietRoot] }).replace(
      "password_last_used",
      "password_last\u0000_used",
    );
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict, /no password_last_used column/);
  });
});

describe("dates out of range or impossible", () => {
  const cannotVerify: Array<[string, string]> = [
    ["year 0000", "0000-01-01T00:00:00+00:00"],
    ["year 1969", "1969-12-31T23:59:59+00:00"],
    ["month 13", "2026-13-01T00:00:00+00:00"],
    ["month 00", "2026-00-10T00:00:00+00:00"],
    ["day 32", "2026-01-32T00:00:00+00:00"],
    ["day 00", "2026-01-00T00:00:00+00:00"],
    ["29 February of a non-leap year", "2025-02-29T00:00:00+00:00"],
    ["29 February 2100 (not a leap year)", "2100-02-29T00:00:00+00:00"],
    ["hour 24", "2026-11-28T24:00:00+00:00"],
    ["minute 60", "2026-11-28T10:60:00+00:00"],
    ["second 60 (leap second)", "2026-11-28T23:59:60+00:00"],
    ["offset +25:00", "2026-11-28T10:00:00+25:00"],
    ["offset minutes 60", "2026-11-28T10:00:00+05:60"],
    ["no offset", "2026-11-28T10:00:00"],
    ["date only", "2026-11-28"],
    ["a Unix timestamp", "1795000000"],
    ["a two-digit year", "26-11-28T10:00:00+00:00"],
    ["a five-digit year", "12026-11-28T10:00:00+00:00"],
  ];
  for (const [name, text] of cannotVerify) {
    it(`says Cannot verify for a root date with ${name}`, () => {
      // Prepare
      const report = buildReport({ rows: [rootRow({ password_last_used: text })] });
      // Act
      const verdict = evaluate(report, NOW, params());
      // Assess
      expectCannotVerify(verdict, /password_last_used of the root row/);
    });
  }

  it("counts year 9999 as use in the future: NON_COMPLIANT", () => {
    // Prepare
    const report = buildReport({
      rows: [rootRow({ access_key_2_last_used_date: "9999-12-31T23:59:59+00:00" })],
    });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectVerdict(verdict, "NON_COMPLIANT", "used-in-future");
  });

  it("reads 29 February of a leap year and hour 23:59:59 as real dates", () => {
    // Prepare
    const report = buildReport({ rows: [rootRow({ password_last_used: "2024-02-29T23:59:59+00:00" })] });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectVerdict(verdict, "COMPLIANT", "not-used-in-window");
    expect(verdict.activity?.lastUse?.at.toISOString()).toBe("2024-02-29T23:59:59.000Z");
  });
});

describe("encodings, NUL bytes and line ends", () => {
  const utf16le = (text: string, bom: boolean) =>
    Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, "utf16le")]);

  it("says Cannot verify, naming UTF-16, for a UTF-16LE report with a BOM: IAM writes UTF-8", () => {
    // Prepare
    const used = utf16le(buildReport({ rows: [userRow("a"), usedRoot] }), true);
    const quiet = utf16le(buildReport({ rows: [userRow("a"), quietRoot] }), true);
    // Act
    const usedVerdict = evaluate(used, NOW, params());
    const quietVerdict = evaluate(quiet, NOW, params());
    // Assess
    const utf16 =
      /^Cannot verify root user activity: the report is UTF-16 text; IAM writes credential reports in UTF-8\.$/;
    expectCannotVerify(usedVerdict, utf16);
    expectCannotVerify(quietVerdict, utf16);
  });

  it("says Cannot verify for a UTF-16LE report without a BOM and for UTF-16BE", () => {
    // Prepare
    const text = buildReport({ rows: [quietRoot] });
    const bigEndian = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
    // Act
    const noBom = evaluate(utf16le(text, false), NOW, params());
    const be = evaluate(bigEndian, NOW, params());
    // Assess
    expectCannotVerify(noBom);
    expectCannotVerify(be);
  });

  it("keeps the root row's verdict for NUL bytes in another user's name", () => {
    // Prepare
    const report = buildReport({ rows: [userRow("al\u0000ice"), usedRoot, userRow("\u0000")] });
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectVerdict(verdict, "NON_COMPLIANT", "used-in-window");
  });

  it("says Cannot verify for a NUL byte inside a root date or flag", () => {
    // Prepare
    const inDate = buildReport({ rows: [rootRow({ password_last_used: `${old}\u0000` })] });
    const inFlag = buildReport({ rows: [rootRow({ access_key_1_active: "fal\u0000se" })] });
    const inName = buildReport({ rows: [rootRow({ user: "<root_account>\u0000" })] });
    // Act
    const verdicts = [inDate, inFlag, inName].map((report) => evaluate(report, NOW, params()));
    // Assess
    for (const verdict of verdicts) expectCannotVerify(verdict);
  });

  it("gives the root row's verdict for a report with lone \\r line ends (the parser reads them; the byte search leaves them to it)", () => {
    // Prepare
    const used = buildReport({ rows: [userRow("a"), usedRoot, userRow("b")] }).replaceAll("\n", "\r");
    const quiet = buildReport({ rows: [userRow("a"), quietRoot, userRow("b")] }).replaceAll("\n", "\r");
    // Act
    const usedVerdict = evaluate(used, NOW, params());
    const quietVerdict = evaluate(quiet, NOW, params());
    // Assess
    expectVerdict(usedVerdict, "NON_COMPLIANT", "used-in-window");
    expectVerdict(quietVerdict, "COMPLIANT", "not-used-in-window");
  });

  it("says Cannot verify when line ends are mixed so that rows run together", () => {
    // Prepare: CRLF after the header fixes the line end; the rows below end in LF only.
    const report = `${HEADER}\r\n${buildReport({ rows: [usedRoot, userRow("a")] })
      .split("\n")
      .slice(1)
      .join("\n")}`;
    // Act
    const verdict = evaluate(report, NOW, params());
    // Assess
    expectCannotVerify(verdict);
  });
});

describe("the real root rows of the reference document", () => {
  // Account ids as in the document; AWS's 22 columns in AWS's order.
  const real = [
    "<root_account>,arn:aws:iam::111122223333:root,2016-05-16T18:13:11+00:00,not_supported,2016-10-06T15:47:11+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
    "<root_account>,arn:aws:iam::111122223333:root,2020-11-23T18:42:55+00:00,not_supported,no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
    "<root_account>,arn:aws:iam::111122223333:root,2007-10-13T16:49:50+00:00,not_supported,2016-11-25T14:19:48+00:00,not_supported,not_supported,false,true,2011-08-19T05:12:23+00:00,2015-07-04T15:09:00+00:00,us-east-1,s3,false,2007-10-13T16:49:50+00:00,N/A,N/A,N/A,true,2008-06-25T02:07:10+00:00,false,N/A",
  ] as const;
  const report = (row: string) =>
    `${HEADER}\n${row}\n${buildReport({ rows: [userRow("alice")] }).split("\n")[1]}\n`;

  it("example 1 (password used 2016-10-06): COMPLIANT years later, NON_COMPLIANT days after", () => {
    // Act
    const later = evaluate(report(real[0]), NOW, params());
    const soon = evaluate(report(real[0]), new Date("2016-10-10T00:00:00Z"), params());
    // Assess
    expectVerdict(later, "COMPLIANT", "not-used-in-window");
    expect(later.activity?.lastUse).toEqual({ credential: "password", at: new Date("2016-10-06T15:47:11Z") });
    expect(later.activity?.mfaActive).toBe(true);
    expect(later.accountId).toBe(ACCOUNT_ID);
    expect(later.partition).toBe("aws");
    expectVerdict(soon, "NON_COMPLIANT", "used-in-window");
  });

  it("example 2 (no_information, no keys): never used, COMPLIANT even with failOnActiveAccessKeys", () => {
    // Act
    const verdict = evaluate(report(real[1]), NOW, params({ failOnActiveAccessKeys: true }));
    // Assess
    expectVerdict(verdict, "COMPLIANT", "never-used");
    expect(verdict.activity?.lastUse).toBeNull();
    expect(verdict.activity?.activeAccessKeys).toEqual([]);
    expect(verdict.activity?.mfaActive).toBe(false);
  });

  it("example 3 (active key 1 used 2015, password 2016): last use is the password; the active key fails when asked", () => {
    // Act
    const lenient = evaluate(report(real[2]), NOW, params());
    const strict = evaluate(report(real[2]), NOW, params({ failOnActiveAccessKeys: true }));
    const sameDay = evaluate(report(real[2]), new Date("2016-11-25T20:00:00Z"), params({ lookbackDays: 1 }));
    // Assess: key 2's rotation date (2007) and the certificate are not uses.
    expectVerdict(lenient, "COMPLIANT", "not-used-in-window");
    expect(lenient.activity?.lastUse).toEqual({
      credential: "password",
      at: new Date("2016-11-25T14:19:48Z"),
    });
    expect(lenient.activity?.lastUsed["access key 1"]).toEqual(new Date("2015-07-04T15:09:00Z"));
    expect(lenient.activity?.lastUsed["access key 2"]).toBeNull();
    expect(lenient.activity?.activeAccessKeys).toEqual([1]);
    expectVerdict(strict, "NON_COMPLIANT", "active-access-key");
    expectVerdict(sameDay, "NON_COMPLIANT", "used-in-window");
  });
});
