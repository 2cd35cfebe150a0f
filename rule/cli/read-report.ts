import { readFileSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { parseTimestamp } from "../timestamp.ts";

/** A report as the user handed it to the CLI. */
export interface LoadedReport {
  readonly content: Uint8Array;
  /** From the `aws iam get-credential-report` JSON; undefined for raw CSV. */
  readonly generatedTime: Date | undefined;
  readonly format: "csv" | "aws-cli-json";
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads `--report <file|->`: raw CSV, or the JSON `aws iam get-credential-report` prints (base64 `Content`).
 * Throws {@link UsageError} with one clear line for I/O and format problems.
 *
 * @example
 * ```ts
 * const report = loadReport("report.json"); // or "-" for stdin
 * ```
 */
export function loadReport(path: string, readStdin: () => Buffer = () => readFileSync(0)): LoadedReport {
  let bytes: Buffer;
  try {
    bytes = path === "-" ? readStdin() : readFileSync(path);
  } catch (error) {
    throw new UsageError(
      `cannot read ${path === "-" ? "standard input" : clipPath(path)}: ${ioProblem(error)}`,
      {
        cause: error,
      },
    );
  }
  if (bytes.byteLength === 0) throw new UsageError(`${path === "-" ? "standard input" : path} is empty`);
  const start = firstNonSpace(bytes);
  if (bytes[start] !== 0x7b /* { */) return { content: bytes, generatedTime: undefined, format: "csv" };
  return fromAwsCliJson(bytes.toString("utf8"), path);
}

function fromAwsCliJson(text: string, path: string): LoadedReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path === "-" ? "standard input" : path} starts like JSON but is not valid JSON`, {
      cause: error,
    });
  }
  const content = (json as { Content?: unknown }).Content;
  if (typeof content !== "string") {
    throw new UsageError(
      `${path === "-" ? "standard input" : path} is JSON without a "Content" string: expected the output of ` +
        "`aws iam get-credential-report`",
    );
  }
  const compact = content.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw new UsageError(`the "Content" of ${path === "-" ? "standard input" : path} is not valid base64`);
  }
  const format = (json as { ReportFormat?: unknown }).ReportFormat;
  if (format !== undefined && format !== "text/csv") {
    throw new UsageError(`the report format is ${JSON.stringify(format)}, not "text/csv"`);
  }
  const generated = (json as { GeneratedTime?: unknown }).GeneratedTime;
  return {
    content: Buffer.from(compact, "base64"),
    generatedTime: typeof generated === "string" ? parseTimestamp(generated) : undefined,
    format: "aws-cli-json",
  };
}

function firstNonSpace(bytes: Buffer): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  return i;
}

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
    case "EAGAIN":
      return "nothing to read yet (pipe the report in, or give a file name)";
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
