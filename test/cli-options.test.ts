/**
 * The command line, through the built CLI. Rules: option values are checked the same way however they are written
 * (`--x v`, `--x=v`, empty, negative), each error naming the option and the allowed values; unknown or extra
 * arguments are errors for every command; `help`, `-h` and `--help` print the usage. Every error is one line on
 * stderr, nothing on stdout, exit 2.
 */
import { describe, expect, it } from "vitest";
import { type CliRun, runCli, useTempFiles } from "./support/cli.ts";
import { NOW_UTC as NOW } from "./support/evaluation.ts";
import { buildReport, rootRow } from "./support/report-builder.ts";

const { file } = useTempFiles("root-activity-cli-options-");
const report = file("ok.csv", buildReport({ rows: [rootRow()] }));

function expectUsageError(result: CliRun, message: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(/^root-activity: /);
  expect(result.stderr).toMatch(message);
}

describe("--lookback-days is checked the same way however it is written", () => {
  const range = /is invalid: expected a whole number of days from 1 to 3650 \(default 30\)/;
  const values: Array<[string, string[]]> = [
    ["an empty value", ["--lookback-days", ""]],
    ["an empty value after =", ["--lookback-days="]],
    ["-1", ["--lookback-days", "-1"]],
    ["-1 after =", ["--lookback-days=-1"]],
    ["0", ["--lookback-days", "0"]],
    ["3651", ["--lookback-days", "3651"]],
    ["a fraction", ["--lookback-days", "1.5"]],
    ["a word", ["--lookback-days", "thirty"]],
    ["spaces around", ["--lookback-days", " 30 "]],
    ["a hex number", ["--lookback-days", "0x1e"]],
  ];
  for (const [name, option] of values) {
    it(`refuses ${name}, naming the allowed range`, async () => {
      // Act
      const result = await runCli(["evaluate", "--report", report, ...option]);
      // Assess
      expectUsageError(result, range);
      expect(result.stderr).toContain(
        `--lookback-days ${JSON.stringify(option.length === 2 ? option[1] : (option[0] as string).split("=")[1])}`,
      );
    });
  }

  it("accepts 1 and 3650", async () => {
    // Act
    const low = await runCli(["evaluate", "--report", report, "--lookback-days", "1", "--json"]);
    const high = await runCli(["evaluate", "--report", report, "--lookback-days=3650", "--json"]);
    // Assess
    expect(JSON.parse(low.stdout).lookbackDays).toBe(1);
    expect(JSON.parse(high.stdout).lookbackDays).toBe(3650);
  });
});

describe("--max-report-age takes a positive duration with a unit", () => {
  for (const value of ["", "0h", "4", "1.5h", "-1h", "4 h", "4H", "1w", "3651d"]) {
    it(`refuses ${JSON.stringify(value)}`, async () => {
      // Act
      const result = await runCli(["evaluate", "--report", report, `--max-report-age=${value}`]);
      // Assess
      expectUsageError(
        result,
        /--max-report-age ".*" is invalid: expected a positive whole number with a unit s, m, h or d, e\.g\. 90m, 24h, 7d \(default 4h\)/,
      );
    });
  }

  it("accepts 90s, 90m, 24h and 7d, and reports the limit in --json", async () => {
    // Act
    const results = await Promise.all(
      ["90s", "90m", "24h", "7d"].map((value) =>
        runCli(["evaluate", "--report", report, "--max-report-age", value, "--json"]),
      ),
    );
    // Assess
    expect(results.map((result) => JSON.parse(result.stdout).maxReportAgeSeconds)).toEqual([
      90, 5400, 86_400, 604_800,
    ]);
  });
});

describe("other option errors name the option", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["--report without a value", ["evaluate", "--report"], /--report needs a value: <file\|->/],
    ["--report followed by another option", ["evaluate", "--report", "--json"], /--report needs a value/],
    [
      "--report with an empty value",
      ["evaluate", "--report", ""],
      /--report needs a file name, or - for standard input/,
    ],
    [
      "an unknown long option",
      ["evaluate", "--report", report, "--bogus"],
      /unknown option "--bogus" \(see --help\)/,
    ],
    ["an unknown short option", ["evaluate", "--report", report, "-x"], /unknown option "-x"/],
    [
      "a value for a boolean option",
      ["evaluate", "--report", report, "--json=1"],
      /--json takes no value \(got "1"\)/,
    ],
    [
      "an option given twice",
      ["evaluate", "--report", report, "--now", NOW, "--now", NOW],
      /--now is given twice/,
    ],
    [
      "an extra argument to evaluate",
      ["evaluate", "--report", report, "more.csv"],
      /evaluate takes no argument "more\.csv"/,
    ],
    [
      "--timeout 0",
      ["evaluate", "--live", "--timeout", "0"],
      /--timeout "0" is invalid: expected a whole number of seconds from 1 to 900/,
    ],
    ["--timeout in minutes", ["evaluate", "--live", "--timeout", "2m"], /--timeout "2m" is invalid/],
    [
      "--timeout without --live",
      ["evaluate", "--report", report, "--timeout", "5"],
      /--timeout goes with --live/,
    ],
    [
      "--role-arn that is no role ARN",
      ["evaluate", "--live", "--role-arn", "arn:aws:iam::111122223333:user/bob"],
      /--role-arn ".*" is not an IAM role ARN/,
    ],
    [
      "--now without an offset",
      ["evaluate", "--report", report, "--now", "2026-11-29T10:00:00"],
      /--now "2026-11-29T10:00:00" is not an ISO 8601/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 2 for ${name}`, async () => {
      // Act
      const result = await runCli(args);
      // Assess
      expectUsageError(result, message);
    });
  }
});

describe("explain takes nothing but --json", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["an extra argument", ["explain", "now"], /explain takes no argument "now"/],
    ["two extra arguments", ["explain", "a", "b"], /explain takes no argument "a"/],
    ["an evaluate option", ["explain", "--report", report], /--report does not go with explain/],
    ["an unknown option", ["explain", "--verbose"], /unknown option "--verbose"/],
  ];
  for (const [name, args, message] of cases) {
    it(`refuses ${name}`, async () => {
      // Act
      const result = await runCli(args);
      // Assess
      expectUsageError(result, message);
    });
  }

  it("prints the steps as JSON with --json", async () => {
    // Act
    const result = await runCli(["explain", "--json"]);
    // Assess
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).steps.length).toBeGreaterThan(3);
  });
});

describe("help", () => {
  for (const args of [
    ["help"],
    ["-h"],
    ["--help"],
    ["evaluate", "-h"],
    ["help", "evaluate"],
    ["explain", "--help"],
  ]) {
    it(`prints the usage for ${args.join(" ")}`, async () => {
      // Act
      const result = await runCli(args);
      // Assess
      expect(result.status).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(/^Usage:\n {2}root-activity evaluate --report <file\|->/);
      for (const option of [
        "--report",
        "--live",
        "--max-report-age",
        "--lookback-days",
        "--timeout",
        "--json",
      ]) {
        expect(result.stdout).toContain(option);
      }
    });
  }

  it("refuses help about an unknown command", async () => {
    // Act
    const result = await runCli(["help", "deploy"]);
    // Assess
    expectUsageError(result, /unknown command "deploy"/);
  });
});
