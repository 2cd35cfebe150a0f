import { STSClient } from "@aws-sdk/client-sts";
import { CLIENT_SETTINGS } from "../../aws/settings.ts";
import { callerIdentity } from "../../aws/sts.ts";
import {
  AccountNotInOrganizationError,
  CallerIdentityError,
  OrganizationListError,
  UsageError,
} from "../../errors.ts";
import type { Command, OrganizationScan } from "../args.ts";
import { cliMessage } from "../messages.ts";
import { selectAccounts } from "./accounts.ts";
import { listOrganizationAccounts, ORGANIZATION_MAX_ATTEMPTS } from "./list-accounts.ts";
import { accountJson, type ScanJson, toCsv } from "./output.ts";
import { ProgressBar, type Terminal } from "./progress.ts";
import { type AccountOutcome, orderOutcomes, rowVerdict, summarize, summaryLine } from "./results.ts";
import { runBounded, type ScanContext, scanAccount } from "./scan.ts";
import { toTable, wrap } from "./table.ts";

/** What the scan touches outside itself. */
export interface ScanIo {
  readonly stdout: (text: string) => void;
  /** Present only when stderr is a terminal: the progress bar draws there. */
  readonly terminal?: Terminal | undefined;
}

/** The table is laid out for this many columns (the usage text's width too). */
const TABLE_WIDTH = 100;

/**
 * `evaluate --live --organization`: lists the organization's accounts, evaluates every active one (at most
 * `--concurrency` at once), prints the table, `--json` or `--csv`, and returns the exit status (1 any
 * NON_COMPLIANT, else 2 any account not evaluated, else 0). Loaded with `import()` only for `--organization`.
 *
 * @example
 * ```ts
 * const status = await runOrganization(command, { stdout: console.log }, Date.now);
 * ```
 */
export async function runOrganization(
  command: Extract<Command, { kind: "evaluate" }> & { readonly organization: OrganizationScan },
  io: ScanIo,
  clock: () => number,
): Promise<number> {
  const scan = command.organization;
  const started = clock();
  const context = { timeoutSeconds: command.timeoutSeconds };
  const signal = () => AbortSignal.timeout(command.timeoutSeconds * 1000);
  let caller: Awaited<ReturnType<typeof callerIdentity>>;
  let listed: Awaited<ReturnType<typeof listOrganizationAccounts>>;
  try {
    caller = await callerIdentity({ abortSignal: signal() });
    listed = await listOrganizationAccounts({ abortSignal: signal() });
  } catch (error) {
    if (error instanceof CallerIdentityError) {
      throw new UsageError(`sts GetCallerIdentity failed: ${cliMessage(error.cause, context)}`, {
        cause: error,
      });
    }
    if (error instanceof OrganizationListError) {
      const name = (error.cause as Error | undefined)?.name ?? "";
      throw new UsageError(
        /AccessDenied|NotInUse/.test(name)
          ? error.message
          : `Organizations ListAccounts failed: ${cliMessage(error.cause, context)}`,
        { cause: error },
      );
    }
    throw error;
  }
  const selection = selectAccounts(listed.accounts, scan);
  const missing: AccountOutcome[] = selection.missing.map((id) => {
    const error = new AccountNotInOrganizationError(id);
    return {
      kind: "error",
      account: { id, name: "", state: "" },
      error: { name: error.name, message: error.message },
    };
  });
  const skipped: AccountOutcome[] = selection.skipped.map((account) => ({ kind: "skipped", account }));

  const sts = new STSClient({
    retryMode: "standard",
    maxAttempts: ORGANIZATION_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CLIENT_SETTINGS.connectionTimeoutMs,
      requestTimeout: CLIENT_SETTINGS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  const scanContext: ScanContext = { command, roleName: scan.roleName, caller, sts, clock };
  const bar = new ProgressBar(io.terminal, clock);
  const tally = { done: 0, total: selection.evaluate.length, nonCompliant: 0, errors: missing.length };
  bar.update(tally);
  let scanned: Awaited<ReturnType<typeof scanAccount>>[];
  try {
    scanned = await runBounded(
      selection.evaluate,
      scan.concurrency,
      (account) => scanAccount(account, scanContext),
      ({ outcome }) => {
        tally.done += 1;
        if (rowVerdict(outcome) === "NON_COMPLIANT") tally.nonCompliant += 1;
        if (outcome.kind === "error") tally.errors += 1;
        bar.update(tally);
      },
    );
  } finally {
    bar.finish();
    sts.destroy();
  }
  const outcomes = orderOutcomes([...scanned.map((s) => s.outcome), ...missing, ...skipped]);
  const retries = listed.retries + scanned.reduce((sum, s) => sum + s.retries, 0);
  const summary = summarize(outcomes, retries);
  const elapsedMs = clock() - started;
  if (scan.csv) {
    io.stdout(toCsv(outcomes, command.now, command.params).replace(/\n$/, ""));
  } else if (command.json) {
    const json: ScanJson = {
      accounts: outcomes.map((outcome) => accountJson(outcome, command.now, command.params)),
      summary: {
        ...summary,
        concurrency: scan.concurrency,
        roleName: scan.roleName,
        callerAccountId: caller.accountId,
        elapsedSeconds: Math.round(elapsedMs / 100) / 10,
      },
    };
    io.stdout(JSON.stringify(json));
  } else {
    const table = toTable(outcomes, command.now, TABLE_WIDTH);
    const width = Math.max(TABLE_WIDTH, (table.split("\n")[0] ?? "").length);
    io.stdout(`${table}\n\n${wrap(summaryLine(summary, elapsedMs), width).join("\n")}`);
  }
  return summary.exitStatus;
}
