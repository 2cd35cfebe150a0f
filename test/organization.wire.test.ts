/**
 * Organization rules over the wire: the built Lambda bundle and CLI, the real SDK, and the local AWS endpoint's STS
 * (`AWS_ENDPOINT_URL_STS`, awsQuery `AssumeRole`). With the rule parameter `executionRoleName`, every evaluation must
 * read the evaluated account's credential report and post that account's verdict with credentials of the member
 * role in that account, never with the function's own credentials nor with another account's.
 *
 * The process clock is faked (only `Date`, advancing with real time) before the bundle is imported, so that the
 * function, the SDK and the local endpoint share one clock that a test can move forward past a credential's expiry.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { evaluate } from "../rule/evaluate.ts";
import { parseRuleParameters } from "../rule/params.ts";
import type { RecordedCall } from "../scripts/local-aws/types.ts";
import { runCli } from "./support/cli.ts";
import { buildReport, daysBefore, iamDate, rootRow, userRow } from "./support/report-builder.ts";
import { captureOutput, configEvent, lambdaContext, useWire } from "./support/wire.ts";

const MEMBER_ROLE = "root-activity-member";
/** How an organization rule is named in a member account. */
const ORG_RULE = "OrgConfigRule-root-activity-ab12cd34";
/** Two regions keep a 200-account run to 400 lookups a period; every region's calls use the member's credentials. */
const PARAMETERS = JSON.stringify({
  lookbackDays: "30",
  executionRoleName: MEMBER_ROLE,
  cloudTrailRegions: "us-east-1,eu-west-1",
});
const MINUTE = 60_000;

// Registered before useWire: they run before the bundle is imported, and after the endpoint is closed.
beforeAll(() => {
  // Before the import: the bundle reads the clock through `Date.now` references it takes when it loads.
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
});
afterAll(() => {
  vi.useRealTimers();
});
const { aws, handler, invoke } = useWire();

let home: string;
let homeKey: string;
beforeAll(() => {
  home = aws.homeAccountId;
  homeKey = aws.env.AWS_ACCESS_KEY_ID ?? "";
});

/**
 * A fresh account for every test: the warm function keeps assumed credentials across tests (that is the point),
 * while `aws.reset()` makes the endpoint forget them, so no two tests may share an account.
 */
let lastAccount = 400_000_000_000;
const newAccount = (): string => String(++lastAccount);

const roleArn = (accountId: string, partition = "aws", name = MEMBER_ROLE): string =>
  `arn:${partition}:iam::${accountId}:role/${name}`;

/** A member account with its member role (trusting the function's account) and its own credential report. */
function member(options: { daysSinceRootUse?: number | null; partition?: string } = {}): string {
  const accountId = newAccount();
  aws.addRole(roleArn(accountId, options.partition), { trustedAccountIds: [home] });
  aws.setReport(reportFor(accountId, options.daysSinceRootUse ?? null), { accountId });
  return accountId;
}

/** A report whose root row names `accountId`; root's password last used `days` ago, or never. */
function reportFor(accountId: string, days: number | null, now = new Date()): string {
  const root = rootRow(
    days === null ? {} : { password_last_used: iamDate(daysBefore(now, days)) },
    accountId,
  );
  return buildReport({ rows: [root, userRow("alice@example.com", {}, accountId)] });
}

function orgEvent(accountId: string, options: Parameters<typeof configEvent>[0] = {}) {
  return configEvent({
    accountId,
    configRuleName: ORG_RULE,
    ruleParameters: PARAMETERS,
    resultToken: `token-${accountId}`,
    ...options,
  });
}

const callsTo = (action: string): RecordedCall[] => aws.calls.filter((call) => call.action === action);
const assumeRoleCalls = (): RecordedCall[] => callsTo("AssumeRole");
const workCalls = (): RecordedCall[] => aws.calls.filter((call) => call.service !== "sts");

describe("one member account", () => {
  it("reads the member's report and posts its evaluation with the member role's credentials, not the function's", async () => {
    // Prepare
    const accountId = member({ daysSinceRootUse: 3 });
    // Act
    const { result, error } = await invoke(orgEvent(accountId));
    // Assess
    expect(error).toBeUndefined();
    expect(result?.complianceType).toBe("NON_COMPLIANT");
    expect(aws.calls.map((c) => `${c.service}:${c.action}`).sort()).toEqual([
      "cloudtrail:LookupEvents",
      "cloudtrail:LookupEvents",
      "config:PutEvaluations",
      "iam:GetCredentialReport",
      "iam:ListAccountAliases",
      "sts:AssumeRole",
    ]);
    expect(aws.calls[0]?.action).toBe("AssumeRole");
    expect(
      callsTo("LookupEvents")
        .map((call) => call.region)
        .sort(),
    ).toEqual(["eu-west-1", "us-east-1"]);
    const [assume] = assumeRoleCalls();
    expect(assume).toMatchObject({ accountId: home, accessKeyId: homeKey, status: 200 });
    const memberKeys = new Set(workCalls().map((call) => call.accessKeyId));
    expect(memberKeys.size).toBe(1);
    expect(memberKeys.has(homeKey)).toBe(false);
    for (const call of workCalls()) expect(call).toMatchObject({ accountId, status: 200 });
    expect(aws.evaluations).toEqual([
      expect.objectContaining({
        accountId,
        resultToken: `token-${accountId}`,
        evaluations: [
          expect.objectContaining({ ComplianceResourceId: accountId, ComplianceType: "NON_COMPLIANT" }),
        ],
      }),
    ]);
  });

  it("asks STS for exactly the member role in the evaluated account, for 900 s, with a session name naming the rule", async () => {
    // Prepare
    const accountId = member();
    // Act
    await invoke(orgEvent(accountId));
    // Assess
    expect(assumeRoleCalls().map((call) => call.params)).toEqual([
      {
        RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`,
        RoleSessionName: `root-activity-${ORG_RULE}`,
        DurationSeconds: "900",
      },
    ]);
  });

  it("takes the partition of the role from the event (aws-us-gov)", async () => {
    // Prepare
    const accountId = member({ partition: "aws-us-gov" });
    // Act
    const { result, error } = await invoke(orgEvent(accountId, { partition: "aws-us-gov" }));
    // Assess
    expect(error).toBeUndefined();
    expect(result?.complianceType).toBe("COMPLIANT");
    expect(assumeRoleCalls()[0]?.params.RoleArn).toBe(`arn:aws-us-gov:iam::${accountId}:role/${MEMBER_ROLE}`);
    expect(aws.evaluations[0]?.accountId).toBe(accountId);
  });

  it("generates the member's report when it has none, with the member's credentials throughout", async () => {
    // Prepare
    const accountId = newAccount();
    aws.addRole(roleArn(accountId), { trustedAccountIds: [home] });
    aws.clearReport(accountId);
    aws.onGenerate(reportFor(accountId, 1), { accountId, readyAfterPolls: 1 });
    // Act
    const { result } = await invoke(orgEvent(accountId));
    // Assess
    expect(result?.complianceType).toBe("NON_COMPLIANT");
    expect(callsTo("GenerateCredentialReport")).toEqual([expect.objectContaining({ accountId })]);
    expect(new Set(workCalls().map((call) => call.accountId))).toEqual(new Set([accountId]));
  });

  it("uses the function's own credentials and makes no STS call when executionRoleName is not set", async () => {
    // Prepare: a single-account rule in the home account.
    aws.setReport(reportFor(home, null));
    // Act
    const { result } = await invoke(configEvent({ ruleParameters: '{"lookbackDays":"30"}' }));
    // Assess
    expect(result?.complianceType).toBe("COMPLIANT");
    expect(assumeRoleCalls()).toEqual([]);
    for (const call of aws.calls) expect(call).toMatchObject({ accountId: home, accessKeyId: homeKey });
  });
});

describe("errors", () => {
  it("fails with AssumeRoleError naming the role, the account and the fix, and posts nothing, when the role is not there", async () => {
    // Prepare: no role in that account.
    const accountId = newAccount();
    aws.addAccount(accountId);
    aws.setReport(reportFor(accountId, 2), { accountId });
    // Act
    const { error, logs } = await invoke(orgEvent(accountId));
    // Assess
    expect(error?.name).toBe("AssumeRoleError");
    expect(error?.message).toContain(
      `Cannot assume arn:aws:iam::${accountId}:role/${MEMBER_ROLE} in account ${accountId}`,
    );
    expect(error?.message).toContain("AccessDenied");
    expect(error?.message).toMatch(/Likely fix: deploy the member role to that account \(the StackSet\)/);
    expect(error?.message).toMatch(/trusts this Lambda's execution role/);
    expect(workCalls()).toEqual([]);
    expect(aws.evaluations).toEqual([]);
    expect(logs.find((line) => line.message === "evaluation failed, nothing posted")).toMatchObject({
      accountId,
      errorName: "AssumeRoleError",
    });
  });

  it("fails the same way when the role exists but does not trust the function's account", async () => {
    // Prepare
    const accountId = newAccount();
    aws.addRole(roleArn(accountId), { trustedAccountIds: ["999988887777"] });
    aws.setReport(reportFor(accountId, 2), { accountId });
    // Act
    const { error } = await invoke(orgEvent(accountId));
    // Assess
    expect(error?.name).toBe("AssumeRoleError");
    expect(error?.message).toMatch(/not authorized to perform: sts:AssumeRole/);
    expect(aws.evaluations).toEqual([]);
  });

  it("does not cache a failed AssumeRole: once the role is deployed, the next invocation succeeds", async () => {
    // Prepare
    const accountId = newAccount();
    aws.addAccount(accountId);
    aws.setReport(reportFor(accountId, null), { accountId });
    const first = await invoke(orgEvent(accountId));
    aws.addRole(roleArn(accountId), { trustedAccountIds: [home] });
    // Act
    const second = await invoke(orgEvent(accountId));
    // Assess
    expect(first.error?.name).toBe("AssumeRoleError");
    expect(second.error).toBeUndefined();
    expect(second.result?.complianceType).toBe("COMPLIANT");
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  it("retries STS server errors, then fails with AssumeRoleError and posts nothing", async () => {
    // Prepare
    const accountId = member();
    aws.inject({
      service: "sts",
      kind: "error",
      status: 500,
      code: "InternalFailure",
      times: Number.POSITIVE_INFINITY,
    });
    // Act
    const { error } = await invoke(orgEvent(accountId));
    // Assess
    expect(error?.name).toBe("AssumeRoleError");
    expect(error?.message).toMatch(/InternalFailure.*Nothing was posted/);
    expect(assumeRoleCalls()).toHaveLength(3);
    expect(workCalls()).toEqual([]);
  });

  it.each([
    ["a path", "audit/root-activity-member"],
    ["a space", "root activity"],
    ["65 characters", "r".repeat(65)],
    ["a wildcard", "root-activity-*"],
  ])(
    "refuses an executionRoleName with %s (InvalidParameterError) and makes no call at all",
    async (_, name) => {
      // Prepare
      const accountId = member();
      // Act
      const { error } = await invoke(
        orgEvent(accountId, { ruleParameters: JSON.stringify({ executionRoleName: name }) }),
      );
      // Assess
      expect(error?.name).toBe("InvalidParameterError");
      expect(error?.message).toContain("executionRoleName");
      expect(error?.message).toMatch(/IAM role name/);
      expect(aws.calls).toEqual([]);
    },
  );

  it("posts nothing when the assumed role's report belongs to another account", async () => {
    // Prepare: the member's report names a different account (wrong role wiring).
    const accountId = newAccount();
    aws.addRole(roleArn(accountId), { trustedAccountIds: [home] });
    aws.setReport(reportFor("999988887777", 2), { accountId });
    // Act
    const { error } = await invoke(orgEvent(accountId));
    // Assess
    expect(error?.name).toBe("AccountMismatchError");
    expect(aws.evaluations).toEqual([]);
  });
});

describe("credentials of a warm function", () => {
  it("reuses an account's credentials while they have more than 5 minutes left, then assumes the role again", async () => {
    // Prepare
    const accountId = member();
    const keysOf = (calls: RecordedCall[]) => new Set(calls.map((call) => call.accessKeyId));
    // Act + Assess: first evaluation assumes the role (credentials valid 15 minutes).
    await invoke(orgEvent(accountId));
    expect(assumeRoleCalls()).toHaveLength(1);
    const firstKeys = keysOf(workCalls());

    // Same account within the validity: no new AssumeRole, same credentials.
    aws.calls.length = 0;
    await invoke(orgEvent(accountId));
    vi.advanceTimersByTime(9 * MINUTE); // 6 minutes left
    await invoke(orgEvent(accountId));
    expect(assumeRoleCalls()).toEqual([]);
    expect(keysOf(workCalls())).toEqual(firstKeys);

    // The clock passes expiry - 5 minutes: a new AssumeRole, new credentials.
    vi.advanceTimersByTime(1.5 * MINUTE); // 4.5 minutes left
    const { error } = await invoke(orgEvent(accountId));
    expect(error).toBeUndefined();
    expect(assumeRoleCalls()).toHaveLength(1);
    const refreshed = keysOf(workCalls().filter((call) => !firstKeys.has(call.accessKeyId)));
    expect(refreshed.size).toBe(1);
    expect(refreshed.has(homeKey)).toBe(false);
    expect(aws.evaluations.every((put) => put.accountId === accountId)).toBe(true);

    // Long after the first credentials expired, the function still works with fresh ones.
    aws.calls.length = 0;
    vi.advanceTimersByTime(20 * MINUTE);
    const late = await invoke(orgEvent(accountId));
    expect(late.error).toBeUndefined();
    expect(assumeRoleCalls()).toHaveLength(1);
    expect(workCalls().every((call) => call.status === 200)).toBe(true);
  });

  it("never uses account A's credentials for account B, in either order", async () => {
    // Prepare
    const a = member({ daysSinceRootUse: 1 });
    const b = member({ daysSinceRootUse: null });
    // Act
    const resultA = await invoke(orgEvent(a));
    const resultB = await invoke(orgEvent(b));
    const againA = await invoke(orgEvent(a));
    // Assess
    expect([
      resultA.result?.complianceType,
      resultB.result?.complianceType,
      againA.result?.complianceType,
    ]).toEqual(["NON_COMPLIANT", "COMPLIANT", "NON_COMPLIANT"]);
    expect(assumeRoleCalls().map((call) => call.params.RoleArn)).toEqual([roleArn(a), roleArn(b)]);
    const keysFor = (accountId: string) =>
      new Set(
        workCalls()
          .filter((call) => call.accountId === accountId)
          .map((call) => call.accessKeyId),
      );
    const [keysA, keysB] = [keysFor(a), keysFor(b)];
    expect(keysA.size).toBe(1);
    expect(keysB.size).toBe(1);
    expect([...keysA].some((key) => keysB.has(key))).toBe(false);
    expect(workCalls().every((call) => call.accountId === a || call.accountId === b)).toBe(true);
    expect(aws.evaluations.map((put) => [put.accountId, put.evaluations[0]?.ComplianceResourceId])).toEqual([
      [a, a],
      [b, b],
      [a, a],
    ]);
  });

  it("assumes the role once for concurrent evaluations of the same account", async () => {
    // Prepare
    const accountId = member();
    const logs = captureOutput();
    // Act
    const results = await Promise.allSettled([
      handler(orgEvent(accountId), lambdaContext()),
      handler(orgEvent(accountId), lambdaContext()),
    ]).finally(() => logs.restore());
    // Assess
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(assumeRoleCalls()).toHaveLength(1);
    expect(aws.evaluations).toHaveLength(2);
  });
});

describe("a simulated organization of 200 accounts", () => {
  const ACCOUNTS = 200;

  /** Deterministic shuffle (a fixed LCG), so a failure can be replayed. */
  function shuffled<T>(items: readonly T[], seed: number): T[] {
    const out = [...items];
    let state = seed;
    for (let i = out.length - 1; i > 0; i--) {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      const j = state % (i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** Starts waves of `size` invocations every few milliseconds without waiting for the previous wave. */
  async function interleaved<T>(items: readonly T[], size: number, run: (item: T) => Promise<unknown>) {
    const running: Promise<unknown>[] = [];
    for (let start = 0; start < items.length; start += size) {
      running.push(...items.slice(start, start + size).map(run));
      await new Promise((resolveWave) => setTimeout(resolveWave, 3));
    }
    return Promise.all(running);
  }

  it("evaluates every account with its own credentials and its own report, concurrently, through one warm function", async () => {
    // Prepare: every account has its own report; root last used 1-89 days ago, or never.
    const now = new Date();
    const notificationCreationTime = now.toISOString();
    const params = parseRuleParameters(PARAMETERS);
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => {
      const accountId = newAccount();
      const days = i % 7 === 6 ? null : 1 + ((i * 37) % 89);
      const csv = reportFor(accountId, days, now);
      aws.addRole(roleArn(accountId), { trustedAccountIds: [home] });
      if (i % 10 === 3) {
        // Some accounts have no report yet: the function generates it and polls, interleaving with the others.
        aws.clearReport(accountId);
        aws.onGenerate(csv, { accountId, readyAfterPolls: 1, generatedTime: () => now });
      } else {
        aws.setReport(csv, { accountId, generatedTime: now });
      }
      // No root events in either region's history: the report decides, with CloudTrail read.
      const cloudTrail = {
        status: "read",
        regions: ["eu-west-1", "us-east-1"],
        since: new Date(now.getTime() - 30 * 86_400_000),
        events: [],
        complete: true,
      } as const;
      return {
        accountId,
        expected: evaluate({ report: { content: csv, generatedTime: null }, cloudTrail }, now, params),
      };
    });
    const expectedVerdicts = new Set(accounts.map((a) => a.expected.complianceType));
    expect(expectedVerdicts).toEqual(new Set(["COMPLIANT", "NON_COMPLIANT"]));
    const started = performance.now();
    const logs = captureOutput();
    const failures: { pass: number; accountId: string; error: unknown }[] = [];
    try {
      // Act: two rule periods, each in interleaved waves, in different orders.
      for (const [pass, seed] of [
        [1, 7],
        [2, 11],
      ] as const) {
        await interleaved(shuffled(accounts, seed), 40, async ({ accountId }) => {
          const event = orgEvent(accountId, {
            notificationCreationTime,
            resultToken: `token-${accountId}-${pass}`,
          });
          await handler(event, lambdaContext(30_000)).catch((error: unknown) => {
            failures.push({ pass, accountId, error });
          });
        });
      }
    } finally {
      logs.restore();
    }
    const elapsed = performance.now() - started;

    // Assess: nothing failed, and it stayed fast.
    expect(failures).toEqual([]);
    expect(elapsed).toBeLessThan(20_000);

    // One AssumeRole per account (the second period reuses the credentials), by the function's own role.
    const assumed = assumeRoleCalls();
    expect(assumed).toHaveLength(ACCOUNTS);
    expect(new Set(assumed.map((call) => call.params.RoleArn))).toEqual(
      new Set(accounts.map(({ accountId }) => roleArn(accountId))),
    );
    expect(assumed.every((call) => call.accountId === home && call.accessKeyId === homeKey)).toBe(true);

    // Each account's IAM and Config calls were made with credentials of that account only.
    const keyOwner = new Map<string, string>();
    for (const call of workCalls()) {
      // Accounts without a report answer ReportNotPresent, then ReportInProgress, until it is generated.
      if (call.errorCode !== "ReportNotPresent" && call.errorCode !== "ReportInProgress") {
        expect(call.status, `${call.action} for ${call.accountId}: ${call.errorCode}`).toBe(200);
      }
      const key = call.accessKeyId ?? "";
      expect(key).not.toBe(homeKey);
      expect(keyOwner.get(key) ?? call.accountId).toBe(call.accountId);
      keyOwner.set(key, call.accountId ?? "");
    }
    expect(new Set(keyOwner.values()).size).toBe(ACCOUNTS);

    // Each account's verdict was posted once per period, in that account, for that account, from its own report.
    expect(aws.evaluations).toHaveLength(2 * ACCOUNTS);
    for (const { accountId, expected } of accounts) {
      for (const pass of [1, 2]) {
        const posted = aws.evaluations.filter((put) => put.resultToken === `token-${accountId}-${pass}`);
        expect(posted, `${accountId} period ${pass}`).toHaveLength(1);
        expect(posted[0]?.accountId).toBe(accountId);
        expect(posted[0]?.evaluations).toEqual([
          {
            ComplianceResourceType: "AWS::::Account",
            ComplianceResourceId: accountId,
            ComplianceType: expected.complianceType,
            Annotation: expected.annotation,
            OrderingTimestamp: now.getTime() / 1000,
          },
        ]);
      }
    }

    // The log line of every evaluation names its account and the role it used.
    const posted = logs.jsonLines().filter((line) => line.message === "evaluation posted");
    expect(posted).toHaveLength(2 * ACCOUNTS);
    for (const line of posted) expect(line.roleArn).toBe(roleArn(String(line.accountId)));
  }, 30_000);
});

describe("CLI: evaluate --live --role-arn", () => {
  const run = (args: string[]) => runCli(args, { env: aws.env });

  it("assumes the role and evaluates that account's report with its credentials, posting nothing", async () => {
    // Prepare
    const accountId = member({ daysSinceRootUse: 4 });
    // Act
    const result = await run(["evaluate", "--live", "--role-arn", roleArn(accountId), "--json"]);
    // Assess
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      complianceType: "NON_COMPLIANT",
      resourceId: accountId,
      report: { source: "live" },
    });
    expect(result.stderr).toContain(`Assuming ${roleArn(accountId)}`);
    expect(assumeRoleCalls().map((call) => call.params)).toEqual([
      { RoleArn: roleArn(accountId), RoleSessionName: "root-activity-cli", DurationSeconds: "900" },
    ]);
    // The report and the CloudTrail evidence, all with the member's credentials.
    expect(new Set(workCalls().map((call) => call.service))).toEqual(
      new Set(["iam", "account", "cloudtrail"]),
    );
    for (const call of workCalls()) {
      expect(call).toMatchObject({ accountId });
      expect(call.accessKeyId).not.toBe(homeKey);
    }
    expect(aws.evaluations).toEqual([]);
  });

  it("exits 2 with one line naming the role and the fix in CLI terms when the role cannot be assumed", async () => {
    // Prepare
    const accountId = newAccount();
    aws.addAccount(accountId);
    // Act
    const result = await run(["evaluate", "--live", "--role-arn", roleArn(accountId)]);
    // Assess
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines.at(-1)).toContain(
      `root-activity: Cannot assume --role-arn ${roleArn(accountId)}: AccessDenied`,
    );
    expect(lines.at(-1)).toContain(
      "check that the role exists and that its trust policy lets your credentials",
    );
    expect(lines.at(-1)).not.toMatch(/StackSet|Lambda|posted/);
    expect(workCalls()).toEqual([]);
  });
});
