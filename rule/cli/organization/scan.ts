import type { STSClient } from "@aws-sdk/client-sts";
import { createRuleClients } from "../../aws/clients.ts";
import { assumeMemberRole, type CallerIdentity, memberRoleArn, sessionName } from "../../aws/sts.ts";
import { abortAfter } from "../../deadline.ts";
import { errorName } from "../../errors.ts";
import { evaluateAccount } from "../../evaluate-account.ts";
import type { Command } from "../args.ts";
import { cliMessage } from "../messages.ts";
import type { OrganizationAccount } from "./list-accounts.ts";
import type { AccountOutcome } from "./results.ts";

/**
 * Runs `work` on every item with at most `concurrency` in flight, in list order; `onDone` hears each result as it
 * comes. Results are in the items' order; once `stop` aborts no item is started, and those never started have no
 * result (`undefined`). `work` must not throw (an account's failure is an outcome).
 *
 * @example
 * ```ts
 * const outcomes = await runBounded(accounts, 8, (account) => scanAccount(account, context));
 * ```
 */
export async function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  onDone: (result: R) => void = () => {},
  stop?: AbortSignal,
): Promise<(R | undefined)[]> {
  const results = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop?.aborted) {
      const index = next++;
      const result = await work(items[index] as T);
      results[index] = result;
      onDone(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** What every account's evaluation shares. */
export interface ScanContext {
  readonly command: Extract<Command, { kind: "evaluate" }>;
  readonly roleName: string;
  readonly caller: CallerIdentity;
  /** The STS client of every AssumeRole (one caller's quota). */
  readonly sts: STSClient;
  readonly clock: () => number;
  /** Aborted when a person presses Ctrl-C: what is under way stops, and its accounts are not reported. */
  readonly interrupt?: AbortSignal | undefined;
}

/** One account's outcome, the calls the SDK retried on the way (throttling, 5xx), and whether Ctrl-C cut it short. */
export interface ScannedAccount {
  readonly outcome: AccountOutcome;
  readonly retries: number;
  /** The scan was interrupted before this account's evaluation ended: its outcome says nothing about it. */
  readonly interrupted: boolean;
}

/**
 * Evaluates one account as the Lambda would, through the rule's one evaluation path: the caller's own account with
 * the current credentials, any other with `arn:<partition>:iam::<account>:role/<roleName>`, whose credentials alone
 * read that account's report (and CloudTrail, when the command reads it). `--timeout` bounds each account. Never
 * throws: a failure is an `error` outcome in the CLI's words (`cliMessage`).
 *
 * @example
 * ```ts
 * const { outcome } = await scanAccount({ id: "444455556666", name: "prod", state: "ACTIVE" }, context);
 * ```
 */
export async function scanAccount(
  account: OrganizationAccount,
  context: ScanContext,
): Promise<ScannedAccount> {
  const { command, caller, clock } = context;
  // One deadline for the whole account, AssumeRole included; Ctrl-C ends it early.
  const timeoutMs = command.timeoutSeconds * 1000;
  const deadlineMs = clock() + timeoutMs;
  const deadline = abortAfter(timeoutMs, context.interrupt);
  const own = account.id === caller.accountId;
  const roleArn = own ? undefined : memberRoleArn(caller.partition, account.id, context.roleName);
  let retries = 0;
  let clients: ReturnType<typeof createRuleClients> | undefined;
  try {
    let credentials: Awaited<ReturnType<typeof assumeMemberRole>> | undefined;
    if (roleArn) {
      credentials = await assumeMemberRole({
        roleArn,
        accountId: account.id,
        sessionName: sessionName("cli"),
        abortSignal: deadline.signal,
        client: context.sts,
      });
      retries += credentials.retries ?? 0;
    }
    clients = createRuleClients(credentials);
    const { verdict, gathered } = await evaluateAccount({
      source: { kind: "aws", clients },
      accountId: account.id,
      params: command.params,
      now: command.now,
      deadline: deadlineMs,
      clock,
      maxReportAgeMs: command.maxReportAgeMs,
      signal: deadline.signal,
    });
    retries += gathered.report.calls.retries + (gathered.cloudTrail?.retries ?? 0);
    const info = {
      source: "live",
      format: "live",
      generatedTime: gathered.evidence.report.generatedTime,
      maxReportAgeMs: command.maxReportAgeMs,
      maxReportAge: command.maxReportAge,
    } as const;
    return { outcome: { kind: "evaluated", account, verdict, info }, retries, interrupted: false };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    retries += retriesOf(cause ?? error);
    const message = cliMessage(error, {
      timeoutSeconds: command.timeoutSeconds,
      roleArn,
      roleName: context.roleName,
    });
    return {
      outcome: { kind: "error", account, error: { name: errorName(error), message } },
      retries,
      interrupted: context.interrupt?.aborted ?? false,
    };
  } finally {
    deadline.dispose();
    clients?.destroy();
  }
}

function retriesOf(value: unknown): number {
  return Math.max(0, ((value as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1) - 1);
}
