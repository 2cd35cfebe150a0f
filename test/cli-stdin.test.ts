/**
 * `--report -` as people use it: behind a real pipe (a shell pipeline), fed by a writer slower than the CLI, as
 * `aws iam get-credential-report | root-activity evaluate --report -` is. Rule: standard input is read to its end,
 * however slowly and in however many chunks it arrives; `/dev/stdin` and process substitution work too; a terminal
 * on standard input is a usage error that says how to pipe.
 */
import { describe, expect, it } from "vitest";
import { awsCliOutput } from "./support/aws-cli-output.ts";
import { type CliRun, pipeInto, runShell, useTempFiles, writerArgs } from "./support/cli.ts";
import { NOW_UTC as NOW } from "./support/evaluation.ts";
import { buildReport, reportWithUsers, rootRow, userRow } from "./support/report-builder.ts";

const { file } = useTempFiles("root-activity-cli-stdin-");
const USED = "2026-11-27T08:00:00+00:00";
const usedRoot = rootRow({ access_key_1_active: "true", access_key_1_last_used_date: USED });

function expectUsed(result: CliRun): void {
  expect(result.stderr).toBe("");
  expect(result.status).toBe(1);
  expect(JSON.parse(result.stdout)).toMatchObject({
    complianceType: "NON_COMPLIANT",
    reason: "used-in-window",
    lastUse: { credential: "access key 1", at: "2026-11-27T08:00:00.000Z" },
  });
}

/** A report of about `megabytes` MB: the header, copies of one user's row, the root row last. */
function reportOfSize(megabytes: number): string {
  const [header, user] = buildReport({ rows: [userRow("user-0@example.com")] }).split("\n") as [
    string,
    string,
  ];
  const root = buildReport({ rows: [usedRoot] }).split("\n")[1] as string;
  const copies = Math.ceil((megabytes * 1024 * 1024) / (user.length + 1));
  return `${header}\n${`${user}\n`.repeat(copies)}${root}\n`;
}

describe("--report - reads a real pipe to its end, however slowly it is written", () => {
  const json = () =>
    file("used.json", awsCliOutput(buildReport({ rows: [usedRoot] }), "json", "2026-11-29T10:00:00+00:00"));

  it("waits for a writer that is silent for 2 seconds before its first byte", async () => {
    // Act
    const result = await pipeInto(json(), ["evaluate", "--report", "-", "--now", NOW, "--json"], {
      delayMs: 2_000,
    });
    // Assess
    expectUsed(result);
  });

  it("reads a 5 000-user report written in 64 KiB chunks with pauses between them", async () => {
    // Prepare
    const path = file("5000.csv", reportWithUsers(5_000, "last", usedRoot));
    // Act
    const result = await pipeInto(path, ["evaluate", "--report", "-", "--now", NOW, "--json"], {
      delayMs: 300,
      chunkBytes: 65_536,
      pauseMs: 150,
    });
    // Assess
    expectUsed(result);
  });

  it("reads 50 MB written in 64 KiB chunks", async () => {
    // Prepare
    const path = file("50mb.csv", reportOfSize(50));
    // Act
    const result = await pipeInto(path, ["evaluate", "--report", "-", "--now", NOW, "--json"], {
      chunkBytes: 65_536,
      pauseMs: 1,
    });
    // Assess
    expectUsed(result);
  }, 60_000);

  it("reads the AWS CLI's YAML written 7 bytes at a time", async () => {
    // Prepare: a YAML answer written 7 bytes at a time splits the base64 and the key names across reads.
    const path = file(
      "used.yaml",
      awsCliOutput(buildReport({ rows: [usedRoot, userRow("a")] }), "yaml", "2026-11-29T10:00:00+00:00"),
    );
    // Act
    const result = await pipeInto(path, ["evaluate", "--report", "-", "--now", NOW, "--json"], {
      chunkBytes: 7,
      pauseMs: 2,
    });
    // Assess
    expectUsed(result);
  });
});

describe("--report /dev/stdin and process substitution work like --report -", () => {
  it("reads /dev/stdin behind a slow pipe", async () => {
    // Prepare
    const path = file("devstdin.csv", buildReport({ rows: [userRow("a"), usedRoot] }));
    // Act
    const result = await pipeInto(path, ["evaluate", "--report", "/dev/stdin", "--now", NOW, "--json"], {
      delayMs: 1_000,
      chunkBytes: 100,
      pauseMs: 20,
    });
    // Assess
    expectUsed(result);
    expect(JSON.parse(result.stdout).report).toMatchObject({ source: "stdin", format: "csv" });
  });

  it("reads --report <(slow writer), a pipe the shell names /dev/fd/N", async () => {
    // Prepare
    const path = file("procsub.csv", buildReport({ rows: [usedRoot, userRow("b")] }));
    // Act
    const result = await runShell(
      'f=$1 d=$2 c=$3 p=$4; shift 4; "$NODE" "$CLI" evaluate --report <("$NODE" "$WRITER" "$f" "$d" "$c" "$p") "$@"',
      [path, ...writerArgs({ delayMs: 1_000, chunkBytes: 64, pauseMs: 20 }), "--now", NOW, "--json"],
    );
    // Assess
    expectUsed(result);
    expect(JSON.parse(result.stdout).report).toMatchObject({ source: "file", format: "csv" });
  });
});

describe("a terminal on standard input", () => {
  it("is a usage error (exit 2) that says how to pipe the report in", async () => {
    // Act: script(1) runs the CLI with a pseudo-terminal as its standard input, output and error.
    const result = await runShell(
      'script -qec "\\"$NODE\\" \\"$CLI\\" evaluate --report -" /dev/null < /dev/null',
    );
    // Assess
    expect(result.status).toBe(2);
    const lines = result.stdout.trim().split(/\r?\n/);
    expect(lines).toEqual([
      "root-activity: standard input is a terminal: pipe the report in (aws iam get-credential-report | " +
        "root-activity evaluate --report -), or give a file name (--report report.csv)",
    ]);
  });
});

describe("an empty pipe", () => {
  it("is NON_COMPLIANT 'the report is empty' (exit 1), and the text asks whether the command before the pipe failed", async () => {
    // Prepare
    const empty = file("empty.csv", "");
    const blank = file("blank.csv", "\n  \r\n");
    // Act
    const results = [
      await pipeInto(empty, ["evaluate", "--report", "-", "--now", NOW], { delayMs: 500 }),
      await pipeInto(blank, ["evaluate", "--report", "-", "--now", NOW], { delayMs: 500 }),
    ];
    // Assess
    for (const result of results) {
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(
        /^NON_COMPLIANT {2}account unknown\n {2}Cannot verify root user activity: the report is empty\./,
      );
      expect(result.stdout).toContain("Standard input held no report: did the command before the pipe fail?");
      expect(result.stderr).toBe("");
    }
  });
});
