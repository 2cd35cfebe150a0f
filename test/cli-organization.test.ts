/**
 * The pure parts of `evaluate --live --organization`: its options, the account selection, the row order, the
 * summary and exit status (property tests over any mix of outcomes), the table's wrapping, the CSV and the
 * progress bar's frames and its silence without a terminal.
 */
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../rule/cli/args.ts";
import { selectAccounts } from "../rule/cli/organization/accounts.ts";
import { toCsv } from "../rule/cli/organization/output.ts";
import { ProgressBar, progressFrame } from "../rule/cli/organization/progress.ts";
import {
  type AccountOutcome,
  orderOutcomes,
  rowVerdict,
  summarize,
  VERDICT_ORDER,
} from "../rule/cli/organization/results.ts";
import { toTable, wrap } from "../rule/cli/organization/table.ts";
import { UsageError } from "../rule/errors.ts";
import { evaluate } from "../rule/evaluate.ts";
import { HOUR, NOW, params as ruleParams } from "./support/evaluation.ts";
import { buildReport, daysBefore, iamDate, rootRow } from "./support/report-builder.ts";

const params = ruleParams({ cloudTrailLookup: false });
const info = {
  source: "live",
  format: "live",
  generatedTime: new Date(NOW.getTime() - HOUR),
  maxReportAgeMs: 4 * HOUR,
  maxReportAge: "4h",
} as const;

function verdictOf(accountId: string, rootUsedDaysAgo: number | null) {
  const root = rootRow(
    rootUsedDaysAgo === null ? {} : { password_last_used: iamDate(daysBefore(NOW, rootUsedDaysAgo)) },
    accountId,
  );
  return evaluate(
    {
      report: { content: buildReport({ rows: [root] }), generatedTime: info.generatedTime },
      cloudTrail: null,
    },
    NOW,
    params,
  );
}

function outcome(
  kind: "NON_COMPLIANT" | "COMPLIANT" | "ERROR" | "SKIPPED",
  id: string,
  name = `acct-${id}`,
): AccountOutcome {
  const account = { id, name, state: kind === "SKIPPED" ? "SUSPENDED" : "ACTIVE" };
  if (kind === "ERROR")
    return { kind: "error", account, error: { name: "AssumeRoleError", message: "Cannot assume" } };
  if (kind === "SKIPPED") return { kind: "skipped", account };
  return { kind: "evaluated", account, verdict: verdictOf(id, kind === "NON_COMPLIANT" ? 2 : null), info };
}

const accountId = fc.integer({ min: 100_000_000_000, max: 999_999_999_999 }).map(String);
const outcomes = fc
  .uniqueArray(accountId, { maxLength: 30 })
  .chain((ids) =>
    fc.tuple(...ids.map((id) => fc.constantFrom(...VERDICT_ORDER).map((kind) => outcome(kind, id)))),
  );

const argv = (...args: string[]) => ["evaluate", "--live", "--organization", "--role-name", "audit", ...args];
const usageError = (args: string[]) => {
  try {
    parseCommand(args, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
};

describe("options", () => {
  it("defaults to 8 accounts at once, every account, nothing excluded, the table", () => {
    // Act
    const command = parseCommand(argv(), NOW);
    // Assess
    expect(command).toMatchObject({
      kind: "evaluate",
      organization: { roleName: "audit", concurrency: 8, accounts: undefined, exclude: [], csv: false },
    });
  });

  it("takes --concurrency from 1 to 64 and names the option and the value otherwise", () => {
    // Assess
    for (const n of ["1", "64"])
      expect(parseCommand(argv("--concurrency", n), NOW)).toMatchObject({
        organization: { concurrency: Number(n) },
      });
    for (const bad of ["0", "65", "-1", "8.5", "", "many"]) {
      expect(usageError(argv("--concurrency", bad))).toBe(
        `--concurrency ${JSON.stringify(bad)} is invalid: expected a whole number from 1 to 64 (default 8)`,
      );
    }
  });

  it("takes --accounts and --exclude as comma-separated 12-digit ids, each once, and names a bad one", () => {
    // Act
    const command = parseCommand(
      argv("--accounts", "111122223333,444455556666,111122223333", "--exclude", "444455556666"),
      NOW,
    );
    // Assess
    expect(command).toMatchObject({
      organization: { accounts: ["111122223333", "444455556666"], exclude: ["444455556666"] },
    });
    expect(usageError(argv("--accounts", "111122223333,12345"))).toMatch(
      /^--accounts "111122223333,12345" is invalid: "12345" is not a 12-digit account id/,
    );
    expect(usageError(argv("--exclude", "111122223333,"))).toMatch(
      /^--exclude .* an empty entry is not a 12-digit account id/,
    );
    expect(usageError(argv("--accounts", ""))).toMatch(/^--accounts "" is invalid/);
  });

  it("needs --live, --role-name with a valid role name, and not --role-arn; --csv excludes --json", () => {
    // Assess
    expect(usageError(["evaluate", "--organization", "--role-name", "audit"])).toBe(
      "--organization goes with --live",
    );
    expect(usageError(["evaluate", "--live", "--organization"])).toMatch(
      /^--organization needs --role-name <name>/,
    );
    expect(usageError(argv().map((a) => (a === "audit" ? "path/audit" : a)))).toMatch(
      /^--role-name "path\/audit" is not an IAM role name/,
    );
    expect(usageError([...argv(), "--role-arn", "arn:aws:iam::444455556666:role/audit"])).toMatch(
      /--role-arn names one account/,
    );
    expect(usageError(argv("--csv", "--json"))).toBe("--json and --csv exclude each other");
    expect(usageError(["evaluate", "--live", "--csv"])).toBe("--csv goes with --organization");
    expect(usageError(["evaluate", "--live", "--concurrency", "4"])).toBe(
      "--concurrency goes with --organization",
    );
  });
});

describe("account selection", () => {
  const listed = [
    { id: "111111111111", name: "a", state: "ACTIVE" },
    { id: "222222222222", name: "b", state: "SUSPENDED" },
    { id: "333333333333", name: "c", state: "PENDING_CLOSURE" },
    { id: "444444444444", name: "d", state: "ACTIVE" },
    { id: "555555555555", name: "e", state: "CLOSED" },
    { id: "666666666666", name: "f", state: "PENDING_ACTIVATION" },
    { id: "777777777777", name: "g", state: "SOME_NEW_STATE" },
  ];

  it("lists suspended, closing, closed and not yet active accounts as skipped, and evaluates every other, an unknown state too", () => {
    // Act
    const selection = selectAccounts(listed, { accounts: undefined, exclude: [] });
    // Assess
    expect(selection.evaluate.map((a) => a.id)).toEqual(["111111111111", "444444444444", "777777777777"]);
    expect(selection.skipped.map((a) => a.state)).toEqual([
      "SUSPENDED",
      "PENDING_CLOSURE",
      "CLOSED",
      "PENDING_ACTIVATION",
    ]);
  });

  it("keeps only --accounts, drops --exclude, and names --accounts ids the organization lacks", () => {
    // Act
    const selection = selectAccounts(listed, {
      accounts: ["111111111111", "444444444444", "999999999999"],
      exclude: ["444444444444"],
    });
    // Assess
    expect(selection.evaluate.map((a) => a.id)).toEqual(["111111111111"]);
    expect(selection.missing).toEqual(["999999999999"]);
  });
});

describe("order, summary and exit status", () => {
  it("orders rows NON_COMPLIANT, ERROR, COMPLIANT, SKIPPED, then by account id, keeping every row", () => {
    fc.assert(
      fc.property(outcomes, (list) => {
        // Act
        const ordered = orderOutcomes(list);
        // Assess
        expect(ordered).toHaveLength(list.length);
        for (let i = 1; i < ordered.length; i++) {
          const [a, b] = [ordered[i - 1] as AccountOutcome, ordered[i] as AccountOutcome];
          const rank = VERDICT_ORDER.indexOf(rowVerdict(a)) - VERDICT_ORDER.indexOf(rowVerdict(b));
          expect(rank < 0 || (rank === 0 && a.account.id < b.account.id)).toBe(true);
        }
      }),
    );
  });

  it("exits 1 on any NON_COMPLIANT, else 2 on any error or nothing evaluated, else 0; the counts add up", () => {
    fc.assert(
      fc.property(outcomes, fc.nat(50), (list, retries) => {
        // Act
        const summary = summarize(list, retries);
        // Assess
        const kinds = list.map(rowVerdict);
        expect(summary.nonCompliant + summary.compliant + summary.errors + summary.skipped).toBe(list.length);
        const expected = kinds.includes("NON_COMPLIANT")
          ? 1
          : kinds.includes("ERROR") || !kinds.includes("COMPLIANT")
            ? 2
            : 0;
        expect(summary.exitStatus).toBe(expected);
        expect(summary.retries).toBe(retries);
      }),
    );
  });

  it("never exits 0 unless every account evaluated is COMPLIANT and there is at least one", () => {
    fc.assert(
      fc.property(outcomes, (list) => {
        if (summarize(list, 0).exitStatus !== 0) return;
        const evaluated = list.filter((o) => rowVerdict(o) !== "SKIPPED");
        expect(evaluated.length).toBeGreaterThan(0);
        expect(evaluated.every((o) => rowVerdict(o) === "COMPLIANT")).toBe(true);
      }),
    );
  });
});

describe("table", () => {
  it("wraps text at spaces and splits a word longer than the width, never cutting a character", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "b", " ", "-"), maxLength: 300 }),
        fc.integer({ min: 1, max: 60 }),
        (text, width) => {
          // Act
          const lines = wrap(text, width);
          // Assess
          expect(lines.every((l) => l.length <= width)).toBe(true);
          expect(lines.join("").replace(/ /g, "")).toBe(text.replace(/ /g, ""));
        },
      ),
    );
  });

  it("shows a long annotation in full, wrapped under its row", () => {
    // Prepare
    const rows = [outcome("NON_COMPLIANT", "111122223333")];
    // Act
    const table = toTable(rows, NOW, 60);
    // Assess
    const annotation = (rows[0] as Extract<AccountOutcome, { kind: "evaluated" }>).verdict.annotation;
    const under = table
      .split("\n")
      .slice(2)
      .map((l) => l.trim());
    expect(under.join(" ")).toBe(annotation);
  });
});

describe("CSV", () => {
  it("quotes commas, quotes and line ends, and defuses a name a spreadsheet would run as a formula", () => {
    // Prepare
    const rows = [
      outcome("COMPLIANT", "111122223333", '=HYPERLINK("x"),\nevil'),
      outcome("SKIPPED", "222233334444", "plain"),
    ];
    // Act
    const parsed = parse(toCsv(rows, NOW, params), { columns: true }) as Array<Record<string, string>>;
    // Assess
    expect(parsed.map((r) => [r.account_id, r.account_name, r.verdict])).toEqual([
      ["111122223333", `'=HYPERLINK("x"),\nevil`, "COMPLIANT"],
      ["222233334444", "plain", "SKIPPED"],
    ]);
  });
});

describe("progress bar", () => {
  it("shows done/total, NON_COMPLIANT and errors so far, and elapsed time, within the terminal's width", () => {
    // Act
    const frame = progressFrame({ done: 12, total: 45, nonCompliant: 2, errors: 1, elapsedMs: 67_000 }, 80);
    // Assess
    expect(frame).toMatch(/^\[#+\.+\] 12\/45 accounts {2}NON_COMPLIANT 2 {2}errors 1 {2}1:07$/);
    expect(frame.length).toBeLessThan(80);
    for (const columns of [10, 40, 200]) {
      expect(
        progressFrame({ done: 1, total: 2, nonCompliant: 0, errors: 0, elapsedMs: 0 }, columns).length,
      ).toBeLessThan(columns);
    }
  });

  it("writes nothing without a terminal, and clears its line when done on one", () => {
    // Prepare
    const written: string[] = [];
    // Act
    const silent = new ProgressBar(undefined, () => 0);
    silent.update({ done: 1, total: 2, nonCompliant: 0, errors: 0 });
    silent.finish();
    const drawn = new ProgressBar({ write: (t) => written.push(t), columns: 80 }, () => 0);
    drawn.update({ done: 1, total: 2, nonCompliant: 0, errors: 0 });
    drawn.finish();
    // Assess
    expect(written[0]?.startsWith("\r[")).toBe(true);
    expect(written[0]).toContain("] 1/2 accounts");
    expect(written[0]?.endsWith("\u001b[K")).toBe(true);
    expect(written.at(-1)).toBe("\r\x1b[K");
  });
});
