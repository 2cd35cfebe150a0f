/**
 * Broken input to the CLI, beyond test/cli.test.ts: paths that fail in other ways, stdin that is not a stream of
 * bytes, `aws iam get-credential-report` JSON that is damaged, and options with bad values. Usage and I/O errors
 * exit 2 with one line on stderr and nothing on stdout; a report that was read but cannot be understood is a
 * NON_COMPLIANT "Cannot verify" verdict (exit 1), never a crash.
 *
 * Errors the file system gives only to non-root users (EACCES) are produced with a mocked `readFile`, through
 * `loadReport` and `runCli` in-process: the tests run as root, where chmod cannot make a file unreadable.
 */
import { mkdirSync, openSync, symlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadReport } from "../rule/cli/read-report.ts";
import { runCli } from "../rule/cli/run.ts";
import { UsageError } from "../rule/errors.ts";
import { type CliRun, pipeInto, runCli as runBuiltCli, useTempFiles } from "./support/cli.ts";
import { buildReport, rootRow, userRow } from "./support/report-builder.ts";
import { rejected } from "./support/thrown.ts";

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, readFile: vi.fn(actual.readFile) };
});

const { dir, file } = useTempFiles("root-activity-cli-input-");
const report = buildReport({ rows: [rootRow(), userRow("bob")] });
const base64 = Buffer.from(report).toString("base64");

/** Runs the built CLI; `stdin` is a file descriptor to hand over as standard input (default: closed). */
const run = (args: string[], stdin?: number): Promise<CliRun> =>
  runBuiltCli(args, stdin === undefined ? {} : { stdin });

function expectUsageError(result: CliRun, message: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(/^root-activity: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe("an empty report is NON_COMPLIANT 'the report is empty' (exit 1), however it is empty", () => {
  const cases: Array<[string, () => Promise<CliRun>]> = [
    ["a 0-byte file", () => run(["evaluate", "--report", file("empty.csv", ""), "--json"])],
    [
      "a file of spaces and line ends",
      () => run(["evaluate", "--report", file("blank.csv", " \n\r\n\t \n"), "--json"]),
    ],
    ["/dev/null", () => run(["evaluate", "--report", "/dev/null", "--json"])],
    ["a closed standard input", () => run(["evaluate", "--report", "-", "--json"])],
    [
      "AWS CLI JSON with an empty Content",
      () => run(["evaluate", "--report", file("empty.json", '{"Content":""}'), "--json"]),
    ],
  ];
  for (const [name, act] of cases) {
    it(`says the report is empty for ${name}`, async () => {
      // Act
      const result = await act();
      // Assess
      expect(result.status).toBe(1);
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toMatchObject({
        complianceType: "NON_COMPLIANT",
        reason: "cannot-verify",
        annotation: "Cannot verify root user activity: the report is empty.",
      });
    });
  }
});

describe("files that cannot be read exit 2 with one line naming the file", () => {
  it("exits 2 for a path that goes through a file (ENOTDIR)", async () => {
    // Prepare
    const path = `${file("plain.csv", report)}/report.csv`;
    // Act
    const result = await run(["evaluate", "--report", path]);
    // Assess
    expectUsageError(result, /cannot read .*plain\.csv\/report\.csv: /);
  });

  it("exits 2 for a symbolic link loop (ELOOP)", async () => {
    // Prepare
    const path = join(dir, "loop");
    symlinkSync(path, path);
    // Act
    const result = await run(["evaluate", "--report", path]);
    // Assess
    expectUsageError(result, /cannot read .*loop: /);
  });

  it("exits 2 for a file name longer than the system allows (ENAMETOOLONG)", async () => {
    // Act
    const result = await run(["evaluate", "--report", join(dir, "r".repeat(5_000))]);
    // Assess
    expectUsageError(result, /cannot read .*rrrr.*: /);
  });

  it("exits 2 when standard input is a directory", async () => {
    // Prepare
    const fd = openSync(dir, "r");
    // Act
    const result = await run(["evaluate", "--report", "-"], fd);
    // Assess
    expectUsageError(result, /cannot read standard input: it is a directory, not a file/);
  });

  it("exits 2 for a directory path with a trailing slash", async () => {
    // Prepare
    mkdirSync(join(dir, "reports"), { recursive: true });
    // Act
    const result = await run(["evaluate", "--report", `${join(dir, "reports")}/`]);
    // Assess
    expectUsageError(result, /it is a directory, not a file/);
  });
});

describe("damaged `aws iam get-credential-report` JSON exits 2 with one line", () => {
  const json = JSON.stringify({
    Content: base64,
    ReportFormat: "text/csv",
    GeneratedTime: "2026-11-29T10:00:00Z",
  });
  const cases: Array<[string, string | Buffer, RegExp]> = [
    [
      "truncated in the middle",
      json.slice(0, Math.floor(json.length / 2)),
      /starts like JSON but is not valid JSON/,
    ],
    [
      "with a UTF-8 BOM and cut short",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Content":"')]),
      /not valid JSON/,
    ],
    [
      "with a numeric Content",
      '{"Content": 5}',
      /without a "Content" string: expected the output of `aws iam get-credential-report`/,
    ],
    ["with Content null", '{"Content": null}', /without a "Content" string/],
    ["with Content an array of bytes", `{"Content": [117, 115, 101, 114]}`, /without a "Content" string/],
    ["with base64 of the wrong length", '{"Content":"dXNlcg"}', /"Content" of .* is not valid base64/],
    [
      "with base64url characters",
      `{"Content":"${base64.slice(0, 8).replace(/[+/]/g, "-")}__"}`,
      /not valid base64/,
    ],
    [
      "with an HTML report format",
      `{"Content":"${base64}","ReportFormat":"text/html"}`,
      /the report format is "text\/html", not "text\/csv"/,
    ],
  ];
  for (const [name, content, message] of cases) {
    it(`exits 2 for JSON ${name}`, async () => {
      // Act
      const result = await run([
        "evaluate",
        "--report",
        file(`damaged-${name.replace(/\W+/g, "-")}.json`, content),
      ]);
      // Assess
      expectUsageError(result, message);
    });
  }

  it("says standard input, not a file name, for damaged JSON piped in", async () => {
    // Act
    const result = await pipeInto(file("cut.json", json.slice(0, 30)), ["evaluate", "--report", "-"]);
    // Assess
    expectUsageError(result, /^root-activity: standard input starts like JSON but is not valid JSON/m);
  });
});

describe("content that was read but is no credential report is NON_COMPLIANT 'Cannot verify' (exit 1)", () => {
  const cases: Array<[string, string | Buffer]> = [
    ["random bytes", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))],
    ["a JSON array", '[{"Content":"dXNlcg=="}]'],
    ["JSON null", "null"],
    [
      "aws CLI JSON whose Content is base64 of random bytes",
      `{"Content":"${Buffer.from("\u0000\u00ff\u0001garbage").toString("base64")}"}`,
    ],
  ];
  for (const [name, content] of cases) {
    it(`exits 1 for ${name}`, async () => {
      // Act
      const result = await run([
        "evaluate",
        "--report",
        file(`odd-${name.replace(/\W+/g, "-")}.bin`, content),
        "--json",
      ]);
      // Assess
      expect(result.status).toBe(1);
      expect(result.stderr).toBe("");
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({ complianceType: "NON_COMPLIANT", resourceId: null });
      expect(json.annotation).toMatch(/^Cannot verify root user activity: /);
    });
  }
});

describe("loadReport and runCli with file system errors a root user never sees", () => {
  const mockedReadFile = vi.mocked(readFile);
  const noStdin = () => {
    throw new Error("standard input must not be read");
  };
  afterEach(() => {
    mockedReadFile.mockReset();
  });

  function errno(code: string, message = `${code}: simulated`): NodeJS.ErrnoException {
    return Object.assign(new Error(message), { code });
  }

  async function failure(load: () => Promise<unknown>): Promise<UsageError> {
    const error = await rejected(load(), UsageError);
    expect(error.message.split("\n")).toHaveLength(1);
    return error;
  }

  it("says 'permission denied' for an unreadable file (EACCES), keeping the errno error as cause", async () => {
    // Prepare
    const cause = errno("EACCES", "EACCES: permission denied, open '/srv/report.csv'");
    mockedReadFile.mockRejectedValueOnce(cause);
    // Act
    const error = await failure(() => loadReport("/srv/report.csv", noStdin));
    // Assess
    expect(error.message).toBe("cannot read /srv/report.csv: permission denied");
    expect(error.cause).toBe(cause);
  });

  it("says 'permission denied' for EPERM too", async () => {
    // Prepare
    mockedReadFile.mockRejectedValueOnce(errno("EPERM"));
    // Act
    const error = await failure(() => loadReport("report.csv", noStdin));
    // Assess
    expect(error.message).toBe("cannot read report.csv: permission denied");
  });

  const problems: Array<[string, RegExp]> = [
    ["EIO", /input\/output error/],
    ["EMFILE", /too many open files/],
    ["ENOTDIR", /not a directory/],
    ["ELOOP", /symbolic link/],
    ["ENAMETOOLONG", /too long/],
    ["ENXIO", /no such device or address/],
  ];
  for (const [code, problem] of problems) {
    it(`names the path and the problem for ${code}`, async () => {
      // Prepare
      mockedReadFile.mockRejectedValueOnce(errno(code));
      // Act
      const error = await failure(() => loadReport("report.csv", noStdin));
      // Assess
      expect(error.message).toMatch(/^cannot read report\.csv: /);
      expect(error.message).toMatch(problem);
    });
  }

  it("keeps the message of an error without an errno code", async () => {
    // Prepare
    mockedReadFile.mockRejectedValueOnce(new RangeError("File size (3221225472) is greater than 2 GiB"));
    // Act
    const error = await failure(() => loadReport("huge.csv", noStdin));
    // Assess
    expect(error.message).toBe("cannot read huge.csv: File size (3221225472) is greater than 2 GiB");
  });

  it("says standard input when reading it fails, and reads /dev/stdin as standard input", async () => {
    // Prepare
    const failing: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(errno("EIO")) }),
    };
    // Act
    const error = await failure(() => loadReport("/dev/stdin", () => failing));
    // Assess
    expect(error.message).toBe("cannot read standard input: input/output error");
    expect(mockedReadFile).not.toHaveBeenCalled();
  });

  it("runCli exits 2 with one line on stderr, and nothing on stdout, for an unreadable file", async () => {
    // Prepare
    mockedReadFile.mockRejectedValueOnce(errno("EACCES", "EACCES: permission denied, open 'report.csv'"));
    const stdout: string[] = [];
    const stderr: string[] = [];
    // Act
    const status = await runCli(["evaluate", "--report", "report.csv"], {
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
    });
    // Assess
    expect(status).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual(["root-activity: cannot read report.csv: permission denied"]);
  });
});
