/**
 * Properties of evaluate(): what holds for every report, not only for the hand-picked scenarios of
 * evaluate.spec.test.ts. Reports are generated in any layout the spec allows (column order, unknown columns,
 * header case, BOM, CRLF, quoting, other users with IAM-legal names around a root row at any position).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_ANNOTATION_LENGTH } from "../rule/annotation.ts";
import { evaluate } from "../rule/evaluate.ts";
import { DEFAULT_PARAMETERS, type RuleParameters } from "../rule/params.ts";
import type { Verdict } from "../rule/verdict.ts";
import {
  booleanText,
  composeRootRow,
  DATE_COLUMNS,
  DAY_MS,
  type DateColumn,
  dateCell,
  extraValue,
  insertAt,
  instantBetween,
  otherUsers,
  type ReportShape,
  renderReport,
  reportShape,
  rootArn,
  rootUserText,
  rowByteSpan,
  timestampText,
} from "./support/arbitraries.ts";
import { AWS_COLUMNS, type Row } from "./support/report-builder.ts";

const MIN_NOW = Date.UTC(2000, 0, 1);
const MAX_NOW = Date.UTC(2200, 0, 1);
/** Earliest instant any offset (±18:00) still writes with a year of 1970 or later. */
const EARLIEST = Date.UTC(1970, 0, 2);

/** Every verdict, whatever the input: the invariants of rules 5 and 6. */
function expectWellFormed(verdict: Verdict): void {
  expect(verdict.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  const cannotVerify = verdict.annotation.startsWith("Cannot verify");
  expect(verdict.reason === "cannot-verify" || verdict.reason === "stale-report").toBe(cannotVerify);
  if (verdict.reason === "cannot-verify") {
    expect(verdict.complianceType).toBe("NON_COMPLIANT");
    expect(verdict.activity).toBeNull();
  }
  const compliantReasons = ["never-used", "not-used-in-window"];
  expect(verdict.complianceType === "COMPLIANT").toBe(compliantReasons.includes(verdict.reason));
}

/** Calls evaluate, failing the property (instead of crashing the run) if it throws. */
function evaluateSafely(report: string | Uint8Array, now: Date, params: RuleParameters): Verdict {
  let verdict: Verdict | undefined;
  expect(() => {
    verdict = evaluate(report, now, params);
  }).not.toThrow();
  return verdict as Verdict;
}

type InputForm = "string" | "buffer" | "view";

/** The same report as a string, a Buffer, or a Uint8Array view at an odd offset into a larger buffer. */
function asInput(report: string, form: InputForm): string | Uint8Array {
  if (form === "string") return report;
  const bytes = Buffer.from(report);
  if (form === "buffer") return bytes;
  const backing = new Uint8Array(bytes.byteLength + 13).fill(0x22);
  backing.set(bytes, 7);
  return new Uint8Array(backing.buffer, 7, bytes.byteLength);
}

/**
 * Where in a report to corrupt it, as a fraction in [0, 1]. Not fc.double: its values cluster at 0 and 1 (it is
 * uniform over representations, not values), which would leave the middle of a report untouched.
 */
const fraction = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);

const inputForm = fc.constantFrom<InputForm>("string", "buffer", "view");

const parameters = fc.record({
  lookbackDays: fc.oneof(fc.integer({ min: 1, max: 3650 }), fc.constantFrom(1, 30, 90, 3650)),
  failOnActiveAccessKeys: fc.boolean(),
  executionRoleName: fc.constant(undefined),
  cloudTrailLookup: fc.boolean(),
  cloudTrailRegions: fc.constant(undefined),
  countCentralizedRootSessions: fc.boolean(),
});

interface Scenario {
  readonly shape: ReportShape;
  readonly rows: readonly Row[];
  readonly rootIndex: number;
  readonly now: Date;
  readonly params: RuleParameters;
  readonly dates: Readonly<Record<DateColumn, { readonly text: string; readonly at: Date | null }>>;
  readonly keyActive: readonly [boolean, boolean];
  readonly accountId: string;
  readonly partition: string;
  readonly report: string;
}

/**
 * A report with one root row at any position among other users, in any layout; the root row's three date
 * cells come from `dateCells(now, params)`.
 */
function scenario(
  dateCells: (
    now: Date,
    params: RuleParameters,
  ) => fc.Arbitrary<Record<DateColumn, { readonly text: string; readonly at: Date | null }>>,
  options: { readonly maxUsers?: number; readonly shape?: fc.Arbitrary<ReportShape> } = {},
): fc.Arbitrary<Scenario> {
  return fc
    .record({
      now: instantBetween(MIN_NOW, MAX_NOW),
      params: parameters,
      shape: options.shape ?? reportShape(),
    })
    .chain(({ now, params, shape }) =>
      fc
        .record({
          dates: dateCells(now, params),
          users: otherUsers(shape.extras, options.maxUsers ?? 50),
          position: fc.nat(),
          user: rootUserText,
          arn: rootArn,
          caseOf: fc
            .tuple(fc.boolean(), fc.boolean(), fc.boolean())
            .chain(([a, b, c]) =>
              fc
                .tuple(booleanText(a), booleanText(b), booleanText(c))
                .map((texts) => ({ flags: [a, b, c] as const, texts })),
            ),
          extraValues: fc.array(extraValue, {
            minLength: shape.extras.length,
            maxLength: shape.extras.length,
          }),
        })
        .map(({ dates, users, position, user, arn, caseOf, extraValues }) => {
          const root = composeRootRow({
            user,
            arn: arn.arn,
            dates: {
              password_last_used: dates.password_last_used.text,
              access_key_1_last_used_date: dates.access_key_1_last_used_date.text,
              access_key_2_last_used_date: dates.access_key_2_last_used_date.text,
            },
            key1Active: caseOf.texts[0],
            key2Active: caseOf.texts[1],
            mfaActive: caseOf.texts[2],
            extras: shape.extras,
            extraValues,
          });
          const rootIndex = position % (users.length + 1);
          const rows = insertAt(users, rootIndex, root);
          return {
            shape,
            rows,
            rootIndex,
            now,
            params,
            dates,
            keyActive: [caseOf.flags[0], caseOf.flags[1]] as const,
            accountId: arn.accountId,
            partition: arn.partition,
            report: renderReport(shape, rows),
          };
        }),
    );
}

/** Instants around `now` for a window of `lookbackDays`: well inside, well outside, on the edges, in the future. */
function instantsAround(now: Date, lookbackDays: number): fc.Arbitrary<Date> {
  const t = now.getTime();
  const edge = t - lookbackDays * DAY_MS;
  return fc.oneof(
    instantBetween(edge + 1, t),
    instantBetween(EARLIEST, edge),
    instantBetween(t + 1, t + 5 * 365 * DAY_MS),
    fc.integer({ min: -3000, max: 3000 }).map((d) => new Date(edge + d)),
    fc.integer({ min: -3000, max: 3000 }).map((d) => new Date(t + d)),
    fc.constantFrom(new Date(edge), new Date(t)),
  );
}

/** Three independent date cells, each a placeholder or any instant around the window. */
function anyDates(now: Date, params: RuleParameters) {
  const cell = dateCell(instantsAround(now, params.lookbackDays));
  return fc.record({
    password_last_used: cell,
    access_key_1_last_used_date: cell,
    access_key_2_last_used_date: cell,
  });
}

/** One date column (any of the three) inside the window; the others anything at all. */
function oneDateInWindow(now: Date, params: RuleParameters) {
  const t = now.getTime();
  const edge = t - params.lookbackDays * DAY_MS;
  const inside = timestampText(instantBetween(edge + 1, t), "random");
  const other = dateCell(
    fc.oneof(
      instantBetween(EARLIEST, edge),
      instantBetween(edge + 1, t),
      instantBetween(t + 1, t + 365 * DAY_MS),
    ),
    "random",
  );
  return fc
    .record({ column: fc.constantFrom(...DATE_COLUMNS), inside, a: other, b: other, c: other })
    .map(({ column, inside: used, a, b, c }) => ({
      password_last_used: a,
      access_key_1_last_used_date: b,
      access_key_2_last_used_date: c,
      [column]: used,
    }));
}

/** The spec's rules 2–4, written independently of rule/: the most recent instant against the window. */
function reference(s: Scenario): Pick<Verdict, "complianceType" | "reason"> & { lastUse: number | null } {
  const instants = DATE_COLUMNS.map((column) => s.dates[column].at?.getTime()).filter(
    (t): t is number => t !== undefined,
  );
  const lastUse = instants.length === 0 ? null : Math.max(...instants);
  const now = s.now.getTime();
  if (lastUse !== null && lastUse > now)
    return { complianceType: "NON_COMPLIANT", reason: "used-in-future", lastUse };
  if (lastUse !== null && now - lastUse < s.params.lookbackDays * 86_400 * 1000) {
    return { complianceType: "NON_COMPLIANT", reason: "used-in-window", lastUse };
  }
  if (s.params.failOnActiveAccessKeys && (s.keyActive[0] || s.keyActive[1])) {
    return { complianceType: "NON_COMPLIANT", reason: "active-access-key", lastUse };
  }
  return {
    complianceType: "COMPLIANT",
    reason: lastUse === null ? "never-used" : "not-used-in-window",
    lastUse,
  };
}

describe("evaluate: root use within the window is never COMPLIANT", () => {
  it("is NON_COMPLIANT (used) for a date inside the window in any date column, layout, case, offset and position", () => {
    fc.assert(
      fc.property(scenario(oneDateInWindow), inputForm, (s, form) => {
        // Act
        const verdict = evaluateSafely(asInput(s.report, form), s.now, s.params);
        // Assess
        expectWellFormed(verdict);
        expect(verdict.complianceType).toBe("NON_COMPLIANT");
        expect(["used-in-window", "used-in-future"]).toContain(verdict.reason);
      }),
      { numRuns: 300 },
    );
  });
});

describe("evaluate: agrees with a reference implementation of rules 2–4", () => {
  it("gives the reference verdict, last use and account for random root rows and lookbackDays 1–3650", () => {
    fc.assert(
      fc.property(scenario(anyDates, { maxUsers: 8 }), inputForm, (s, form) => {
        // Prepare
        const expected = reference(s);
        // Act
        const verdict = evaluateSafely(asInput(s.report, form), s.now, s.params);
        // Assess
        expectWellFormed(verdict);
        expect({ complianceType: verdict.complianceType, reason: verdict.reason }).toEqual({
          complianceType: expected.complianceType,
          reason: expected.reason,
        });
        expect(verdict.activity?.lastUse?.at.getTime() ?? null).toBe(expected.lastUse);
        expect(verdict.activity?.activeAccessKeys).toEqual([1, 2].filter((_, i) => s.keyActive[i]));
        expect(verdict.accountId).toBe(s.accountId);
        expect(verdict.partition).toBe(s.partition);
      }),
      { numRuns: 300 },
    );
  });
});

describe("evaluate: never throws, and every verdict is well formed", () => {
  const NOW = new Date("2026-11-29T12:00:00Z");
  const params: RuleParameters = DEFAULT_PARAMETERS;
  const header = AWS_COLUMNS.join(",");
  const token = fc.oneof(
    fc.constantFrom(
      ",",
      '"',
      '""',
      "\n",
      "\r\n",
      "\r",
      "<root_account>",
      " <root_account> ",
      "arn:aws:iam::111122223333:root",
      "N/A",
      "no_information",
      "true",
      "FALSE",
      "2026-11-28T00:00:00+00:00",
      "1969-12-31T23:59:59Z",
      "\ufeff",
      "\u0000",
      " ",
      header,
    ),
    fc.string({ maxLength: 6 }),
  );
  /** Text that looks like a credential report: a real header, then CSV-ish soup of report tokens. */
  const csvSoup = fc
    .tuple(fc.boolean(), fc.array(token, { maxLength: 120 }))
    .map(([withHeader, tokens]) => `${withHeader ? `${header}\n` : ""}${tokens.join("")}`);

  const sources: Array<[string, fc.Arbitrary<string | Uint8Array>]> = [
    ["printable strings", fc.string({ maxLength: 300 })],
    ["full-Unicode strings", fc.string({ unit: "binary", maxLength: 300 })],
    [
      "strings with lone surrogates",
      fc.string({
        unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
        maxLength: 200,
      }),
    ],
    ["byte arrays", fc.uint8Array({ maxLength: 2000 })],
    ["CSV-like soup with a real header", csvSoup],
  ];
  for (const [name, source] of sources) {
    it(`never throws and stays well formed for ${name}`, () => {
      fc.assert(
        fc.property(source, (report) => {
          // Act
          const verdict = evaluateSafely(report, NOW, params);
          // Assess
          expectWellFormed(verdict);
        }),
        { numRuns: 200 },
      );
    });
  }
});

describe("evaluate: corrupted reports", () => {
  type Region = "before" | "inside" | "after";
  /** A valid report and its verdict, where its root row lies in bytes, and a byte position to corrupt. */
  const corruptible = (
    shape?: fc.Arbitrary<ReportShape>,
    regions: Region[] = ["before", "inside", "after"],
  ) =>
    fc
      .tuple(
        scenario(anyDates, { maxUsers: 12, ...(shape ? { shape } : {}) }),
        fc.constantFrom(...regions),
        fraction,
      )
      .map(([s, region, at]) => {
        const bytes = Buffer.from(s.report);
        const root = rowByteSpan(s.shape, s.rows, s.rootIndex);
        // Positions are biased to the region around the root row that each property is about.
        const [from, to] = {
          before: [0, root.start],
          inside: [root.start, root.end],
          after: [root.end, bytes.length],
        }[region] as [number, number];
        const position = from + Math.floor(at * (to - from));
        const where: Region = position < root.start ? "before" : position < root.end ? "inside" : "after";
        return { s, bytes, original: evaluate(bytes, s.now, s.params), position, where };
      });
  const sameOrCannotVerify = (verdict: Verdict, original: Verdict) => {
    if (verdict.reason === "cannot-verify") return;
    expect({ complianceType: verdict.complianceType, reason: verdict.reason }).toEqual({
      complianceType: original.complianceType,
      reason: original.reason,
    });
  };
  /** Cuts reports of `shapes` anywhere: each verdict is well formed, and the original one or Cannot verify. */
  const assertTruncatedSameOrCannotVerify = (shapes: fc.Arbitrary<ReportShape>) =>
    fc.assert(
      fc.property(corruptible(shapes), (c) => {
        // Prepare
        const cut = c.bytes.subarray(0, c.position);
        // Act
        const verdict = evaluateSafely(cut, c.s.now, c.s.params);
        // Assess
        expectWellFormed(verdict);
        sameOrCannotVerify(verdict, c.original);
      }),
      { numRuns: 200 },
    );
  const flip = (bytes: Buffer, position: number, xor: number): Buffer => {
    const flipped = Buffer.from(bytes);
    if (position < flipped.length) flipped[position] = (flipped[position] as number) ^ xor;
    return flipped;
  };

  it("truncated anywhere (AWS's column order), gives the original verdict or Cannot verify", () => {
    // A cut before the end of the root row leaves no complete root row (no root row, or a row with too few
    // fields), except a cut inside its last field: in AWS's order that is cert_2_last_rotated or an unknown
    // column, which the rule does not read. A cut after the root row removes only other users' rows.
    assertTruncatedSameOrCannotVerify(reportShape({ awsOrder: true }));
  });

  it("truncated anywhere (any column order whose last column is not a date column), gives the original verdict or Cannot verify", () => {
    // When the last column is a date column and the root row is the last row, a cut just after the row's last
    // comma leaves that date empty, which the spec reads as "no use" (a known limit of CSV, reported).
    const notDateLast = reportShape().filter(
      (shape) => !(DATE_COLUMNS as readonly string[]).includes(shape.columns.at(-1) as string),
    );
    assertTruncatedSameOrCannotVerify(notDateLast);
  });

  it("truncated after the root row, gives exactly the original verdict", () => {
    // The root row is complete (its line end was read); what is cut are other users' rows, which hold nothing
    // about root. (A second root row cut away cannot be seen: the report then is a valid shorter report.)
    fc.assert(
      fc.property(corruptible(undefined, ["after"]), (c) => {
        // Act
        const verdict = evaluateSafely(c.bytes.subarray(0, c.position), c.s.now, c.s.params);
        // Assess
        expect(verdict).toEqual(c.original);
      }),
      { numRuns: 100 },
    );
  });

  it("with one byte changed outside the root row, gives the original verdict or Cannot verify (identical after it)", () => {
    fc.assert(
      fc.property(corruptible(undefined, ["before", "after"]), fc.integer({ min: 1, max: 255 }), (c, xor) => {
        // Prepare
        const flipped = flip(c.bytes, c.position, xor);
        // Act
        const verdict = evaluateSafely(flipped, c.s.now, c.s.params);
        // Assess
        expectWellFormed(verdict);
        if (c.where === "after") expect(verdict).toEqual(c.original);
        else sameOrCannotVerify(verdict, c.original);
      }),
      { numRuns: 250 },
    );
  });

  it("with one byte changed inside the root row, never throws and stays well formed", () => {
    // A changed digit is a different, valid date: no verdict can be promised, only a well-formed one.
    fc.assert(
      fc.property(corruptible(undefined, ["inside"]), fc.integer({ min: 1, max: 255 }), (c, xor) => {
        // Prepare
        const flipped = flip(c.bytes, c.position, xor);
        // Act
        const verdict = evaluateSafely(flipped, c.s.now, c.s.params);
        // Assess
        expectWellFormed(verdict);
      }),
      { numRuns: 150 },
    );
  });

  it("with a quote inserted anywhere, gives the original verdict or Cannot verify (identical after the root row)", () => {
    fc.assert(
      fc.property(corruptible(), (c) => {
        // Prepare
        const quoted = Buffer.concat([
          c.bytes.subarray(0, c.position),
          Buffer.from('"'),
          c.bytes.subarray(c.position),
        ]);
        // Act
        const verdict = evaluateSafely(quoted, c.s.now, c.s.params);
        // Assess
        expectWellFormed(verdict);
        if (c.where === "after") expect(verdict).toEqual(c.original);
        else sameOrCannotVerify(verdict, c.original);
      }),
      { numRuns: 300 },
    );
  });
});

describe("evaluate: more than one root row", () => {
  it("says Cannot verify for two <root_account> rows anywhere, in any layout", () => {
    const twoRoots = scenario(anyDates, { maxUsers: 20 }).chain((s) =>
      fc
        .record({ user: rootUserText, position: fc.nat(), identical: fc.boolean() })
        .map(({ user, position, identical }) => {
          const first = s.rows[s.rootIndex] as Row;
          const second = identical ? first : { ...first, user, password_last_used: "N/A" };
          const rows = insertAt(s.rows, position % (s.rows.length + 1), second);
          return { s, report: renderReport(s.shape, rows) };
        }),
    );
    fc.assert(
      fc.property(twoRoots, inputForm, ({ s, report }, form) => {
        // Act
        const verdict = evaluateSafely(asInput(report, form), s.now, s.params);
        // Assess
        expect(verdict.complianceType).toBe("NON_COMPLIANT");
        expect(verdict.reason).toBe("cannot-verify");
        expect(verdict.annotation).toMatch(/^Cannot verify.*more than one <root_account> row/);
      }),
      { numRuns: 150 },
    );
  });
});
