/**
 * fast-check arbitraries for credential reports: IAM-legal user names, placeholders and booleans in any letter
 * case, ISO 8601 timestamps with any offset and fractional digits, and whole reports in any column order with
 * unknown extra columns, BOM, CRLF and quoting. Reports are written with `buildReport`, so the CSV quoting is the
 * builder's, not a second implementation.
 */
import fc from "fast-check";
import { AWS_COLUMNS, buildReport, quoteField, type Row, rootRow, userRow } from "./report-builder.ts";

export const DAY_MS = 86_400_000;

/** The three columns whose most recent date is root's last use. */
export const DATE_COLUMNS = [
  "password_last_used",
  "access_key_1_last_used_date",
  "access_key_2_last_used_date",
] as const;
export type DateColumn = (typeof DATE_COLUMNS)[number];

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(AWS_COLUMNS);

/** `N/A`, `no_information`, `not_supported` or empty, in any letter case. */
export const placeholderText: fc.Arbitrary<string> = fc.mixedCase(
  fc.constantFrom("N/A", "no_information", "not_supported", ""),
);

/** `true`/`false` in any letter case. */
export function booleanText(value: boolean): fc.Arbitrary<string> {
  return fc.mixedCase(fc.constant(String(value)));
}

/** A user name IAM accepts: 1–64 of `A-Z a-z 0-9 + = , . @ _ -`, biased towards commas and other specials. */
export const iamUserName: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,64}$/),
  fc.stringMatching(/^[,.@=+_-]{1,8}$/),
  fc.constantFrom(",", ",,", "a,b", "ops,admin@example.com", "-", "x@y.z"),
);

/** How a timestamp is written: `Z` or an offset in minutes (±18:00), and 0–9 fractional digits. */
export interface TimestampStyle {
  readonly offsetMinutes: number | "Z";
  readonly fractionDigits: number;
  /** Digits after the third fractional digit (sub-millisecond); length `fractionDigits - 3` when positive. */
  readonly subMillisecondDigits: string;
}

/**
 * Writes `at` as ISO 8601 in `style`. With fewer than 3 fractional digits the text denotes `at` only when its
 * milliseconds are representable (see {@link timestampStyleFor}).
 */
export function formatTimestamp(at: Date, style: TimestampStyle): string {
  const offset = style.offsetMinutes === "Z" ? 0 : style.offsetMinutes;
  const local = new Date(at.getTime() + offset * 60_000).toISOString();
  const millis = local.slice(20, 23);
  const fraction =
    style.fractionDigits === 0
      ? ""
      : `.${style.fractionDigits <= 3 ? millis.slice(0, style.fractionDigits) : millis + style.subMillisecondDigits}`;
  return `${local.slice(0, 19)}${fraction}${offsetText(style.offsetMinutes)}`;
}

function offsetText(offset: number | "Z"): string {
  if (offset === "Z") return "Z";
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${offset < 0 ? "-" : "+"}${hh}:${mm}`;
}

/** Offsets IAM-like data may carry: `Z`, common ones, and any minute within ±18:00. */
export const offsetMinutes: fc.Arbitrary<number | "Z"> = fc.oneof(
  fc.constant<"Z">("Z"),
  fc.constantFrom(0, -300, 60, 330, 345, -210, 840, -720, 1080, -1080),
  fc.integer({ min: -18 * 60, max: 18 * 60 }),
);

/**
 * Styles that denote `at` exactly, to the millisecond: fewer than 3 fractional digits only when the milliseconds
 * allow it. `subMillisecond: "zeros"` writes zeros after the third digit, so the text denotes exactly `at`;
 * `"random"` writes any digits, so the text denotes `at` plus less than a millisecond.
 */
export function timestampStyleFor(
  at: Date,
  subMillisecond: "zeros" | "random" = "zeros",
): fc.Arbitrary<TimestampStyle> {
  const ms = at.getUTCMilliseconds();
  const minDigits = ms === 0 ? 0 : ms % 100 === 0 ? 1 : ms % 10 === 0 ? 2 : 3;
  return fc
    .record({ offsetMinutes, fractionDigits: fc.integer({ min: minDigits, max: 9 }) })
    .chain(({ offsetMinutes: offset, fractionDigits }) => {
      const extra = Math.max(0, fractionDigits - 3);
      const digits =
        subMillisecond === "zeros"
          ? fc.constant("0".repeat(extra))
          : fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: extra, maxLength: extra });
      return digits.map((subMillisecondDigits) => ({
        offsetMinutes: offset,
        fractionDigits,
        subMillisecondDigits,
      }));
    });
}

/** An instant in [min, max] (ms), often on a whole second so that short fractions get exercised too. */
export function instantBetween(min: number, max: number): fc.Arbitrary<Date> {
  return fc
    .oneof(
      fc.integer({ min, max }),
      fc.integer({ min, max }).map((t) => Math.min(max, Math.max(min, Math.ceil(t / 1000) * 1000))),
    )
    .map((t) => new Date(t));
}

/** A timestamp text for an instant from `instants`, and the instant it denotes (exact to the millisecond). */
export function timestampText(
  instants: fc.Arbitrary<Date>,
  subMillisecond: "zeros" | "random" = "zeros",
): fc.Arbitrary<{ readonly text: string; readonly at: Date }> {
  return instants.chain((at) =>
    timestampStyleFor(at, subMillisecond).map((style) => ({ text: formatTimestamp(at, style), at })),
  );
}

/** A root ARN in any partition, for any account. */
export const rootArn: fc.Arbitrary<{
  readonly arn: string;
  readonly accountId: string;
  readonly partition: string;
}> = fc
  .record({
    partition: fc.constantFrom("aws", "aws-us-gov", "aws-cn"),
    accountId: fc.stringMatching(/^\d{12}$/),
  })
  .map(({ partition, accountId }) => ({
    arn: `arn:${partition}:iam::${accountId}:root`,
    accountId,
    partition,
  }));

/** The layout of a report: column order, header spelling, unknown columns, BOM, line end, quoting. */
export interface ReportShape {
  /** Column names as the builder keys rows (AWS's names and the unknown extras), in header order. */
  readonly columns: readonly string[];
  /** The header as written: the same names in any letter case, maybe padded with spaces. */
  readonly header: readonly string[];
  /** The unknown extra columns, a subset of `columns`. */
  readonly extras: readonly string[];
  readonly bom: boolean;
  readonly lineEnd: "\n" | "\r\n";
  readonly quoteAll: boolean;
}

/** Unknown column names, unlike any column the rule reads or AWS writes. */
const extraColumnName = fc
  .stringMatching(/^[a-z][a-z0-9_]{0,24}$/)
  .filter((name) => !KNOWN_COLUMNS.has(name));

/** Values for unknown columns: text that needs quoting as well as plain text. */
export const extraValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(",", '"', "a,b", 'say "hi"', "line\nbreak", "crlf\r\nx", "\n", ""),
);

export interface ShapeOptions {
  /** Keep AWS's column order (extras appended at the end). Default false: any order. */
  readonly awsOrder?: boolean;
  /** Allow header names in mixed case and padded with spaces. Default true. */
  readonly headerVariants?: boolean;
}

/** Any report layout the rule must accept. */
export function reportShape(options: ShapeOptions = {}): fc.Arbitrary<ReportShape> {
  return fc
    .record({
      extras: fc.uniqueArray(extraColumnName, { maxLength: 4 }),
      bom: fc.boolean(),
      lineEnd: fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
      quoteAll: fc.boolean(),
    })
    .chain(({ extras, bom, lineEnd, quoteAll }) => {
      const all = [...AWS_COLUMNS, ...extras];
      const order = options.awsOrder
        ? fc.constant(all)
        : fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
      return order.chain((columns) =>
        fc
          .tuple(
            ...columns.map((name) =>
              options.headerVariants === false
                ? fc.constant(name)
                : fc
                    .tuple(
                      fc.constantFrom("", " ", "  "),
                      fc.mixedCase(fc.constant(name)),
                      fc.constantFrom("", " "),
                    )
                    .map(([before, text, after]) => `${before}${text}${after}`),
            ),
          )
          .map((header) => ({ columns, header, extras, bom, lineEnd, quoteAll })),
      );
    });
}

/** Writes `rows` (keyed by the shape's `columns`) under the shape's header. */
export function renderReport(shape: ReportShape, rows: readonly Row[]): string {
  const displayRows = rows.map((row) => {
    const display: Row = {};
    shape.columns.forEach((column, i) => {
      display[shape.header[i] as string] = row[column] ?? "";
    });
    return display;
  });
  return buildReport({
    columns: shape.header,
    rows: displayRows,
    bom: shape.bom,
    lineEnd: shape.lineEnd,
    quoteAll: shape.quoteAll,
  });
}

/** One field of a line of `renderReport`: its bytes `[start, end)` as written, quotes included, without the comma. */
export interface FieldSpan {
  /** The builder's column name (the shape's `columns`), also for the header line. */
  readonly column: string;
  /** The value: the header text as written for the header line, the row's cell for the other lines. */
  readonly value: string;
  /** The value as written: `quoteField`'s output. */
  readonly text: string;
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

/** One line of `renderReport`: `[start, end)`, `end` past its line end; `contentEnd` before it. */
export interface LineSpan {
  readonly start: number;
  readonly contentEnd: number;
  readonly end: number;
  readonly fields: readonly FieldSpan[];
}

/** Where everything lies in `renderReport(shape, rows)`, in bytes: what a corruption at a byte offset hits. */
export interface ReportLayout {
  readonly bomLength: number;
  /** The header line, then one line per row (row `i` is line `i + 1`). */
  readonly lines: readonly LineSpan[];
}

/**
 * The byte layout of `renderReport(shape, rows)`, from the same `quoteField` that writes it.
 *
 * @example
 * ```ts
 * const root = reportLayout(shape, rows).lines[rootIndex + 1];
 * ```
 */
export function reportLayout(shape: ReportShape, rows: readonly Row[]): ReportLayout {
  const bomLength = shape.bom ? Buffer.byteLength("\ufeff") : 0;
  const lineEndLength = Buffer.byteLength(shape.lineEnd);
  const values = [shape.header, ...rows.map((row) => shape.columns.map((column) => row[column] ?? ""))];
  let offset = bomLength;
  const lines = values.map((line): LineSpan => {
    const start = offset;
    const fields = line.map((value, i): FieldSpan => {
      if (i > 0) offset += 1; // the comma
      const text = quoteField(value, shape.quoteAll);
      const field = {
        column: shape.columns[i] as string,
        value,
        text,
        quoted: text !== value,
        start: offset,
        end: offset + Buffer.byteLength(text),
      };
      offset = field.end;
      return field;
    });
    const contentEnd = offset;
    offset += lineEndLength;
    return { start, contentEnd, end: offset, fields };
  });
  return { bomLength, lines };
}

/** A date or placeholder for another user's date column: anything, other users never matter (cheap: no chain). */
const otherUserDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("N/A", "n/a", "no_information", "NOT_SUPPORTED", ""),
  fc
    .tuple(
      fc.integer({ min: Date.UTC(2006, 0, 1), max: Date.UTC(2100, 0, 1) }),
      fc.constantFrom("+00:00", "Z", "-05:00", ".5+01:00", ".123456Z"),
    )
    .map(([t, suffix]) => `${new Date(t).toISOString().slice(0, 19)}${suffix}`),
);

const otherUserFlag = fc.constantFrom("true", "false", "TRUE", "False");

/** An IAM user's row with random dates and flags (other users' rows never decide the verdict). */
export function otherUserRow(extras: readonly string[]): fc.Arbitrary<Row> {
  return fc
    .record({
      name: iamUserName,
      password: otherUserDate,
      key1: otherUserDate,
      key2: otherUserDate,
      key1Active: otherUserFlag,
      key2Active: otherUserFlag,
      extraValues: fc.array(extraValue, { minLength: extras.length, maxLength: extras.length }),
    })
    .map(({ name, password, key1, key2, key1Active, key2Active, extraValues }) => ({
      ...userRow(name, {
        password_last_used: password,
        access_key_1_last_used_date: key1,
        access_key_2_last_used_date: key2,
        access_key_1_active: key1Active,
        access_key_2_active: key2Active,
      }),
      ...Object.fromEntries(extras.map((column, i) => [column, extraValues[i] ?? ""])),
    }));
}

/** Other users: 0–`max` rows; half the time a count drawn evenly from 0–`max` (fc.array alone keeps it small). */
export function otherUsers(extras: readonly string[], max = 50): fc.Arbitrary<Row[]> {
  const row = otherUserRow(extras);
  return fc.oneof(
    fc.array(row, { maxLength: max }),
    fc.integer({ min: 0, max }).chain((n) => fc.array(row, { minLength: n, maxLength: n })),
  );
}

/** The `user` cell of the root row: `<root_account>`, maybe with spaces around it (the rule trims). */
export const rootUserText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("", " ", "\t"), fc.constantFrom("", " ", "  "))
  .map(([before, after]) => `${before}<root_account>${after}`);

/** Values of a root row's date columns, and the instants they denote (null for a placeholder). */
export interface RootDates {
  readonly texts: Readonly<Record<DateColumn, string>>;
  readonly instants: Readonly<Record<DateColumn, Date | null>>;
}

/** One date cell: a placeholder (null instant) or a timestamp from `instants`. */
export function dateCell(
  instants: fc.Arbitrary<Date>,
  subMillisecond: "zeros" | "random" = "zeros",
): fc.Arbitrary<{ readonly text: string; readonly at: Date | null }> {
  return fc.oneof(
    placeholderText.map((text) => ({ text, at: null })),
    timestampText(instants, subMillisecond),
  );
}

/** Builds a root row from its parts, plus values for the unknown columns. */
export function composeRootRow(parts: {
  readonly user: string;
  readonly arn: string;
  readonly dates: Readonly<Record<DateColumn, string>>;
  readonly key1Active: string;
  readonly key2Active: string;
  readonly mfaActive: string;
  readonly extras: readonly string[];
  readonly extraValues: readonly string[];
}): Row {
  return {
    ...rootRow({
      user: parts.user,
      arn: parts.arn,
      ...parts.dates,
      access_key_1_active: parts.key1Active,
      access_key_2_active: parts.key2Active,
      mfa_active: parts.mfaActive,
    }),
    ...Object.fromEntries(parts.extras.map((column, i) => [column, parts.extraValues[i] ?? ""])),
  };
}

/** Inserts `row` into `rows` at `position` (clamped). */
export function insertAt<T>(rows: readonly T[], position: number, row: T): T[] {
  const at = Math.max(0, Math.min(rows.length, position));
  return [...rows.slice(0, at), row, ...rows.slice(at)];
}
