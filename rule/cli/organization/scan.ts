import type { STSClient } from "@aws-sdk/client-sts";
import { createRuleClients } from "../../aws/clients.ts";
import type { CallerIdentity } from "../../aws/sts.ts";
import { assumeMemberRole, memberRoleArn, sessionName } from "../../aws/sts.ts";
import { AccountMismatchError, AssumeRoleError, errorName, errorSummary } from "../../errors.ts";
import { evaluate } from "../../evaluate.ts";
import { gatherEvidence } from "../../evidence/gather.ts";
import type { Command } from "../args.ts";
import { cliMessage } from "../messages.ts";
import type { OrganizationAccount } from "./list-accounts.ts";
import type { AccountOutcome } from "./results.ts";

/**
 * Runs `work` on every item with at most `concurrency` in flight, in list order; `onDone` hears each result as it
 * comes. Results are in the items' order. `work` must not throw (an account's failure is an outcome).
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
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
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
}

/** One account's outcome, and the calls the SDK retried on the way (throttling, 5xx). */
export interface ScannedAccount {
  readonly outcome: AccountOutcome;
  readonly retries: number;
}

/**
 * Evaluates one account as the Lambda would: the caller's own account with the current credentials, any other
 * with `arn:<partition>:iam::<account>:role/<roleName>`, whose credentials alone read that account's report (and
 * CloudTrail, when the command reads it). `--timeout` bounds each account. Never throws: a failure is an `error`
 * outcome naming the error and the fix.
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
  const timeoutMs = command.timeoutSeconds * 1000;
  const deadline = clock() + timeoutMs;
  const own = account.id === caller.accountId;
  const roleArn = own ? undefined : memberRoleArn(caller.partition, account.id, context.roleName);
  let retries = 0;
  let clients: ReturnType<typeof createRuleClients> | undefined;
  try {
    if (roleArn) {
      const credentials = await assumeMemberRole({
        roleArn,
        accountId: account.id,
        sessionName: sessionName("cli"),
        abortSignal: AbortSignal.timeout(timeoutMs),
        client: context.sts,
      });
      retries += credentials.retries ?? 0;
      clients = createRuleClients(credentials);
    } else {
      clients = createRuleClients();
    }
    const gathered = await gatherEvidence(clients, {
      params: command.params,
      now: command.now,
      deadline,
      clock,
    });
    retries += gathered.report.calls.retries + (gathered.cloudTrail?.retries ?? 0);
    const verdict = evaluate(gathered.evidence, command.now, command.params, {
      maxReportAgeMs: command.maxReportAgeMs,
    });
    if (verdict.accountId && verdict.accountId !== account.id) {
      throw new AccountMismatchError(account.id, verdict.accountId);
    }
    const info = {
      source: "live",
      format: "live",
      generatedTime: gathered.evidence.report.generatedTime,
      maxReportAgeMs: command.maxReportAgeMs,
      maxReportAge: command.maxReportAge,
    } as const;
    return { outcome: { kind: "evaluated", account, verdict, info }, retries };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    retries += retriesOf(cause ?? error);
    return {
      outcome: {
        kind: "error",
        account,
        error: { name: errorName(error), message: accountErrorMessage(error, roleArn, context) },
      },
      retries,
    };
  } finally {
    clients?.destroy();
  }
}

/**
 * One account's error in the terms of the organization scan: which role, which credentials, and the likely fix.
 *
 * @example
 * ```ts
 * accountErrorMessage(new AssumeRoleError(arn, id, denied), arn, context);
 * // "Cannot assume arn:aws:iam::444455556666:role/audit: AccessDenied (HTTP 403): …; likely fix: …"
 * ```
 */
export function accountErrorMessage(
  error: unknown,
  roleArn: string | undefined,
  context: ScanContext,
): string {
  if (error instanceof AssumeRoleError) {
    const denied = ["AccessDenied", "AccessDeniedException"].includes(errorName(error.cause));
    return (
      `Cannot assume ${error.roleArn}: ${errorSummary(error.cause)}` +
      (denied
        ? `; likely fix: create the role ${context.roleName} in account ${error.accountId} with a trust policy ` +
          "that lets your credentials assume it, or name the role that is there with --role-name"
        : "")
    );
  }
  if (error instanceof AccountMismatchError) {
    return (
      `The credential report is for account ${error.reportAccountId}, not ${error.expectedAccountId}: ` +
      `the credentials of ${roleArn ?? "your own account"} are another account's`
    );
  }
  return cliMessage(error, { timeoutSeconds: context.command.timeoutSeconds, roleArn });
}

function retriesOf(value: unknown): number {
  return Math.max(0, ((value as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1) - 1);
}
