/**
 * The local AWS endpoint as a tool, run as a person runs it: `npm run local-aws -- …`. Rules: it serves the report
 * it is given (raw CSV or the AWS CLI's output), absent, expired or being generated, for the account asked; it prints
 * the environment to paste (the SDK's and this CLI's endpoints, AWS_REGION and AWS_DEFAULT_REGION, the credentials it
 * accepts) and the `--endpoint-url` form for AWS CLI versions before 2.13; the printed environment works with the
 * built CLI and the real AWS CLI; SIGINT and SIGTERM stop it cleanly, also when started through npm.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, inject, it } from "vitest";
import { awsCliOutput } from "./support/aws-cli-output.ts";
import { childEnv, runCli, useTempFiles } from "./support/cli.ts";
import { buildReport, rootRow, userRow } from "./support/report-builder.ts";

const ROOT = resolve(import.meta.dirname, "..");
/** The AWS CLI this machine has (test/aws-cli-setup.ts). */
const AWS_CLI = inject("awsCli").path;
const { file } = useTempFiles("root-activity-local-aws-tool-");
const used = buildReport({ rows: [userRow("a"), rootRow({ password_last_used: iamAgo(3) })] });

/** An IAM date `days` days before the real clock (the tool runs on the real clock). */
function iamAgo(days: number): string {
  return `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 19)}+00:00`;
}

interface Tool {
  readonly child: ChildProcess;
  readonly banner: string[];
  /** The variables of the printed `export` lines. */
  readonly env: Record<string, string>;
  readonly url: string;
  stderr(): string;
  /** The processes npm started for it (its descendants), while it runs. */
  readonly descendants: number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Tool[] = [];

afterEach(async () => {
  for (const tool of started.splice(0)) {
    if (tool.child.exitCode === null && tool.child.signalCode === null)
      process.kill(-(tool.child.pid as number), "SIGKILL");
  }
});

/** Starts `npm run --silent local-aws -- <args>` in its own process group and waits for its banner. */
async function startTool(args: string[]): Promise<Tool> {
  const child = spawn("npm", ["run", "--silent", "local-aws", "--", "--port", "0", ...args], {
    cwd: ROOT,
    env: childEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal })),
  );
  await new Promise<void>((ready, fail) => {
    child.stdout?.on("data", (d) => {
      stdout += d;
      if (stdout.includes("--endpoint-url")) ready();
    });
    void exited.then(({ code }) => fail(new Error(`local-aws exited with ${code}: ${stderr}`)));
  });
  const banner = stdout.trim().split("\n");
  const env = Object.fromEntries(
    banner
      .map((line) => /^export (\w+)='(.*)'$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1] as string, match[2] as string]),
  );
  const tool: Tool = {
    child,
    banner,
    env,
    url: env.AWS_ENDPOINT_URL_IAM as string,
    stderr: () => stderr,
    descendants: descendantsOf(child.pid as number),
    exited,
  };
  started.push(tool);
  return tool;
}

/** Pids of every process below `pid`, from /proc. */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      if (ppid) parents.set(Number(entry), Number(ppid));
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refusesConnections(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port), "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(false);
    });
    socket.once("error", () => done(true));
  });
}

const awsCli = (tool: Tool, args: string[]) =>
  promisify(execFile)(AWS_CLI, ["--endpoint-url", tool.url, ...args], {
    env: childEnv({ ...tool.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" }),
  });

describe("npm run local-aws -- --help and bad options", () => {
  it("prints its usage with every option", async () => {
    // Act
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "local-aws", "--", "--help"], {
      cwd: ROOT,
    });
    // Assess
    for (const option of [
      "--port",
      "--report",
      "--report-age",
      "--report-state",
      "--ready-after",
      "--account-id",
      "--cloudtrail",
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toMatch(
      /absent: ReportNotPresent.*\n.*expired: ReportExpired.*\n.*in-progress: ReportInProgress/,
    );
  });

  const bad: Array<[string, string[], RegExp]> = [
    [
      "an unknown state",
      ["--report-state", "gone"],
      /--report-state "gone" is not one of ready, absent, expired, in-progress/,
    ],
    ["a bad account id", ["--account-id", "123"], /--account-id "123" is not a 12-digit AWS account id/],
    [
      "a missing report file",
      ["--report", "/nonexistent.csv"],
      /cannot read --report \/nonexistent\.csv: ENOENT/,
    ],
    ["a bad port", ["--port", "http"], /--port "http" is not a port number/],
    ["an unknown history", ["--cloudtrail", "busy"], /--cloudtrail "busy" is not one of empty, demo/],
    ["an unknown option", ["--verbose"], /Unknown option '--verbose' \(see --help\)/],
  ];
  for (const [name, args, message] of bad) {
    it(`exits 2 with one line for ${name}`, async () => {
      // Act
      const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
        const child = spawn("npm", ["run", "--silent", "local-aws", "--", ...args], {
          cwd: ROOT,
          env: childEnv(),
        });
        let stderr = "";
        child.stderr.on("data", (d) => {
          stderr += d;
        });
        child.on("close", (code) => done({ code, stderr }));
      });
      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    });
  }
});

describe("npm run local-aws serves what it is told", () => {
  it("prints the environment to paste, the credentials it accepts and the --endpoint-url form, all of which work", async () => {
    // Prepare
    const tool = await startTool(["--report", file("used.csv", used)]);
    // Act
    const cli = await runCli(["evaluate", "--live", "--json"], { env: tool.env });
    const identity = await awsCli(tool, ["sts", "get-caller-identity"]);
    // Assess
    expect(Object.keys(tool.env).sort()).toEqual(
      [
        "AWS_ACCESS_KEY_ID",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL_ACCOUNT",
        "AWS_ENDPOINT_URL_CLOUDTRAIL",
        "AWS_ENDPOINT_URL_CONFIG_SERVICE",
        "AWS_ENDPOINT_URL_IAM",
        "AWS_ENDPOINT_URL_ORGANIZATIONS",
        "AWS_ENDPOINT_URL_STS",
        "AWS_PAGER",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
      ].sort(),
    );
    expect(tool.banner.join("\n")).toMatch(/accepts only the credentials below/);
    expect(tool.banner).toContain(
      `#   aws --endpoint-url ${tool.url} iam get-credential-report | node dist/cli/root-activity.mjs evaluate --report -`,
    );
    expect(tool.banner).toContain("unset AWS_PROFILE AWS_MAX_ATTEMPTS");
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ reason: "used-in-window", resourceId: "111122223333" });
    expect(JSON.parse(identity.stdout)).toMatchObject({ Account: "111122223333" });
    expect(tool.stderr()).toContain("local-aws: iam GetCredentialReport -> 200");
    expect(tool.stderr()).toContain("local-aws: sts GetCallerIdentity -> 200");
  });

  it("serves the demo event history with --cloudtrail demo, which root-activity --live finds, and none by default", async () => {
    // Prepare
    const demo = await startTool(["--cloudtrail", "demo"]);
    const empty = await startTool([]);
    // Act
    const found = await runCli(["evaluate", "--live", "--json"], { env: demo.env });
    const events = await awsCli(demo, [
      "cloudtrail",
      "lookup-events",
      "--region",
      "eu-west-1",
      "--lookup-attributes",
      "AttributeKey=EventName,AttributeValue=ConsoleLogin",
    ]);
    const nothing = await runCli(["evaluate", "--live", "--json"], { env: empty.env });
    // Assess
    expect(found.status).toBe(1);
    expect(JSON.parse(found.stdout)).toMatchObject({
      reason: "used-in-window",
      lastUse: { source: "CloudTrail", eventName: "ConsoleLogin" },
      cloudTrail: { status: "read", centralizedSessions: { count: 1 } },
    });
    expect(demo.banner.join("\n")).toContain("CloudTrail event history: the demo");
    const signIns = JSON.parse(events.stdout).Events.map((e: { Username?: string }) => e.Username);
    expect(signIns).toContain("root");
    expect(nothing.status).toBe(0);
    expect(JSON.parse(nothing.stdout)).toMatchObject({ cloudTrail: { status: "read", events: [] } });
  });

  it("serves a report generated --report-age ago, which root-activity then cannot accept as current", async () => {
    // Prepare
    const tool = await startTool([
      "--report",
      file("quiet.csv", buildReport({ rows: [rootRow()] })),
      "--report-age",
      "6h",
    ]);
    // Act
    const { stdout } = await awsCli(tool, ["iam", "get-credential-report", "--output", "json"]);
    const piped = await runCli(["evaluate", "--report", file("downloaded.json", stdout), "--json"]);
    // Assess
    const generated = new Date(JSON.parse(stdout).GeneratedTime).getTime();
    expect(Date.now() - generated).toBeGreaterThan(6 * 3_600_000 - 60_000);
    expect(JSON.parse(piped.stdout)).toMatchObject({ reason: "stale-report", report: { tooOld: true } });
  });

  it("keeps the GeneratedTime of an AWS CLI JSON --report, and serves its account", async () => {
    // Prepare
    const member = buildReport({ rows: [rootRow({}, "444455556666")] });
    const answer = file("answer.json", awsCliOutput(member, "json", "2026-01-02T03:04:05+00:00"));
    const tool = await startTool(["--report", answer]);
    // Act
    const { stdout } = await awsCli(tool, ["iam", "get-credential-report"]);
    const identity = await awsCli(tool, ["sts", "get-caller-identity"]);
    // Assess
    // AWS CLI v2 prints `+00:00`, v1 the `Z` IAM sends: the same instant.
    const answered = JSON.parse(stdout) as { GeneratedTime: string; ReportFormat: string };
    expect(new Date(answered.GeneratedTime).toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(answered.ReportFormat).toBe("text/csv");
    expect(Buffer.from(JSON.parse(stdout).Content, "base64").toString()).toBe(member);
    expect(JSON.parse(identity.stdout).Account).toBe("444455556666");
  });

  it("hands out credentials of --account-id, and notes a report of another account", async () => {
    // Prepare
    const tool = await startTool(["--account-id", "999988887777", "--report", file("home.csv", used)]);
    // Act
    const identity = await awsCli(tool, ["sts", "get-caller-identity"]);
    // Assess
    expect(JSON.parse(identity.stdout).Account).toBe("999988887777");
    expect(tool.stderr()).toMatch(
      /note: the report's root user is account 111122223333, not --account-id 999988887777/,
    );
  });

  it("serves no report with --report-state absent until the CLI asks IAM to generate one", async () => {
    // Prepare
    const tool = await startTool([
      "--report",
      file("absent.csv", used),
      "--report-state",
      "absent",
      "--ready-after",
      "1",
    ]);
    // Act
    const before = await awsCli(tool, ["iam", "get-credential-report"]).catch(
      (error: { stderr: string }) => error,
    );
    const cli = await runCli(["evaluate", "--live", "--json"], { env: tool.env });
    // Assess
    expect((before as { stderr: string }).stderr).toMatch(/\(ReportNotPresent\)/);
    expect(cli.stderr).toContain("Asked IAM to generate a new credential report");
    expect(JSON.parse(cli.stdout)).toMatchObject({ reason: "used-in-window" });
  });

  it("serves an expired report with --report-state expired", async () => {
    // Prepare
    const tool = await startTool(["--report-state", "expired"]);
    // Act
    const before = await awsCli(tool, ["iam", "get-credential-report"]).catch(
      (error: { stderr: string }) => error,
    );
    const cli = await runCli(["evaluate", "--live", "--json"], { env: tool.env });
    // Assess
    expect((before as { stderr: string }).stderr).toMatch(/\(ReportExpired\)/);
    expect(JSON.parse(cli.stdout)).toMatchObject({ complianceType: "COMPLIANT", reason: "never-used" });
  });

  it("keeps a report in progress with --report-state in-progress --ready-after never, until --timeout", async () => {
    // Prepare
    const tool = await startTool(["--report-state", "in-progress", "--ready-after", "never"]);
    // Act
    const before = await awsCli(tool, ["iam", "get-credential-report"]).catch(
      (error: { stderr: string }) => error,
    );
    const cli = await runCli(["evaluate", "--live", "--timeout", "2"], { env: tool.env });
    // Assess
    expect((before as { stderr: string }).stderr).toMatch(/\(ReportInProgress\)/);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(
      /root-activity: IAM had not finished the credential report after \d+ s .*--timeout/,
    );
  });
});

describe("npm run local-aws stops cleanly", () => {
  const cases: Array<[string, (tool: Tool) => void]> = [
    ["SIGTERM to npm", (tool) => process.kill(tool.child.pid as number, "SIGTERM")],
    ["SIGINT to npm", (tool) => process.kill(tool.child.pid as number, "SIGINT")],
    [
      "Ctrl-C (SIGINT to the whole process group)",
      (tool) => process.kill(-(tool.child.pid as number), "SIGINT"),
    ],
    ["SIGTERM to the process group", (tool) => process.kill(-(tool.child.pid as number), "SIGTERM")],
  ];
  for (const [name, signal] of cases) {
    it(`on ${name}: exits 0, closes the port and leaves no process behind`, async () => {
      // Prepare
      const tool = await startTool([]);
      expect(tool.descendants.length).toBeGreaterThan(0);
      // Act
      signal(tool);
      const exit = await tool.exited;
      // Assess
      expect(exit, tool.stderr()).toEqual({ code: 0, signal: null });
      await expect.poll(() => tool.stderr()).toContain("local-aws: stopped");
      expect(await refusesConnections(tool.url)).toBe(true);
      await expect.poll(() => tool.descendants.filter(alive)).toEqual([]);
    });
  }
});
