/**
 * The evaluation rules of the spec (README "Evaluation rules"), one scenario each.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../rule/evaluate.ts";
import { rootApiCall, trail } from "./support/cloudtrail.ts";
import { NOW, old, params, recent } from "./support/evaluation.ts";
import {
  ACCOUNT_ID,
  AWS_COLUMNS,
  buildReport,
  daysBefore,
  iamDate,
  rootRow,
  userRow,
} from "./support/report-builder.ts";

describe("rule 1: find the <root_account> row by header name", () => {
  it("finds the root row anywhere in the report, not only first", () => {
    // Prepare
    const csv = buildReport({
      rows: [userRow("alice"), userRow("bob"), rootRow({ password_last_used: recent }), userRow("carol")],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.reason).toBe("used-in-window");
    expect(verdict.accountId).toBe(ACCOUNT_ID);
  });

  it("locates columns by name in any order, with unknown extra columns", () => {
    // Prepare
    const columns = ["future_column", ...[...AWS_COLUMNS].reverse(), "another_new_one"];
    const csv = buildReport({
      columns,
      rows: [userRow("x"), rootRow({ access_key_2_last_used_date: recent })],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.activity?.lastUse?.credential).toBe("access key 2");
  });

  it("accepts a UTF-8 BOM, CRLF line ends and quoted fields with commas in user names", () => {
    // Prepare
    const csv = buildReport({
      bom: true,
      lineEnd: "\r\n",
      quoteAll: true,
      rows: [userRow("ops,admin@example.com"), rootRow({ password_last_used: old })],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
    expect(verdict.activity?.lastUse?.at.toISOString()).toBe(daysBefore(NOW, 200).toISOString());
  });
});

describe("rule 2: root's last use is the most recent of the three dates", () => {
  it("takes the most recent date, not the first non-placeholder (an old password must not hide a recent key)", () => {
    // Prepare
    const csv = buildReport({
      rows: [
        rootRow({
          password_last_used: old,
          access_key_1_last_used_date: recent,
          access_key_1_active: "false",
        }),
      ],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.activity?.lastUse?.credential).toBe("access key 1");
  });

  it("counts a key's use whether or not the key is still active", () => {
    // Prepare
    const csv = buildReport({
      rows: [rootRow({ access_key_2_active: "FALSE", access_key_2_last_used_date: recent })],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
  });

  it("treats N/A, no_information, not_supported and empty as no use, in any letter case", () => {
    // Prepare
    const csv = buildReport({
      rows: [
        rootRow({
          password_last_used: "No_Information",
          access_key_1_last_used_date: "n/a",
          access_key_2_last_used_date: "",
        }),
        userRow("u", { password_last_used: "NOT_SUPPORTED" }),
      ],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
    expect(verdict.reason).toBe("never-used");
    expect(verdict.activity?.lastUse).toBeNull();
  });

  it('treats a placeholder with spaces around it (" N/A ", " no_information ") as no use', () => {
    // Prepare
    const csv = buildReport({
      rows: [
        rootRow({
          password_last_used: " N/A ",
          access_key_1_last_used_date: " no_information ",
          access_key_2_last_used_date: "  not_supported",
        }),
      ],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
    expect(verdict.reason).toBe("never-used");
    expect(verdict.activity?.lastUsed).toEqual({
      password: null,
      "access key 1": null,
      "access key 2": null,
    });
  });

  it("compares instants, not strings: placeholders never sort above dates", () => {
    // Prepare: "no_information" > "2026-..." as strings; the date must win.
    const csv = buildReport({
      rows: [rootRow({ password_last_used: "no_information", access_key_1_last_used_date: recent })],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.activity?.lastUse?.credential).toBe("access key 1");
  });

  it("honours the offset (+00:00, Z, -05:00) and allows fractional seconds", () => {
    // Prepare: 2026-10-30T20:00:00-05:00 is 2026-10-31T01:00:00Z: 29 days 11 h before NOW, inside 30 days.
    const csv = buildReport({ rows: [rootRow({ password_last_used: "2026-10-30T20:00:00.123-05:00" })] });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.activity?.lastUse?.at.toISOString()).toBe("2026-10-31T01:00:00.123Z");
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    const zulu = evaluate(
      buildReport({ rows: [rootRow({ password_last_used: "2026-10-30T11:59:59Z" })] }),
      NOW,
      params(),
    );
    expect(zulu.complianceType).toBe("COMPLIANT");
  });
});

describe("rule 3: the window", () => {
  it("is NON_COMPLIANT when now − lastUse is less than lookbackDays × 86 400 s", () => {
    // Prepare: one second inside the window.
    const csv = buildReport({ rows: [rootRow({ password_last_used: iamDate(daysBefore(NOW, 30, -1000)) })] });
    // Act
    const verdict = evaluate(csv, NOW, params({ lookbackDays: 30 }));
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
  });

  it("is COMPLIANT when the last use was exactly lookbackDays ago", () => {
    // Prepare
    const csv = buildReport({ rows: [rootRow({ password_last_used: iamDate(daysBefore(NOW, 30)) })] });
    // Act
    const verdict = evaluate(csv, NOW, params({ lookbackDays: 30 }));
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
    expect(verdict.reason).toBe("not-used-in-window");
  });

  it("counts a last use later than now (clock skew) as use now", () => {
    // Prepare
    const csv = buildReport({
      rows: [rootRow({ access_key_1_last_used_date: "2026-11-29T12:05:00+00:00" })],
    });
    // Act
    const verdict = evaluate(csv, NOW, params({ lookbackDays: 1 }));
    // Assess
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.reason).toBe("used-in-future");
    expect(verdict.annotation).toContain("clock skew");
  });

  it("uses the given now, not the machine's clock", () => {
    // Prepare
    const csv = buildReport({ rows: [rootRow({ password_last_used: "2020-01-10T00:00:00+00:00" })] });
    // Act
    const then = evaluate(csv, new Date("2020-01-20T00:00:00Z"), params());
    const later = evaluate(csv, new Date("2020-03-20T00:00:00Z"), params());
    // Assess
    expect(then.complianceType).toBe("NON_COMPLIANT");
    expect(later.complianceType).toBe("COMPLIANT");
  });
});

describe("rule 4: failOnActiveAccessKeys", () => {
  it("makes an active root access key NON_COMPLIANT even if never used", () => {
    // Prepare
    const csv = buildReport({ rows: [rootRow({ access_key_1_active: "TRUE" })] });
    // Act
    const lenient = evaluate(csv, NOW, params());
    const strict = evaluate(csv, NOW, params({ failOnActiveAccessKeys: true }));
    // Assess
    expect(lenient.complianceType).toBe("COMPLIANT");
    expect(strict.complianceType).toBe("NON_COMPLIANT");
    expect(strict.reason).toBe("active-access-key");
    expect(strict.annotation).toContain("access key 1");
  });
});

describe("rule 5: a report that cannot be verified is NON_COMPLIANT, 'Cannot verify …'", () => {
  const cases: Array<[string, string | Uint8Array, RegExp]> = [
    ["empty", "", /empty/],
    ["whitespace only", "\n\r\n  \n", /empty/],
    ["not CSV", new Uint8Array([0x00, 0xff, 0x13, 0x37, 0x0a, 0x22]), /has no credential report header/],
    ["header only", buildReport({ rows: [] }), /no <root_account> row/],
    ["no <root_account> row", buildReport({ rows: [userRow("alice")] }), /no <root_account> row/],
    [
      "more than one <root_account> row",
      buildReport({ rows: [rootRow({ password_last_used: old }), userRow("a"), rootRow()] }),
      /more than one <root_account> row/,
    ],
    [
      "a required column missing",
      buildReport({
        columns: AWS_COLUMNS.filter((c) => c !== "access_key_2_last_used_date"),
        rows: [rootRow()],
      }),
      /no access_key_2_last_used_date column/,
    ],
    [
      "a date column holding neither a placeholder nor a timestamp",
      buildReport({ rows: [rootRow({ password_last_used: "last tuesday" })] }),
      /password_last_used of the root row is "last tuesday"/,
    ],
    [
      "an impossible date",
      buildReport({ rows: [rootRow({ access_key_1_last_used_date: "2026-02-30T00:00:00+00:00" })] }),
      /access_key_1_last_used_date/,
    ],
  ];
  for (const [name, report, reason] of cases) {
    it(`says Cannot verify for: ${name}`, () => {
      // Act
      const verdict = evaluate(report, NOW, params());
      // Assess
      expect(verdict.complianceType).toBe("NON_COMPLIANT");
      expect(verdict.reason).toBe("cannot-verify");
      expect(verdict.annotation).toMatch(/^Cannot verify/);
      expect(verdict.annotation).toMatch(reason);
    });
  }
});

describe("rule 6: the annotation tells a person what happened", () => {
  it("names the credential, the UTC time, the days ago and the limit for a NON_COMPLIANT verdict", () => {
    // Prepare
    const csv = buildReport({ rows: [rootRow({ password_last_used: "2026-11-26T09:30:00-02:00" })] });
    // Act
    const verdict = evaluate(csv, NOW, params({ lookbackDays: 45 }));
    // Assess
    expect(verdict.annotation).toBe(
      "Root user signed in with the password 2026-11-26T11:30:00Z (credential report) 3 days ago, inside the 45-day window.",
    );
  });

  it("says when root was last used, or that it never was, for a COMPLIANT verdict", () => {
    // Prepare
    const used = buildReport({ rows: [rootRow({ access_key_1_last_used_date: old })] });
    const never = buildReport({ rows: [rootRow()] });
    // Act
    const usedVerdict = evaluate(used, NOW, params());
    const neverVerdict = evaluate(never, NOW, params());
    // Assess
    expect(usedVerdict.annotation).toBe(
      `Root user not used in the last 30 days (credential report; CloudTrail not checked). Latest use: used access key 1 ${old.slice(0, 19)}Z (credential report), 200 days ago.`,
    );
    expect(neverVerdict.annotation).toBe(
      "Root user not used in the last 30 days (credential report; CloudTrail not checked). No root use recorded.",
    );
  });

  it("mentions active root access keys even when they do not change the verdict", () => {
    // Prepare
    const csv = buildReport({
      rows: [rootRow({ access_key_1_active: "true", access_key_2_active: "true" })],
    });
    // Act
    const verdict = evaluate(csv, NOW, params());
    // Assess
    expect(verdict.complianceType).toBe("COMPLIANT");
    expect(verdict.annotation).toContain("Active root access keys: 1, 2");
  });

  it("is never longer than 256 characters: every overflow is cut to exactly 256", () => {
    // Prepare: root API calls whose event names grow until the verdict's own sentence overflows (an event name
    // is the one field of an annotation with no length limit of its own), through evaluate().
    const lengths = [1, 100, 200, 220, 230, 235, 236, 240, 300, 1_000, 5_000];
    for (const length of lengths) {
      const record = rootApiCall({ time: daysBefore(NOW, 1), eventName: "N".repeat(length) });
      const evidence = {
        report: { content: buildReport({ rows: [rootRow()] }), generatedTime: NOW },
        cloudTrail: trail([record], { since: daysBefore(NOW, 30) }),
      };
      // Act
      const verdict = evaluate(evidence, NOW, params());
      // Assess
      const full = `Root user called iam:${"N".repeat(length)} ${iamDate(daysBefore(NOW, 1)).slice(0, 19)}Z in us-east-1 (CloudTrail, access key) 1 day ago, inside the 30-day window.`;
      if (full.length <= 256) expect(verdict.annotation).toBe(full);
      else expect(verdict.annotation).toBe(`${full.slice(0, 255)}…`);
      expect(verdict.annotation.length).toBeLessThanOrEqual(256);
    }
  });
});
