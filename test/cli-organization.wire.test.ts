/**
 * `root-activity evaluate --live --organization --role-name <name>` through the built CLI, the real SDK and the
 * local AWS endpoint's Organizations (`ListAccounts`, paged), STS (`GetCallerIdentity`, `AssumeRole`), IAM and
 * CloudTrail. Rules: every active account listed on every page is evaluated, the caller's own with its own
 * credentials and every other one with the role's credentials in that account only; suspended and closed accounts
 * are listed as skipped; one account that fails never stops the others; at most --concurrency accounts are in
 * flight, as the server sees it; throttling is retried and counted, never a wrong verdict; the exit status is 1 on
 * any NON_COMPLIANT, else 2 on any account not evaluated, else 0; --json and --csv parse; the progress bar is drawn
 * only on a terminal.
 */
import { execFile } from "node:child_process";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { rootConsoleSignIn } from "../scripts/local-aws/cloudtrail-records.ts";
import type { OrganizationAccountSpec } from "../scripts/local-aws/organizations.ts";
import { DEMO_ORGANIZATION_ROLE, demoOrganization } from "../scripts/local-aws/scenarios.ts";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import type { RecordedCall } from "../scripts/local-aws/types.ts";
import { describeAwsCli } from "./support/aws-cli.ts";
import { CLI, type CliRun, childEnv, runCli } from "./support/cli.ts";
import { buildReport, daysBefore, iamDate, rootRow, userRow } from "./support/report-builder.ts";

const ROLE = "audit";
const SUSPENDED = "500000000013";
const CLOSED = "500000000027";
const NO_ROLE = "500000000031";
/** Root signed in within the window (credential report). */
const USED = ["500000000005", "500000000020", "500000000042"];
/** Root signed in 2 hours ago: only CloudTrail shows it. */
const CLOUDTRAIL_ONLY = "500000000009";

/** 44 members and the management account: 45 accounts, three pages of ListAccounts (20, 20, 5). */
const MEMBERS: OrganizationAccountSpec[] = Array.from({ length: 44 }, (_, i) => {
  const id = String(500_000_000_001 + i);
  return {
    id,
    name: i === 7 ? "a-very-long-account-name-for-the-payments-platform-in-production" : `workload-${i + 1}`,
    ...(id === SUSPENDED ? { state: "SUSPENDED" as const } : {}),
    ...(id === CLOSED ? { state: "CLOSED" as const } : {}),
  };
});
const ACTIVE_MEMBERS = MEMBERS.filter((m) => m.id !== SUSPENDED && m.id !== CLOSED).map((m) => m.id);

let aws: LocalAws;
let home: string;
beforeAll(async () => {
  aws = await startLocalAws();
  home = aws.homeAccountId;
});
afterAll(async () => {
  await aws?.close();
});
beforeEach(() => {
  aws.reset();
  organization();
});

/** The organization: every active member has the role and its own report, except NO_ROLE, which has no role. */
function organization(): void {
  const now = new Date();
  aws.setOrganization(MEMBERS);
  aws.setReport(reportFor(home, null));
  for (const { id } of MEMBERS) {
    if (id !== NO_ROLE) aws.addRole(`arn:aws:iam::${id}:role/${ROLE}`, { trustedAccountIds: [home] });
    aws.setReport(reportFor(id, USED.includes(id) ? 3 : null), { accountId: id });
  }
  aws.addCloudTrailEvents(
    [
      rootConsoleSignIn({
        accountId: CLOUDTRAIL_ONLY,
        time: new Date(now.getTime() - 2 * 3_600_000),
        region: "eu-west-1",
      }),
    ],
    { accountId: CLOUDTRAIL_ONLY },
  );
}

function reportFor(accountId: string, daysSinceRootUse: number | null): string {
  const root = rootRow(
    daysSinceRootUse === null
      ? {}
      : { password_last_used: iamDate(daysBefore(new Date(), daysSinceRootUse)) },
    accountId,
  );
  return buildReport({ rows: [root, userRow("alice@example.com", {}, accountId)] });
}

const scan = (args: string[] = []): Promise<CliRun> =>
  runCli(["evaluate", "--live", "--organization", "--role-name", ROLE, ...args], { env: aws.env });

interface AccountEntry {
  accountId: string;
  accountName: string;
  accountState: string;
  status: string;
  complianceType: string | null;
  resourceId: string | null;
  annotation: string;
  error: { name: string; message: string } | null;
  lastUse: { source: string } | null;
}
interface ScanOutput {
  accounts: AccountEntry[];
  summary: Record<string, number | string>;
}

const json = (run: CliRun) => JSON.parse(run.stdout) as ScanOutput;
const entry = (out: ScanOutput, id: string) => out.accounts.find((a) => a.accountId === id) as AccountEntry;

/** The largest number of accounts whose calls overlapped, from the server's arrival/answer sequence. */
function maxAccountsInFlight(calls: readonly RecordedCall[]): number {
  const spans = new Map<string, { from: number; to: number }>();
  for (const call of calls) {
    // An AssumeRole call is the caller's, but it starts the work on the account it names.
    const roleArn = call.action === "AssumeRole" ? String(call.params.RoleArn ?? "") : "";
    const account = roleArn ? (roleArn.split(":")[4] as string) : call.accountId;
    if (!account || call.service === "organizations" || call.action === "GetCallerIdentity") continue;
    const span = spans.get(account) ?? { from: call.order.received, to: call.order.answered };
    span.from = Math.min(span.from, call.order.received);
    span.to = Math.max(span.to, call.order.answered);
    spans.set(account, span);
  }
  const events = [...spans.values()].flatMap((s) => [
    { at: s.from, delta: 1 },
    { at: s.to, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at);
  let inFlight = 0;
  let max = 0;
  for (const event of events) {
    inFlight += event.delta;
    max = Math.max(max, inFlight);
  }
  return max;
}

describe("an organization of 45 accounts", () => {
  it("lists every page of ListAccounts and evaluates every active account, listing suspended and closed ones as skipped", async () => {
    // Act
    const run = await scan(["--json"]);
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("");
    const listCalls = aws.calls.filter((c) => c.service === "organizations");
    expect(listCalls.map((c) => c.action)).toEqual(["ListAccounts", "ListAccounts", "ListAccounts"]);
    expect(listCalls.map((c) => c.params.NextToken === undefined)).toEqual([true, false, false]);
    const out = json(run);
    expect(out.accounts).toHaveLength(45);
    expect(entry(out, SUSPENDED)).toMatchObject({
      status: "skipped",
      complianceType: null,
      accountState: "SUSPENDED",
    });
    expect(entry(out, CLOSED)).toMatchObject({
      status: "skipped",
      complianceType: null,
      accountState: "CLOSED",
    });
    for (const id of [SUSPENDED, CLOSED]) {
      expect(aws.calls.some((c) => c.accountId === id || String(c.params.RoleArn ?? "").includes(id))).toBe(
        false,
      );
    }
    for (const id of [home, ...ACTIVE_MEMBERS.filter((m) => m !== NO_ROLE)]) {
      const account = entry(out, id);
      expect(account.status).toBe("evaluated");
      expect(account.resourceId).toBe(id);
      expect(account.complianceType).toBe(
        USED.includes(id) || id === CLOUDTRAIL_ONLY ? "NON_COMPLIANT" : "COMPLIANT",
      );
    }
    expect(entry(out, CLOUDTRAIL_ONLY).lastUse?.source).toBe("CloudTrail");
    expect(out.summary).toMatchObject({
      accounts: 45,
      nonCompliant: 4,
      compliant: 38,
      errors: 1,
      skipped: 2,
      exitStatus: 1,
    });
  });

  it("reads each account's report and CloudTrail only with that account's credentials, the caller's with its own", async () => {
    // Act
    const run = await scan(["--json"]);
    // Assess
    expect(run.status).toBe(1);
    const homeKey = aws.env.AWS_ACCESS_KEY_ID;
    const evidenceCalls = aws.calls.filter(
      (c) => c.service === "iam" || c.service === "cloudtrail" || c.service === "account",
    );
    // The caller's key reads the caller's account only, and no other key reads the caller's account.
    for (const call of evidenceCalls) expect(call.accessKeyId === homeKey).toBe(call.accountId === home);
    // Each assumed key belongs to one account, and was minted by AssumeRole of that account's role.
    const accountsOfKey = new Map<string, Set<string>>();
    for (const call of evidenceCalls) {
      const set = accountsOfKey.get(call.accessKeyId ?? "") ?? new Set<string>();
      set.add(call.accountId ?? "unknown");
      accountsOfKey.set(call.accessKeyId ?? "", set);
    }
    for (const accounts of accountsOfKey.values()) expect(accounts.size).toBe(1);
    for (const id of [home, ...ACTIVE_MEMBERS.filter((m) => m !== NO_ROLE)]) {
      expect(
        evidenceCalls.filter((c) => c.accountId === id && c.action === "GetCredentialReport"),
      ).toHaveLength(1);
    }
    const assumed = aws.calls.filter((c) => c.action === "AssumeRole").map((c) => c.params.RoleArn);
    expect(new Set(assumed)).toEqual(new Set(ACTIVE_MEMBERS.map((id) => `arn:aws:iam::${id}:role/${ROLE}`)));
    expect(assumed).toHaveLength(ACTIVE_MEMBERS.length);
  });

  it("names the account whose role cannot be assumed with AccessDenied and the likely fix, and evaluates the others", async () => {
    // Act
    const run = await scan(["--json"]);
    // Assess
    const account = entry(json(run), NO_ROLE);
    expect(account.status).toBe("error");
    expect(account.complianceType).toBeNull();
    expect(account.error?.name).toBe("AssumeRoleError");
    expect(account.error?.message).toMatch(
      new RegExp(
        `Cannot assume arn:aws:iam::${NO_ROLE}:role/${ROLE}: AccessDenied .*likely fix: create the role ${ROLE} in account ${NO_ROLE}`,
      ),
    );
  });

  it("keeps at most --concurrency accounts in flight, as the server sees it, and reaches that bound", async () => {
    // Prepare: every report takes a while, so that accounts overlap.
    aws.inject({
      kind: "delay",
      ms: 60,
      service: "iam",
      action: "GetCredentialReport",
      times: Number.POSITIVE_INFINITY,
    });
    // Act
    const run = await scan(["--json", "--concurrency", "4", "--no-cloudtrail"]);
    // Assess
    expect(run.status).toBe(1);
    expect(maxAccountsInFlight(aws.calls)).toBe(4);
  });

  it("keeps 8 accounts in flight by default", async () => {
    // Prepare
    aws.inject({
      kind: "delay",
      ms: 60,
      service: "iam",
      action: "GetCredentialReport",
      times: Number.POSITIVE_INFINITY,
    });
    // Act
    const run = await scan(["--json", "--no-cloudtrail"]);
    // Assess
    expect(run.status).toBe(1);
    expect(json(run).summary.concurrency).toBe(8);
    expect(maxAccountsInFlight(aws.calls)).toBe(8);
  });

  it("retries STS and IAM throttling with back-off, counts it in the summary, and gives the same verdicts", async () => {
    // Prepare
    aws.inject({
      kind: "error",
      status: 400,
      code: "Throttling",
      service: "sts",
      action: "AssumeRole",
      times: 3,
    });
    aws.inject({
      kind: "error",
      status: 400,
      code: "Throttling",
      service: "iam",
      accountId: USED[0],
      times: 2,
    });
    // Act
    const run = await scan(["--json", "--no-cloudtrail"]);
    // Assess
    expect(run.status).toBe(1);
    const out = json(run);
    expect(out.summary).toMatchObject({ nonCompliant: 3, compliant: 39, errors: 1, skipped: 2 });
    expect(out.summary.retries).toBe(5);
    expect(entry(out, USED[0] as string).complianceType).toBe("NON_COMPLIANT");
  });

  it("prints one CSV row per account with a header, that a CSV parser reads back", async () => {
    // Act
    const run = await scan(["--csv", "--no-cloudtrail"]);
    // Assess
    expect(run.status).toBe(1);
    const rows = parse(run.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(45);
    expect(rows.map((r) => r.verdict).slice(0, 4)).toEqual([
      "NON_COMPLIANT",
      "NON_COMPLIANT",
      "NON_COMPLIANT",
      "ERROR",
    ]);
    expect(rows.filter((r) => r.verdict === "SKIPPED").map((r) => r.account_id)).toEqual([SUSPENDED, CLOSED]);
    expect(rows.find((r) => r.account_id === NO_ROLE)?.error_name).toBe("AssumeRoleError");
    expect(rows.every((r) => /^\d{12}$/.test(r.account_id ?? ""))).toBe(true);
  });

  it("prints a table sorted NON_COMPLIANT, errors, COMPLIANT, skipped, then by account, with long text wrapped, and a summary line", async () => {
    // Act
    const run = await scan(["--no-cloudtrail"]);
    // Assess
    expect(run.status).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^ACCOUNT\s+NAME\s+VERDICT\s+LAST ROOT USE\s+SOURCE\s+ACTIVE KEYS\s+REPORT AGE$/,
    );
    const rowIds = lines.filter((l) => /^\d{12} /.test(l)).map((l) => l.slice(0, 12));
    expect(rowIds).toEqual([
      ...USED,
      NO_ROLE,
      ...[home, ...ACTIVE_MEMBERS].filter((id) => !USED.includes(id) && id !== NO_ROLE).sort(),
      SUSPENDED,
      CLOSED,
    ]);
    const width = Math.max(100, (lines[0] as string).length);
    expect(lines.every((l) => l.length <= width)).toBe(true);
    // The long name wraps inside its column (from column 14), on the row's line and the lines under it.
    const at = lines.findIndex((l) => l.startsWith("500000000008 "));
    const nameLines = [lines[at] as string];
    for (const l of lines.slice(at + 1)) {
      if (!/^ {14}\S/.test(l)) break;
      nameLines.push(l);
    }
    expect(nameLines.length).toBeGreaterThan(1);
    expect(nameLines.map((l) => l.slice(14).split(" ")[0]).join("")).toBe(
      "a-very-long-account-name-for-the-payments-platform-in-production",
    );
    expect(run.stdout.replace(/\s+/g, " ")).toContain("likely fix: create the role audit in account");
    expect(run.stdout.split("\n\n").at(-1)?.replace(/\n/g, " ")).toMatch(
      /^45 accounts: 3 NON_COMPLIANT, 1 could not be evaluated, 39 COMPLIANT, 2 skipped; 0 calls retried/,
    );
  });
});

describe("exit status", () => {
  it("is 2 when no account is NON_COMPLIANT but one could not be evaluated", async () => {
    // Act
    const run = await scan(["--accounts", `${NO_ROLE},500000000001`, "--no-cloudtrail", "--json"]);
    // Assess
    expect(run.status).toBe(2);
    expect(json(run).summary).toMatchObject({ accounts: 2, errors: 1, compliant: 1 });
  });

  it("is 0 only when every active account selected is COMPLIANT (--accounts, --exclude)", async () => {
    // Act
    const run = await scan([
      "--accounts",
      `500000000001,500000000002,${SUSPENDED}`,
      "--exclude",
      "500000000002",
      "--no-cloudtrail",
      "--json",
    ]);
    // Assess
    expect(run.status).toBe(0);
    expect(json(run).accounts.map((a) => [a.accountId, a.status])).toEqual([
      ["500000000001", "evaluated"],
      [SUSPENDED, "skipped"],
    ]);
  });

  it("is 2 for an --accounts id that is not in the organization, named with its error", async () => {
    // Act
    const run = await scan(["--accounts", "500000000001,999999999999", "--no-cloudtrail", "--json"]);
    // Assess
    expect(run.status).toBe(2);
    expect(entry(json(run), "999999999999").error?.name).toBe("AccountNotInOrganizationError");
  });

  it("is 2 with one line naming organizations:ListAccounts when the caller may not list the organization", async () => {
    // Prepare
    aws.inject({ kind: "error", status: 400, code: "AccessDeniedException", service: "organizations" });
    // Act
    const run = await scan();
    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toMatch(
      /^root-activity: Cannot list the organization's accounts .*AccessDeniedException.*organizations:ListAccounts/,
    );
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("is 2 saying to evaluate the account alone when it is in no organization", async () => {
    // Prepare
    aws.reset();
    aws.setReport(reportFor(home, null));
    // Act
    const run = await scan();
    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/AWSOrganizationsNotInUseException.*evaluate it alone with evaluate --live/);
  });
});

describe("progress bar", () => {
  it("is not drawn when stderr is not a terminal", async () => {
    // Act
    const run = await scan(["--no-cloudtrail", "--json"]);
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("");
  });

  it("is drawn on stderr when it is a terminal (script(1) gives the CLI a pseudo-terminal), and never on stdout", async () => {
    // Act: stdout goes to a file through the shell; stderr is the pseudo-terminal script(1) records.
    const command = `"${process.execPath}" "${CLI}" evaluate --live --organization --role-name ${ROLE} --no-cloudtrail --json > "$OUT"`;
    const out = `/tmp/root-activity-org-${process.pid}.json`;
    const terminal = await new Promise<{ status: number | null; text: string }>((resolve) => {
      execFile(
        "script",
        ["-qec", command, "/dev/null"],
        { env: childEnv({ ...aws.env, OUT: out }) },
        (error, stdout) => resolve({ status: error ? (error.code as number) : 0, text: stdout }),
      );
    });
    // Assess
    expect(terminal.status).toBe(1);
    expect(terminal.text).toMatch(/\r\[[#.]+\] 0\/43 accounts {2}NON_COMPLIANT 0 {2}errors 0 {2}0:0\d/);
    expect(terminal.text).toMatch(/\r\[#+\] 43\/43 accounts {2}NON_COMPLIANT 3 {2}errors 1 {2}\d+:\d\d/);
    const { readFileSync, rmSync } = await import("node:fs");
    const stdout = readFileSync(out, "utf8");
    rmSync(out);
    expect(stdout).not.toContain("\r");
    expect((JSON.parse(stdout) as ScanOutput).accounts).toHaveLength(45);
  });
});

describe("--timeout", () => {
  it("bounds each account as a whole, its AssumeRole included", async () => {
    // Prepare: AssumeRole answers after 2.5 s, then IAM never answers: only the account's deadline ends it.
    const account = USED[0] as string;
    aws.inject({
      kind: "delay",
      service: "sts",
      action: "AssumeRole",
      ms: 2_500,
      times: Number.POSITIVE_INFINITY,
    });
    aws.inject({ kind: "hang", service: "iam", accountId: account, times: Number.POSITIVE_INFINITY });
    // Act
    const run = await scan(["--accounts", account, "--timeout", "3", "--no-cloudtrail", "--json"]);
    // Assess: the account ends at 3 s, not 2.5 s of AssumeRole and then 3 s more.
    const out = json(run);
    expect(entry(out, account).error?.message).toMatch(
      /^IAM GetCredentialReport failed: no answer within --timeout \(3 s\)/,
    );
    expect(Number(out.summary.elapsedSeconds)).toBeLessThan(4);
  });
});

describe(`the real AWS CLI: ${describeAwsCli(inject("awsCli"))}`, () => {
  it("lists the same 45 accounts from the local endpoint (aws organizations list-accounts, all pages)", async () => {
    // Act
    const listed = await new Promise<string>((resolve, reject) => {
      execFile(
        inject("awsCli").path,
        ["--endpoint-url", aws.url, "organizations", "list-accounts", "--output", "json"],
        {
          env: childEnv({
            ...aws.env,
            AWS_DEFAULT_REGION: "us-east-1",
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
            AWS_PAGER: "",
          }),
        },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      );
    });
    // Assess
    const accounts = (JSON.parse(listed) as { Accounts: Array<{ Id: string; Status: string }> }).Accounts;
    expect(accounts.map((a) => a.Id)).toEqual([home, ...MEMBERS.map((m) => m.id)]);
    expect(accounts.find((a) => a.Id === SUSPENDED)?.Status).toBe("SUSPENDED");
    expect(aws.calls.filter((c) => c.service === "organizations")).toHaveLength(3);
  });
});

describe("the demo organization of npm run local-aws -- --organization", () => {
  it("tells its story: NON_COMPLIANT by report and by CloudTrail only, a role missing, a suspended account", async () => {
    // Prepare
    aws.reset();
    aws.setReport(reportFor(home, null));
    demoOrganization(aws, new Date());
    // Act
    const run = await runCli(
      ["evaluate", "--live", "--organization", "--role-name", DEMO_ORGANIZATION_ROLE, "--json"],
      { env: aws.env },
    );
    // Assess
    expect(run.status).toBe(1);
    const out = json(run);
    expect(out.accounts.map((a) => [a.accountName, a.complianceType ?? a.status])).toEqual([
      ["prod", "NON_COMPLIANT"],
      ["security-tooling", "NON_COMPLIANT"],
      ["legacy-billing", "error"],
      ["management", "COMPLIANT"],
      ["staging", "COMPLIANT"],
      ["dev", "COMPLIANT"],
      ["data-platform", "COMPLIANT"],
      ["log-archive", "COMPLIANT"],
      ["sandbox", "skipped"],
    ]);
    expect(entry(out, "777788889999").lastUse?.source).toBe("CloudTrail");
  });
});
