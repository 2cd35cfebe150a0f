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
 * Reads rows only up to the root row (AWS writes it first), so the cost does not grow with the number of IAM
 * users; the rest is only scanned, as bytes, for a second root row. No row is kept but the header and the root
 * row, so a report with the root row last streams through in constant memory.
 *
 * @example
 * ```ts
 * const result = findRootRow("user,arn,...\n<root_account>,arn:aws:iam::111122223333:root,...\n");
 * if (result.ok) console.log(result.row.passwordLastUsed);
 * else console.log(`Cannot verify: ${result.reason}`);
 * ```
 */
export function findRootRow(report: string | Uint8Array): RootRowResult {
  const bytes =
    typeof report === "string"
      ? Buffer.from(report)
      : Buffer.from(report.buffer, report.byteOffset, report.byteLength);
  if (bytes.byteLength === 0 || isBlank(bytes)) return { ok: false, reason: "the report is empty" };
  // csv-parse would decode a UTF-16 byte-order mark, but the byte scan for a second root row below is UTF-8.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, reason: "the report is UTF-16 text; IAM writes credential reports in UTF-8" };
  }
  const quick = scan(bytes, true);
  if (!quick.ok || quick.rootEnd === undefined) return quick.result;
  // A second root row after the first would hide which one is true; look for its bytes before trusting the first.
  if (bytes.indexOf(ROOT_BYTES, quick.rootEnd) === -1) return quick.result;
  return scan(bytes, false).result;
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
