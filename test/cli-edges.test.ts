/**
 * The CLI's edges, tried as a person at a shell tries them, through the built CLI: a reader that closes its end of
 * the pipe early, Ctrl-C in the middle of an organization scan, and a `--now` in the future with `--live`.
 * Rules: a closed stdout ends quietly with the verdict's exit status (never a stack trace, never the 1 that means
 * NON_COMPLIANT for a COMPLIANT account); Ctrl-C during `--organization` prints what was found, in the chosen
 * format, says the scan was interrupted and exits 130; a future `--now` with `--live` is refused before any AWS call.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import { CLI, childEnv, runCli, runShell, useTempFiles } from "./support/cli.ts";
import { buildReport, daysBefore, iamDate, rootRow } from "./support/report-builder.ts";

const { file } = useTempFiles("root-activity-edges-");
const NOW = "2026-11-29T12:00:00Z";
const quiet = buildReport({ rows: [rootRow({ password_last_used: "2025-01-10T08:00:00+00:00" })] });
const used = buildReport({ rows: [rootRow({ password_last_used: "2026-11-28T08:00:00+00:00" })] });

describe("a reader that closes the pipe early", () => {
  for (const [name, report, status] of [
    ["COMPLIANT", quiet, 0],
    ["NON_COMPLIANT", used, 1],
  ] as const) {
    it(`ends quietly with the real status (${status}, ${name}) when the reader has gone before the output`, async () => {
      // Prepare: `true` exits at once, so every write of the CLI meets a closed pipe (EPIPE).
      const path = await file("report.csv", report);
      // Act
      const run = await runShell(
        '"$NODE" "$CLI" evaluate --report "$1" --now "$2" | true; echo "status=$PIPESTATUS"',
        [path, NOW],
      );
      // Assess
      expect(run.stdout.trim()).toBe(`status=${status}`);
      expect(run.stderr).toBe("");
    });
  }

  it("prints the first line to head -n 1 and nothing on stderr, with the verdict's status", async () => {
    // Prepare
    const path = await file("used.csv", used);
    // Act
    const run = await runShell(
      '"$NODE" "$CLI" evaluate --report "$1" --now "$2" | head -n 1; echo "status=$PIPESTATUS"',
      [path, NOW],
    );
    // Assess
    const [first, status] = run.stdout.trim().split("\n");
    expect(first).toMatch(/NON_COMPLIANT/);
    expect(status).toBe("status=1");
    expect(run.stderr).toBe("");
  });
});

describe("--now in the future with --live", () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(async () => {
    await aws?.close();
  });

  it("is a usage error naming --now, and no AWS call is made", async () => {
    // Act
    const run = await runCli(["evaluate", "--live", "--now", "2099-01-01T00:00:00Z"], { env: aws.env });
    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toMatch(
      /^root-activity: --now "2099-01-01T00:00:00Z" is in the future \(it is /,
    );
    expect(aws.calls).toHaveLength(0);
  });

  it("is accepted for a downloaded report, whose evaluation time is the reader's choice", async () => {
    // Prepare
    const path = await file("quiet.csv", quiet);
    // Act
    const run = await runCli(["evaluate", "--report", path, "--now", "2099-01-01T00:00:00Z", "--json"]);
    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ evaluatedAt: "2099-01-01T00:00:00.000Z" });
  });
});

describe("Ctrl-C during --organization", () => {
  const ROLE = "audit";
  /** Twelve members: the first four answer at once, the others' credential reports take 20 s. */
  const MEMBERS = Array.from({ length: 12 }, (_, i) => String(600_000_000_001 + i));
  const FAST = MEMBERS.slice(0, 4);
  let aws: LocalAws;

  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(async () => {
    await aws?.close();
  });
  beforeEach(() => {
    aws.reset();
    aws.setOrganization(MEMBERS.map((id) => ({ id, name: `workload-${id.slice(-2)}` })));
    aws.setReport(buildReport({ rows: [rootRow({}, aws.homeAccountId)] }));
    for (const id of MEMBERS) {
      aws.addRole(`arn:aws:iam::${id}:role/${ROLE}`, { trustedAccountIds: [aws.homeAccountId] });
      const lastUse = id === FAST[1] ? iamDate(daysBefore(new Date(), 2)) : "N/A";
      aws.setReport(buildReport({ rows: [rootRow({ password_last_used: lastUse }, id)] }), { accountId: id });
      if (!FAST.includes(id)) {
        aws.inject({ kind: "delay", service: "iam", accountId: id, ms: 20_000, times: Infinity });
      }
    }
  });

  /** Starts the scan, presses Ctrl-C once the fast accounts are done, and waits for the process to end. */
  function interruptedScan(
    format: string[],
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [CLI, "evaluate", "--live", "--organization", "--role-name", ROLE, "--no-cloudtrail", ...format],
        { env: childEnv(aws.env), stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const done = () =>
        aws.calls.filter((c) => c.action === "GetCredentialReport" && c.status === 200).length >=
        FAST.length + 1;
      const poll = setInterval(() => {
        if (done()) {
          clearInterval(poll);
          child.kill("SIGINT");
        }
      }, 50);
      child.on("error", reject);
      child.on("close", (status) => {
        clearInterval(poll);
        resolve({ status, stdout, stderr });
      });
    });
  }

  it("prints the accounts evaluated so far as a table, says it was interrupted and exits 130", async () => {
    // Act
    const run = await interruptedScan([]);
    // Assess
    expect(run.status).toBe(130);
    for (const id of FAST) expect(run.stdout).toContain(id);
    expect(run.stdout).toMatch(/NON_COMPLIANT/);
    expect(run.stdout).not.toContain(MEMBERS[11]);
    expect(run.stderr.trim()).toMatch(
      /^root-activity: interrupted \(Ctrl-C\): 8 of 13 accounts were not evaluated/,
    );
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  }, 30_000);

  it("prints them as --json, with the summary saying so", async () => {
    // Act
    const run = await interruptedScan(["--json"]);
    // Assess
    expect(run.status).toBe(130);
    const out = JSON.parse(run.stdout) as {
      accounts: { accountId: string }[];
      summary: { interrupted: boolean; notEvaluated: number; exitStatus: number };
    };
    expect(out.accounts.map((a) => a.accountId).sort()).toEqual([aws.homeAccountId, ...FAST].sort());
    expect(out.summary).toMatchObject({ interrupted: true, notEvaluated: 8, exitStatus: 130 });
  }, 30_000);

  it("prints them as --csv, one row per account evaluated", async () => {
    // Act
    const run = await interruptedScan(["--csv"]);
    // Assess
    expect(run.status).toBe(130);
    const rows = run.stdout.trim().split("\n");
    expect(rows).toHaveLength(1 + FAST.length + 1);
    expect(run.stderr).toMatch(/interrupted/);
  }, 30_000);
});
