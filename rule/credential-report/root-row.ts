import { CsvError, parse } from "csv-parse/sync";
import { COLUMNS, type ColumnKey, REQUIRED_COLUMNS, ROOT_USER } from "./columns.ts";

/** The root user's row: the cells the evaluation reads, by column key; `undefined` for an absent optional column. */
export type RootRow = Readonly<Record<ColumnKey, string | undefined>>;

/** Either the root row, or why the report cannot be verified (a sentence fragment for the annotation). */
export type RootRowResult =
  | { readonly ok: true; readonly row: RootRow }
  | { readonly ok: false; readonly reason: string };

/** A row larger than this is not a credential report row; stops hostile input from eating memory. */
export const MAX_ROW_BYTES = 64 * 1024;

const ROOT_BYTES = Buffer.from(ROOT_USER);

class StopParsing extends Error {}

/**
 * Finds the single `<root_account>` row of a credential report (CSV bytes or text).
 *
 * Wherever the root row is, only the header and the root row go through the CSV parser: the `<root_account>`
 * bytes are located with a byte search, and each place is proven to lie in a real row (a row boundary outside
 * any quoted field, found by walking the quotes and line ends from the header on) before that row alone is
 * parsed. The cost is a byte scan, whatever the number of IAM users and wherever the root row is. When that proof
 * fails (a misplaced or unclosed quote, a row over 64 KiB, lone CR line ends, a quoted header, no root row, two
 * root rows), the whole report goes through the parser, up to the root row and past it when more `<root_account>`
 * bytes follow, so every error is found and named as the parser names it.
 *
 * @example
 * ```ts
 * const result = findRootRow("user,arn,...\n<root_account>,arn:aws:iam::111122223333:root,...\n");
 * if (result.ok) console.log(result.row.passwordLastUsed);
 * else console.log(`Cannot verify: ${result.reason}`);
 * ```
 */
export function findRootRow(report: string | Uint8Array): RootRowResult {
  const bytes = asBuffer(report);
  const refused = refusedOutright(bytes);
  if (refused) return refused;
  return rootRowByBytes(bytes) ?? parseForRootRow(bytes);
}

/**
 * The root row by the byte search alone (see {@link findRootRow}), or `undefined` when the byte search cannot prove
 * it; exported so tests can check that it agrees with {@link findRootRowByParsing} and is taken for every layout
 * the rule accepts.
 *
 * @example
 * ```ts
 * findRootRowByBytes(csv) ?? findRootRowByParsing(csv);
 * ```
 */
export function findRootRowByBytes(report: string | Uint8Array): RootRowResult | undefined {
  const bytes = asBuffer(report);
  return refusedOutright(bytes) ?? rootRowByBytes(bytes);
}

/**
 * The root row by parsing the report with csv-parse up to the root row, and past it when more `<root_account>`
 * bytes follow: the path {@link findRootRow} takes when the byte search cannot prove its answer.
 *
 * @example
 * ```ts
 * const result = findRootRowByParsing(csv);
 * ```
 */
export function findRootRowByParsing(report: string | Uint8Array): RootRowResult {
  const bytes = asBuffer(report);
  return refusedOutright(bytes) ?? parseForRootRow(bytes);
}

function asBuffer(report: string | Uint8Array): Buffer {
  return typeof report === "string"
    ? Buffer.from(report)
    : Buffer.from(report.buffer, report.byteOffset, report.byteLength);
}

/** Empty and UTF-16 reports, refused before any search. */
function refusedOutright(bytes: Buffer): RootRowResult | undefined {
  if (bytes.byteLength === 0 || isBlank(bytes)) return { ok: false, reason: "the report is empty" };
  // csv-parse would decode a UTF-16 byte-order mark, but the byte searches here are UTF-8.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, reason: "the report is UTF-16 text; IAM writes credential reports in UTF-8" };
  }
  return undefined;
}

function parseForRootRow(bytes: Buffer): RootRowResult {
  const quick = scan(bytes, true);
  if (!quick.ok || quick.rootEnd === undefined) return quick.result;
  // A second root row after the first would hide which one is true; look for its bytes before trusting the first.
  if (bytes.indexOf(ROOT_BYTES, quick.rootEnd) === -1) return quick.result;
  return scan(bytes, false).result;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const CRLF = Buffer.from("\r\n");
const LF_ONLY = Buffer.from("\n");

/** More `<root_account>` places than this is no credential report: the parser decides. */
const MAX_CANDIDATES = 16;

/**
 * The root row found by a byte search and parsed alone with the header, or `undefined` when that cannot be
 * proven sound for this report (then the whole report is parsed).
 *
 * Sound because a row boundary is a record delimiter outside quotes, and the walk below only crosses quotes where
 * csv-parse accepts them: an opening quote at the start of a field, a closing quote before a comma, the record
 * delimiter or the end, `""` inside. Anything else makes csv-parse fail, and the walk gives up. The record
 * delimiter is the header's line end, as csv-parse discovers it.
 */
function rootRowByBytes(bytes: Buffer): RootRowResult | undefined {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const walker = new RowWalker(bytes);
  const headerEnd = walker.rowEnd(start, nextLineEnd, (at) => bytes[at] === LF || bytes[at] === CR);
  if (headerEnd === undefined || headerEnd <= start || headerEnd === bytes.length) return undefined;
  let delimiter: Buffer;
  if (bytes[headerEnd] === LF) delimiter = LF_ONLY;
  else if (bytes[headerEnd + 1] === LF) delimiter = CRLF;
  else return undefined; // lone CR line ends: rare enough to leave to the parser

  const candidates: number[] = [];
  for (
    let at = bytes.indexOf(ROOT_BYTES, headerEnd);
    at !== -1;
    at = bytes.indexOf(ROOT_BYTES, at + ROOT_BYTES.length)
  ) {
    candidates.push(at);
    if (candidates.length > MAX_CANDIDATES) return undefined;
  }
  if (candidates.length === 0) return undefined;

  // Walk the rows up to the last candidate; keep those that hold one.
  const rows: Array<[number, number]> = [];
  const findDelimiter = (within: Buffer, from: number) => within.indexOf(delimiter, from);
  const isDelimiter = (at: number) => startsWith(bytes, at, delimiter);
  let next = 0;
  for (let rowStart = headerEnd + delimiter.length; next < candidates.length; ) {
    const rowEnd = walker.rowEnd(rowStart, findDelimiter, isDelimiter);
    if (rowEnd === undefined || rowEnd - rowStart > MAX_ROW_BYTES) return undefined;
    let holds = false;
    for (; next < candidates.length && (candidates[next] as number) < rowEnd; next++) holds = true;
    if (holds) rows.push([rowStart, rowEnd]);
    if (rowEnd === bytes.length) break;
    rowStart = rowEnd + delimiter.length;
  }
  if (rows.length === 0) return undefined;

  const parts = [bytes.subarray(0, headerEnd + delimiter.length)];
  for (const [rowStart, rowEnd] of rows) {
    parts.push(bytes.subarray(rowStart, rowEnd === bytes.length ? rowEnd : rowEnd + delimiter.length));
  }
  const parsed = scan(Buffer.concat(parts), false);
  return parsed.ok ? parsed.result : undefined;
}

/** Finds where rows end, crossing quoted fields; every search stays inside the row it walks. */
class RowWalker {
  constructor(private readonly bytes: Buffer) {}

  /**
   * Where the row starting at `rowStart` ends (the index of its delimiter, or the report's length), or
   * `undefined` when a quote is where csv-parse refuses it or is never closed.
   */
  rowEnd(
    rowStart: number,
    findEnd: (bytes: Buffer, from: number) => number,
    isEnd: (at: number) => boolean,
  ): number | undefined {
    const bytes = this.bytes;
    let from = rowStart;
    let end = findEnd(bytes, from);
    for (;;) {
      const limit = end === -1 ? bytes.length : end;
      const found = bytes.subarray(from, limit).indexOf(QUOTE);
      if (found === -1) return limit;
      const quote = from + found;
      // A quoted field may only open at the start of a field.
      if (quote !== rowStart && bytes[quote - 1] !== COMMA) return undefined;
      let close = quote + 1;
      for (;;) {
        close = bytes.indexOf(QUOTE, close);
        if (close === -1) return undefined;
        if (bytes[close + 1] !== QUOTE) break;
        close += 2; // "" is a quote inside the field
      }
      const after = close + 1;
      if (after < bytes.length && bytes[after] !== COMMA && !isEnd(after)) return undefined;
      if (end !== -1 && end < after) end = findEnd(bytes, after);
      from = after;
    }
  }
}

/** The first CR or LF from `from`; the CR search stops at the LF, so an LF report is not scanned twice. */
function nextLineEnd(bytes: Buffer, from: number): number {
  const lf = bytes.indexOf(LF, from);
  const cr = bytes.subarray(from, lf === -1 ? bytes.length : lf).indexOf(CR);
  return cr === -1 ? lf : from + cr;
}

interface ScanOutcome {
  readonly ok: boolean;
  readonly result: RootRowResult;
  /** Byte offset just past the root row, when the scan stopped there. */
  readonly rootEnd?: number;
}

function scan(bytes: Buffer, stopAtRoot: boolean): ScanOutcome {
  let header: Map<ColumnKey, number> | undefined;
  let rootRow: RootRow | undefined;
  let rootLine = 0;
  let rootEnd: number | undefined;
  let headerProblem: string | undefined;
  try {
    parse(bytes, {
      bom: true,
      skip_empty_lines: true,
      max_record_size: MAX_ROW_BYTES,
      on_record: (record: string[], context) => {
        if (!header) {
          const located = locateColumns(record);
          if (typeof located === "string") {
            headerProblem = located;
            throw new StopParsing();
          }
          header = located;
          return null;
        }
        const userIndex = header.get("user") as number;
        if (record[userIndex]?.trim() !== ROOT_USER) return null;
        if (rootRow) {
          headerProblem = `the report has more than one ${ROOT_USER} row (lines ${rootLine} and ${context.lines})`;
          throw new StopParsing();
        }
        // A report cut off right after the root row's last comma reads as an empty last field, which would mean
        // "no use" if that column is a date: an unterminated root row must not end in an empty field.
        const terminated = context.bytes < bytes.length || isLineEnd(bytes[bytes.length - 1]);
        if (!terminated && record[record.length - 1] === "") {
          headerProblem = `the report ends inside the ${ROOT_USER} row (line ${context.lines})`;
          throw new StopParsing();
        }
        rootRow = pick(record, header);
        rootLine = context.lines;
        if (stopAtRoot) {
          rootEnd = context.bytes;
          throw new StopParsing();
        }
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof StopParsing)) {
      return {
        ok: false,
        result: { ok: false, reason: `the report is not valid CSV (${csvProblem(error)})` },
      };
    }
  }
  if (headerProblem) return { ok: false, result: { ok: false, reason: headerProblem } };
  if (!header) return { ok: false, result: { ok: false, reason: "the report is empty" } };
  if (!rootRow) return { ok: false, result: { ok: false, reason: `the report has no ${ROOT_USER} row` } };
  return { ok: true, result: { ok: true, row: rootRow }, ...(rootEnd === undefined ? {} : { rootEnd }) };
}

function locateColumns(headerRecord: string[]): Map<ColumnKey, number> | string {
  const names = headerRecord.map((name) => name.trim().toLowerCase());
  const located = new Map<ColumnKey, number>();
  const missing: string[] = [];
  for (const key of Object.keys(COLUMNS) as ColumnKey[]) {
    const name = COLUMNS[key];
    const index = names.indexOf(name);
    if (index === -1) {
      if (REQUIRED_COLUMNS.includes(key)) missing.push(name);
      continue;
    }
    if (names.indexOf(name, index + 1) !== -1) return `the report has column ${name} twice`;
    located.set(key, index);
  }
  if (missing.length === REQUIRED_COLUMNS.length) {
    return "the report has no credential report header (no user, arn or password_last_used column)";
  }
  if (missing.length > 0)
    return `the report has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}`;
  return located;
}

function pick(record: string[], header: Map<ColumnKey, number>): RootRow {
  const row: Partial<Record<ColumnKey, string>> = {};
  for (const [key, index] of header) row[key] = record[index];
  return row as RootRow;
}

function startsWith(bytes: Buffer, at: number, part: Buffer): boolean {
  for (let i = 0; i < part.length; i++) if (bytes[at + i] !== part[i]) return false;
  return true;
}

function isLineEnd(byte: number | undefined): boolean {
  return byte === 0x0a || byte === 0x0d;
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

function csvProblem(error: unknown): string {
  if (error instanceof CsvError) {
    const line = (error as unknown as { lines?: number }).lines;
    const what: Record<string, string> = {
      CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "a row has a different number of fields than the header",
      CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed",
      CSV_MAX_RECORD_SIZE: `a row is larger than ${MAX_ROW_BYTES / 1024} KiB`,
      CSV_INVALID_CLOSING_QUOTE: "a quote is misplaced",
      INVALID_OPENING_QUOTE: "a quote is misplaced",
    };
    const text = what[error.code] ?? error.code;
    return line ? `${text}, line ${line}` : text;
  }
  return "unreadable";
}
