import { setMaxListeners } from "node:events";
import { CLIENT_SETTINGS } from "../../aws/settings.ts";
import { callerIdentity, createStsClient } from "../../aws/sts.ts";
import { AccountNotInOrganizationError } from "../../errors.ts";
import type { Command, OrganizationScan } from "../args.ts";
import { cliMessage } from "../messages.ts";
import { CONCURRENCY } from "../options.ts";
import { selectAccounts } from "./accounts.ts";
import { listOrganizationAccounts, ORGANIZATION_MAX_ATTEMPTS } from "./list-accounts.ts";
import { accountJson, type ScanJson, toCsv } from "./output.ts";
import { ProgressBar, type Terminal } from "./progress.ts";
import { type AccountOutcome, orderOutcomes, rowVerdict, summarize, summaryLine } from "./results.ts";
import { runBounded, type ScanContext, type ScannedAccount, scanAccount } from "./scan.ts";
import { toTable, wrap } from "./table.ts";

/** What the scan touches outside itself. */
export interface ScanIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Present only when stderr is a terminal: the progress bar draws there. */
  readonly terminal?: Terminal | undefined;
  /** Ctrl-C aborts the scan instead of ending the process (see `CliIo.catchInterrupt`). */
  readonly catchInterrupt?: () => AbortSignal;
}

/** The table is laid out for this many columns (the usage text's width too). */
const TABLE_WIDTH = 100;

/** Exit status of a scan stopped with Ctrl-C: 128 + SIGINT, as a shell reports it. */
export const INTERRUPTED_EXIT = 130;

/**
 * `evaluate --live --organization`: lists the organization's accounts, evaluates every active one (at most
 * `--concurrency` at once), prints the table, `--json` or `--csv`, and returns the exit status (1 any
 * NON_COMPLIANT, else 2 any account not evaluated, else 0). Ctrl-C stops it: the accounts already evaluated are
 * printed as usual, stderr says the scan was interrupted and how many accounts were left, and the status is 130.
 * Loaded with `import()` only for `--organization`.
 *
 * @example
 * ```ts
 * const status = await runOrganization(command, { stdout: console.log, stderr: console.error }, Date.now);
 * ```
 */
export async function runOrganization(
  command: Extract<Command, { kind: "evaluate" }> & { readonly organization: OrganizationScan },
  io: ScanIo,
  clock: () => number,
): Promise<number> {
  const scan = command.organization;
  const started = clock();
  const interrupt = io.catchInterrupt?.();
  // Every account in flight listens to it (its deadline), each listener removed when the account is done: up to 64
  // at once with --concurrency 64, not a leak.
  if (interrupt) setMaxListeners(CONCURRENCY.max, interrupt);
  const signal = () => AbortSignal.timeout(command.timeoutSeconds * 1000);
  const sts = createStsClient(CLIENT_SETTINGS, ORGANIZATION_MAX_ATTEMPTS);
  try {
    const caller = await callerIdentity({ abortSignal: signal(), client: sts });
    const listed = await listOrganizationAccounts({ abortSignal: signal() });
    const selection = selectAccounts(listed.accounts, scan);
    const missing: AccountOutcome[] = selection.missing.map((id) => {
      const error = new AccountNotInOrganizationError(id);
      const message = cliMessage(error, { timeoutSeconds: command.timeoutSeconds });
      return { kind: "error", account: { id, name: "", state: "" }, error: { name: error.name, message } };
    });
    const skipped: AccountOutcome[] = selection.skipped.map((account) => ({ kind: "skipped", account }));

    const scanContext: ScanContext = { command, roleName: scan.roleName, caller, sts, clock, interrupt };
    const bar = new ProgressBar(io.terminal, clock);
    const tally = { done: 0, total: selection.evaluate.length, nonCompliant: 0, errors: missing.length };
    bar.update(tally);
    let scanned: (ScannedAccount | undefined)[];
    try {
      scanned = await runBounded(
        selection.evaluate,
        scan.concurrency,
        (account) => scanAccount(account, scanContext),
        ({ outcome, interrupted }) => {
          if (interrupted) return;
          tally.done += 1;
          if (rowVerdict(outcome) === "NON_COMPLIANT") tally.nonCompliant += 1;
          if (outcome.kind === "error") tally.errors += 1;
          bar.update(tally);
        },
        interrupt,
      );
    } finally {
      bar.finish();
    }
    const finished = scanned.filter((s): s is ScannedAccount => s !== undefined && !s.interrupted);
    const outcomes = orderOutcomes([...finished.map((s) => s.outcome), ...missing, ...skipped]);
    const retries = listed.retries + scanned.reduce((sum, s) => sum + (s?.retries ?? 0), 0);
    const summary = summarize(outcomes, retries);
    const elapsedMs = clock() - started;
    const left = selection.evaluate.length - finished.length;
    if (scan.csv) {
      io.stdout(toCsv(outcomes, command.now, command.params).replace(/\n$/, ""));
    } else if (command.json) {
      const json: ScanJson = {
        accounts: outcomes.map((outcome) => accountJson(outcome, command.now, command.params)),
        summary: {
          ...summary,
          exitStatus: interrupt?.aborted ? INTERRUPTED_EXIT : summary.exitStatus,
          interrupted: interrupt?.aborted ?? false,
          notEvaluated: left,
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
    if (interrupt?.aborted) {
      io.stderr(
        `root-activity: interrupted (Ctrl-C): ${left} of ${selection.evaluate.length} accounts were not evaluated; ` +
          "the results above are the accounts evaluated before it",
      );
      return INTERRUPTED_EXIT;
    }
    return summary.exitStatus;
  } finally {
    sts.destroy();
  }
}
