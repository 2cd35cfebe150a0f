import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type GetCredentialReportCommandOutput,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { ReportNotReadyError, ReportRetrievalError, RootActivityError } from "../errors.ts";
import { REPORT_REGENERATION_MS } from "../limits.ts";
import { type Backoff, DEFAULT_BACKOFF, delayFor } from "./backoff.ts";

/** IAM makes a new report at most every 4 hours; a report younger than that is as fresh as it can be. */
export const REPORT_MAX_AGE_MS = REPORT_REGENERATION_MS;

/** A credential report, and what it took to get it. */
export interface FetchedReport {
  readonly content: Uint8Array;
  readonly generatedTime: Date;
  /** Age at retrieval by the local clock; negative if IAM's clock is ahead. */
  readonly ageMs: number;
  /** True when this run asked IAM to generate a new report. */
  readonly generated: boolean;
  /** Time spent waiting for IAM to finish generating. */
  readonly waitedMs: number;
  readonly calls: IamCallCount;
  /** IAM's request id of the GetCredentialReport call that returned the report. */
  readonly requestId: string | undefined;
}

/** IAM operations made, and retries the SDK made inside them. */
export interface IamCallCount {
  GetCredentialReport: number;
  GenerateCredentialReport: number;
  retries: number;
}

/** Progress while IAM generates the report (the CLI prints it). */
export type ReportProgress =
  | { readonly kind: "generating"; readonly state: string }
  | {
      readonly kind: "waiting";
      readonly polls: number;
      readonly waitedMs: number;
      readonly nextDelayMs: number;
    };

export interface FetchReportOptions {
  /** Epoch ms by which the report must be in hand. */
  readonly deadline: number;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly backoff?: Backoff;
  readonly onProgress?: (progress: ReportProgress) => void;
  /**
   * Aborts every call, at the deadline or earlier (the caller's own timer, which gatherEvidence holds); without
   * it, each call gets a timeout of the time left.
   */
  readonly signal?: AbortSignal;
}

type GetOutcome =
  | { readonly kind: "report"; readonly output: GetCredentialReportCommandOutput }
  | { readonly kind: "absent" | "expired" | "in-progress" };

const OUTCOME_BY_ERROR: Record<string, "absent" | "expired" | "in-progress"> = {
  CredentialReportNotPresentException: "absent",
  ReportNotPresent: "absent",
  CredentialReportExpiredException: "expired",
  ReportExpired: "expired",
  CredentialReportNotReadyException: "in-progress",
  ReportInProgress: "in-progress",
};

/**
 * Gets the account's credential report with the fewest IAM calls: one `GetCredentialReport` when a report
 * younger than 4 hours exists; otherwise `GenerateCredentialReport`, then `GetCredentialReport` polled with capped
 * exponential back-off and jitter until the report is ready or `deadline` comes. Throws
 * {@link ReportNotReadyError} at the deadline and {@link ReportRetrievalError} when IAM fails.
 *
 * @example
 * ```ts
 * const report = await fetchCredentialReport(new IAMClient({}), { deadline: Date.now() + 60_000 });
 * console.log(report.generatedTime, report.content.byteLength);
 * ```
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: FetchReportOptions,
): Promise<FetchedReport> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const calls: IamCallCount = { GetCredentialReport: 0, GenerateCredentialReport: 0, retries: 0 };
  let polls = 0;
  let waitedMs = 0;

  const send = async <T extends { $metadata: { attempts?: number } }>(
    operation: "GetCredentialReport" | "GenerateCredentialReport",
    call: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    calls[operation] += 1;
    const remaining = options.deadline - clock();
    if (remaining <= 0) throw new ReportNotReadyError(waitedMs, polls);
    try {
      const output = await call(options.signal ?? AbortSignal.timeout(remaining));
      calls.retries += retriesOf(output);
      return output;
    } catch (error) {
      calls.retries += retriesOf(error);
      throw error;
    }
  };

  const get = async (): Promise<GetOutcome> => {
    try {
      const output = await send("GetCredentialReport", (abortSignal) =>
        iam.send(new GetCredentialReportCommand({}), { abortSignal }),
      );
      return { kind: "report", output };
    } catch (error) {
      if (error instanceof RootActivityError) throw error;
      const outcome = OUTCOME_BY_ERROR[(error as Error).name];
      if (outcome) return { kind: outcome };
      throw new ReportRetrievalError("GetCredentialReport", timeoutAware(error, clock(), options.deadline));
    }
  };

  const generate = async (): Promise<string> => {
    try {
      const output = await send("GenerateCredentialReport", (abortSignal) =>
        iam.send(new GenerateCredentialReportCommand({}), { abortSignal }),
      );
      return output.State ?? "STARTED";
    } catch (error) {
      if (error instanceof RootActivityError) throw error;
      throw new ReportRetrievalError(
        "GenerateCredentialReport",
        timeoutAware(error, clock(), options.deadline),
      );
    }
  };

  const finish = (output: GetCredentialReportCommandOutput, generated: boolean): FetchedReport => {
    if (!output.Content || !output.GeneratedTime) {
      throw new ReportRetrievalError(
        "GetCredentialReport",
        new Error("the answer has no Content or GeneratedTime"),
      );
    }
    if (output.ReportFormat && output.ReportFormat !== "text/csv") {
      throw new ReportRetrievalError(
        "GetCredentialReport",
        new Error(`the report format is ${output.ReportFormat}, not text/csv`),
      );
    }
    return {
      content: output.Content,
      generatedTime: output.GeneratedTime,
      ageMs: clock() - output.GeneratedTime.getTime(),
      generated,
      waitedMs,
      calls,
      requestId: output.$metadata.requestId,
    };
  };

  const wait = async (): Promise<void> => {
    const delay = delayFor(polls, backoff, random);
    if (clock() + delay >= options.deadline) throw new ReportNotReadyError(waitedMs, polls);
    options.onProgress?.({ kind: "waiting", polls, waitedMs, nextDelayMs: delay });
    await sleep(delay);
    polls += 1;
    waitedMs += delay;
  };

  const first = await get();
  if (first.kind === "report") {
    const generatedTime = first.output.GeneratedTime;
    if (generatedTime && clock() - generatedTime.getTime() < REPORT_MAX_AGE_MS)
      return finish(first.output, false);
  }

  // No usable report: ask for one, unless IAM is already making it, then poll until it is ready.
  let needGenerate = first.kind !== "in-progress";
  let generations = 0;
  for (;;) {
    if (needGenerate) {
      const state = await generate();
      options.onProgress?.({ kind: "generating", state });
      needGenerate = false;
      generations += 1;
      // COMPLETE: fetch at once, but only the first time. If IAM keeps saying COMPLETE while the report stays
      // absent or expired, back off like any poll, so this loop never spins.
      if (state !== "COMPLETE" || generations > 1) await wait();
    } else {
      await wait();
    }
    const next = await get();
    if (next.kind === "report") return finish(next.output, true);
    // Absent or expired right after a generate: the report was lost in between; ask again.
    if (next.kind !== "in-progress") needGenerate = true;
  }
}

/** Retries the SDK made inside one call (its `$metadata.attempts`, on answers and on errors alike). */
function retriesOf(outputOrError: unknown): number {
  return Math.max(0, ((outputOrError as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) - 1);
}

/** An abort at the invocation's deadline says so, instead of the SDK's bare "Request aborted". */
function timeoutAware(error: unknown, now: number, deadline: number): unknown {
  if (now >= deadline && (error as Error)?.name === "AbortError") {
    return new Error("no answer before the invocation's deadline", { cause: error });
  }
  return error;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
