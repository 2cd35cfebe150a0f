/**
 * IAM: the credential report state of each account and the IAM actions on it.
 *
 * @module
 */
import { minimalRootReport } from "./report-csv.ts";
import type { Caller, OnGenerateOptions, WireResponse } from "./types.ts";
import { element, isoSeconds, queryError, queryResult } from "./xml.ts";

/** AWS generates a new report at most every 4 hours. */
export const REPORT_MIN_AGE_MS = 4 * 60 * 60 * 1000;

interface Report {
  content: Buffer;
  generatedTime: Date;
}

interface Generator {
  content: Buffer;
  readyAfterPolls: number;
  generatedTime: (() => Date) | undefined;
}

interface Generation {
  content: Buffer;
  pollsLeft: number;
  generatedTime: (() => Date) | undefined;
}

interface AccountReports {
  report: Report | undefined;
  expired: boolean;
  generator: Generator | undefined;
  generation: Generation | undefined;
}

function toBuffer(csv: string | Uint8Array): Buffer {
  return typeof csv === "string" ? Buffer.from(csv, "utf8") : Buffer.from(csv);
}

/**
 * Credential reports of every account, following AWS's rules: a generation runs at most every
 * 4 hours (by the server clock), and while one runs `GetCredentialReport` answers `ReportInProgress`.
 *
 * @example
 * ```ts
 * const reports = new ReportStore(() => new Date());
 * reports.set("111122223333", "user,arn\n…", new Date());
 * reports.get("111122223333"); // { kind: "report", … }
 * ```
 */
export class ReportStore {
  private readonly accounts = new Map<string, AccountReports>();

  constructor(private readonly clock: () => Date) {}

  private account(accountId: string): AccountReports {
    let state = this.accounts.get(accountId);
    if (state === undefined) {
      state = { report: undefined, expired: false, generator: undefined, generation: undefined };
      this.accounts.set(accountId, state);
    }
    return state;
  }

  /**
   * Installs an existing report, ending any running generation.
   *
   * @example
   * ```ts
   * reports.set("111122223333", csv, new Date("2024-05-02T08:00:00Z"));
   * ```
   */
  set(accountId: string, csv: string | Uint8Array, generatedTime: Date): void {
    const state = this.account(accountId);
    state.report = { content: toBuffer(csv), generatedTime: new Date(generatedTime) };
    state.expired = false;
    state.generation = undefined;
  }

  /**
   * Forgets the report and any running generation.
   *
   * @example
   * ```ts
   * reports.clear("111122223333");
   * ```
   */
  clear(accountId: string): void {
    const state = this.account(accountId);
    state.report = undefined;
    state.expired = false;
    state.generation = undefined;
  }

  /**
   * Marks the report expired (and ends any running generation).
   *
   * @example
   * ```ts
   * reports.expire("111122223333");
   * ```
   */
  expire(accountId: string): void {
    const state = this.account(accountId);
    state.expired = true;
    state.generation = undefined;
  }

  /**
   * Sets what the next generations of the account produce.
   *
   * @example
   * ```ts
   * reports.onGenerate("111122223333", csv, { readyAfterPolls: 1 });
   * ```
   */
  onGenerate(accountId: string, csv: string | Uint8Array, opts: OnGenerateOptions = {}): void {
    const readyAfterPolls = opts.readyAfterPolls ?? 0;
    if (!Number.isInteger(readyAfterPolls) || readyAfterPolls < 0) {
      throw new RangeError(`readyAfterPolls must be an integer >= 0, got ${readyAfterPolls}`);
    }
    this.account(accountId).generator = {
      content: toBuffer(csv),
      readyAfterPolls,
      generatedTime: opts.generatedTime,
    };
  }

  /**
   * `GenerateCredentialReport`: `STARTED` when there is no fresh report, `INPROGRESS` while a
   * generation runs, `COMPLETE` (and nothing changes) within 4 hours of the current report.
   *
   * @example
   * ```ts
   * reports.generate("111122223333"); // "STARTED"
   * ```
   */
  generate(accountId: string): "STARTED" | "INPROGRESS" | "COMPLETE" {
    const state = this.account(accountId);
    if (state.generation !== undefined) return "INPROGRESS";
    const report = state.report;
    if (report !== undefined && !state.expired) {
      const age = this.clock().getTime() - report.generatedTime.getTime();
      if (age < REPORT_MIN_AGE_MS) return "COMPLETE";
    }
    const generator = state.generator;
    state.generation = {
      content: generator?.content ?? report?.content ?? Buffer.from(minimalRootReport(accountId), "utf8"),
      pollsLeft: generator?.readyAfterPolls ?? 0,
      generatedTime: generator?.generatedTime,
    };
    this.finishIfReady(state);
    return "STARTED";
  }

  /**
   * `GetCredentialReport`: the report, or why there is none.
   *
   * @example
   * ```ts
   * const answer = reports.get("111122223333");
   * if (answer.kind === "report") answer.content.toString("utf8");
   * ```
   */
  get(
    accountId: string,
  ):
    | { kind: "report"; content: Buffer; generatedTime: Date }
    | { kind: "inProgress" | "notPresent" | "expired" } {
    const state = this.account(accountId);
    if (state.generation !== undefined) {
      state.generation.pollsLeft -= 1;
      this.finishIfReady(state);
      return { kind: "inProgress" };
    }
    if (state.expired) return { kind: "expired" };
    if (state.report === undefined) return { kind: "notPresent" };
    return { kind: "report", content: state.report.content, generatedTime: state.report.generatedTime };
  }

  /**
   * Forgets every account's reports and generators.
   *
   * @example
   * ```ts
   * reports.reset();
   * ```
   */
  reset(): void {
    this.accounts.clear();
  }

  private finishIfReady(state: AccountReports): void {
    const generation = state.generation;
    if (generation === undefined || generation.pollsLeft > 0) return;
    state.report = {
      content: generation.content,
      generatedTime: generation.generatedTime?.() ?? this.clock(),
    };
    state.expired = false;
    state.generation = undefined;
  }
}

const DESCRIPTIONS = {
  STARTED: "No report exists. Starting a new report generation task",
  INPROGRESS: "Report generation in progress",
  COMPLETE: "Report generation is complete",
} as const;

/**
 * Answers an IAM action for a known caller.
 *
 * @example
 * ```ts
 * handleIam("GetCredentialReport", caller, reports, undefined);
 * ```
 */
export function handleIam(
  action: string,
  caller: Caller,
  reports: ReportStore,
  alias: string | undefined,
): WireResponse {
  switch (action) {
    case "ListAccountAliases":
      return queryResult(
        "iam",
        action,
        element("IsTruncated", "false") +
          `<AccountAliases>${alias === undefined ? "" : element("member", alias)}</AccountAliases>`,
      );
    case "GenerateCredentialReport": {
      const state = reports.generate(caller.accountId);
      return queryResult(
        "iam",
        action,
        element("State", state) + element("Description", DESCRIPTIONS[state]),
      );
    }
    case "GetCredentialReport": {
      const answer = reports.get(caller.accountId);
      switch (answer.kind) {
        case "report":
          return queryResult(
            "iam",
            action,
            element("Content", answer.content.toString("base64")) +
              element("ReportFormat", "text/csv") +
              element("GeneratedTime", isoSeconds(answer.generatedTime)),
          );
        case "inProgress":
          return queryError("iam", 404, "ReportInProgress", "Credential report generation is in progress.");
        case "expired":
          return queryError(
            "iam",
            410,
            "ReportExpired",
            "The credential report has expired. To generate a new report, use GenerateCredentialReport.",
          );
        case "notPresent":
          return queryError(
            "iam",
            410,
            "ReportNotPresent",
            "Credential report not present. To generate a new report, use GenerateCredentialReport.",
          );
      }
      break;
    }
  }
  return queryError("iam", 400, "InvalidAction", `Could not find operation ${action} for version 2010-05-08`);
}
