import { fstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../errors.ts";
import { parseTimestamp } from "../timestamp.ts";

/**
 * How the report reached the CLI: the raw CSV, one of the AWS CLI's output formats of
 * `aws iam get-credential-report`, or the base64 `Content` alone (`--query Content --output text`).
 */
export type InputFormat =
  | "csv"
  | "aws-cli-json"
  | "aws-cli-text"
  | "aws-cli-yaml"
  | "aws-cli-yaml-stream"
  | "aws-cli-content";

/** A report as the user handed it to the CLI. */
export interface LoadedReport {
  /** The CSV bytes of the report. */
  readonly content: Uint8Array;
  /** The report's `GeneratedTime` from the AWS CLI's output; null for raw CSV and the `Content` alone. */
  readonly generatedTime: Date | null;
  readonly format: InputFormat;
  /** `stdin` for `-` and `/dev/stdin`. */
  readonly source: "file" | "stdin";
}

/** Standard input as the CLI reads it: a byte stream, and whether it is a terminal. */
export interface Stdin extends AsyncIterable<Buffer | string> {
  readonly isTTY?: boolean;
  /** Its file descriptor, when it has one (`process.stdin.fd` is 0). */
  readonly fd?: number;
}

/** Paths that are this process's standard input. */
const STDIN_PATHS = new Set(["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/** How to hand the report over, for the message when standard input is a terminal. */
const HOW_TO_PIPE =
  "standard input is a terminal: pipe the report in (aws iam get-credential-report | root-activity evaluate " +
  "--report -), or give a file name (--report report.csv)";

/** Names the AWS CLI's readable output formats, for messages about the others. */
const USE_JSON = "run aws iam get-credential-report with --output json (or text, yaml, yaml-stream)";

/**
 * Reads `--report <file|->` to its end and decodes it: raw CSV, or what `aws iam get-credential-report` prints in
 * any readable output format. Standard input (`-`, `/dev/stdin`) is read as a stream, however slowly and in however
 * many chunks it arrives. Throws {@link UsageError} with one line for I/O problems, a terminal on standard input,
 * and AWS CLI output that cannot be read; an empty report is not an error (the evaluation says it is empty).
 *
 * @example
 * ```ts
 * const report = await loadReport("-", process.stdin);
 * console.log(report.format, report.generatedTime);
 * ```
 */
export async function loadReport(path: string, stdin: () => Stdin): Promise<LoadedReport> {
  const fromStdin = STDIN_PATHS.has(path);
  const where = fromStdin ? "standard input" : clipPath(path);
  let bytes: Buffer;
  try {
    bytes = fromStdin ? await readAll(stdin()) : await readFile(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${where}: ${ioProblem(error)}`, { cause: error });
  }
  return { ...decodeReport(bytes, where), source: fromStdin ? "stdin" : "file" };
}

async function readAll(stream: Stdin): Promise<Buffer> {
  if (stream.isTTY) throw new UsageError(HOW_TO_PIPE);
  // Node gives a directory on standard input as an empty stream; say what it is.
  if (stream.fd !== undefined && fstatSync(stream.fd).isDirectory()) {
    throw Object.assign(new Error("standard input is a directory"), { code: "EISDIR" });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Tells the input's format from its first bytes and extracts the CSV report and its `GeneratedTime`. `where` names
 * the input in messages (a file name, or "standard input").
 *
 * @example
 * ```ts
 * decodeReport(Buffer.from("dXNlcg==\t2026-11-29T10:00:00+00:00\ttext/csv\n"), "report.txt").format; // "aws-cli-text"
 * ```
 */
export function decodeReport(bytes: Buffer, where: string): Omit<LoadedReport, "source"> {
  const text = startOfText(bytes);
  const firstLine = firstLineOf(bytes);
  if (text.startsWith("{")) return fromObject(parseJson(bytes, where), where, "aws-cli-json");
  if (/^-{8,}\s*$/.test(firstLine)) {
    throw new UsageError(`${where} is the AWS CLI's --output table, which cannot be read back: ${USE_JSON}`);
  }
  if (/^(?:---(?:\s|$)|(?:- )?[A-Za-z][A-Za-z0-9]*:(?:\s|$))/.test(firstLine)) return fromYaml(bytes, where);
  // `--output text`: printable ASCII fields separated by tabs (a CSV report's header has commas, not tabs).
  if (/^[\x20-\x7e]*\t[\x20-\x7e\t]*$/.test(firstLine) && !firstLine.includes(",")) {
    return fromText(withoutBom(bytes), where);
  }
  // `--query Content --output text`: the base64 report alone. A CSV report's first line has commas.
  if (/^[A-Za-z0-9+/]{8}/.test(firstLine) && !firstLine.includes(",")) {
    const token = withoutBom(bytes).trim();
    if (token.length % 4 === 0 && BASE64.test(token)) {
      return { content: Buffer.from(token, "base64"), generatedTime: null, format: "aws-cli-content" };
    }
  }
  return { content: bytes, generatedTime: null, format: "csv" };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The first line that is not blank, after a UTF-8 BOM, whole (the AWS CLI's text output is one long line). */
function firstLineOf(bytes: Buffer): string {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[start] as number)) start++;
  const end = bytes.indexOf(0x0a, start);
  return bytes.toString("latin1", start, end === -1 ? bytes.length : end).replace(/\r$/, "");
}

/** The first characters after a UTF-8 BOM and leading white space, enough to tell the format. */
function startOfText(bytes: Buffer): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString("latin1", start, Math.min(bytes.length, start + 4096)).replace(/^\s+/, "");
}

function withoutBom(bytes: Buffer): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString("utf8", start);
}

function parseJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(withoutBom(bytes));
  } catch (error) {
    throw new UsageError(
      `${where} starts like JSON but is not valid JSON (cut short?): ${USE_JSON} and pipe or save all of it`,
      { cause: error },
    );
  }
}

function fromYaml(bytes: Buffer, where: string): Omit<LoadedReport, "source"> {
  let value: unknown;
  try {
    value = parseYaml(withoutBom(bytes), { maxAliasCount: 0 });
  } catch (error) {
    throw new UsageError(
      `${where} starts like the AWS CLI's YAML output but is not valid YAML: ${USE_JSON}`,
      {
        cause: error,
      },
    );
  }
  if (Array.isArray(value)) {
    // --output yaml-stream: one list item per page; GetCredentialReport has one page.
    if (value.length !== 1) {
      throw new UsageError(
        `${where} is a YAML list of ${value.length} items, not the one answer of aws iam get-credential-report: ${USE_JSON}`,
      );
    }
    return fromObject(value[0], where, "aws-cli-yaml-stream");
  }
  return fromObject(value, where, "aws-cli-yaml");
}

/** `--output text`: one line, `Content`, `GeneratedTime` and `ReportFormat` separated by tabs. */
function fromText(text: string, where: string): Omit<LoadedReport, "source"> {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const fields = (lines[0] ?? "").split("\t").map((field) => field.trim());
  const content = fields.find((field) => field.length > 0 && BASE64.test(field) && field.length % 4 === 0);
  const generated = fields.find((field) => parseTimestamp(field) !== undefined);
  if (lines.length !== 1 || fields.length !== 3 || content === undefined || generated === undefined) {
    throw new UsageError(
      `${where} has tab-separated fields but is not the AWS CLI's --output text of get-credential-report ` +
        `(base64 Content, GeneratedTime, ReportFormat on one line): ${USE_JSON}`,
    );
  }
  const format = fields.find((field) => field !== content && field !== generated);
  return fromObject(
    { Content: content, GeneratedTime: generated, ReportFormat: format },
    where,
    "aws-cli-text",
  );
}

/** The fields of a GetCredentialReport answer, checked the same way whatever format they came in. */
function fromObject(value: unknown, where: string, format: InputFormat): Omit<LoadedReport, "source"> {
  const name = FORMAT_NAMES[format];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${where} is ${name} but not an object with a "Content" field: ${USE_JSON}`);
  }
  const answer = value as Record<string, unknown>;
  if (typeof answer.Content !== "string") {
    const generate =
      typeof answer.State === "string"
        ? " (this is the answer of aws iam generate-credential-report; download the report with get-credential-report)"
        : "";
    throw new UsageError(
      `${where} is ${name} without a "Content" string: expected the output of \`aws iam get-credential-report\`, ` +
        `e.g. with --output json${generate}`,
    );
  }
  const compact = answer.Content.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw new UsageError(`the "Content" of ${where} is not valid base64 (cut short?)`);
  }
  if (answer.ReportFormat !== undefined && answer.ReportFormat !== "text/csv") {
    throw new UsageError(`the report format is ${JSON.stringify(answer.ReportFormat)}, not "text/csv"`);
  }
  let generatedTime: Date | null = null;
  if (answer.GeneratedTime !== undefined && answer.GeneratedTime !== null) {
    // YAML may read an unquoted timestamp as a date; the AWS CLI quotes it, a hand edit may not.
    const at =
      answer.GeneratedTime instanceof Date
        ? answer.GeneratedTime
        : typeof answer.GeneratedTime === "string"
          ? parseTimestamp(answer.GeneratedTime)
          : undefined;
    if (at === undefined || Number.isNaN(at.getTime())) {
      throw new UsageError(
        `the "GeneratedTime" of ${where} is ${JSON.stringify(answer.GeneratedTime)}, not an ISO 8601 date-time`,
      );
    }
    generatedTime = at;
  }
  return { content: Buffer.from(compact, "base64"), generatedTime, format };
}

const FORMAT_NAMES: Record<InputFormat, string> = {
  csv: "CSV",
  "aws-cli-json": "JSON",
  "aws-cli-text": "AWS CLI text output",
  "aws-cli-yaml": "YAML",
  "aws-cli-yaml-stream": "a YAML stream",
  "aws-cli-content": "base64",
};

function ioProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory, not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "ENAMETOOLONG":
      return "the file name is too long";
    case "ELOOP":
      return "too many symbolic links (a link loop?)";
    case "ENXIO":
      return "no such device or address (a socket cannot be opened by name; use - for standard input)";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    case "EIO":
      return "input/output error";
    default:
      return code ?? (error as Error).message;
  }
}

/** A path short enough for a one-line message. */
function clipPath(path: string): string {
  return path.length > 120 ? `${path.slice(0, 60)}...${path.slice(-40)}` : path;
}
