import { assumeMemberRole, sessionName } from "../aws/assume-role.ts";
import { createRuleClients } from "../aws/clients.ts";
import { fetchCredentialReport, type ReportProgress } from "../aws/credential-report.ts";
import { AccountMismatchError, errorSummary, RootActivityError, UsageError } from "../errors.ts";
import { evaluate } from "../evaluate.ts";
import { REMEDIATION_STEPS, remediationText } from "../remediation.ts";
import { type Command, parseCommand, USAGE } from "./args.ts";
import { type ReportInfo, toJson, toText } from "./format.ts";
import { loadReport } from "./read-report.ts";

/** What the CLI touches outside itself; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin?: () => Buffer;
  readonly clock?: () => number;
  readonly version?: string;
}

/** Exit statuses, as documented in the README. */
export const EXIT = { compliant: 0, nonCompliant: 1, error: 2 } as const;

/**
 * Runs the CLI and returns its exit status; never throws.
 *
 * @example
 * ```ts
 * const status = await runCli(["evaluate", "--report", "report.csv"], { stdout: console.log, stderr: console.error });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const clock = io.clock ?? Date.now;
  try {
    const command = parseCommand(argv, new Date(clock()));
    return await execute(command, io, clock);
  } catch (error) {
    const message = error instanceof RootActivityError ? error.message : errorSummary(error);
    io.stderr(`root-activity: ${message.split("\n")[0]}`);
    return EXIT.error;
  }
}

async function execute(command: Command, io: CliIo, clock: () => number): Promise<number> {
  switch (command.kind) {
    case "help":
      io.stdout(USAGE);
      return EXIT.compliant;
    case "version":
      io.stdout(io.version ?? "unknown");
      return EXIT.compliant;
    case "explain":
      io.stdout(command.json ? JSON.stringify({ steps: REMEDIATION_STEPS }) : remediationText());
      return EXIT.compliant;
    case "evaluate": {
      const { content, info, expectedAccountId } =
        command.source.kind === "file"
          ? fromFile(command.source.path, io)
          : await fromAws(command.source.roleArn, command.timeoutSeconds, io, clock);
      const verdict = evaluate(content, command.now, command.params);
      if (expectedAccountId && verdict.accountId && verdict.accountId !== expectedAccountId) {
        throw new AccountMismatchError(expectedAccountId, verdict.accountId);
      }
      io.stdout(
        command.json
          ? JSON.stringify(toJson(verdict, command.now, command.params, info))
          : toText(verdict, command.now, command.params, info),
      );
      return verdict.complianceType === "COMPLIANT" ? EXIT.compliant : EXIT.nonCompliant;
    }
  }
}

function fromFile(path: string, io: CliIo) {
  const report = loadReport(path, io.readStdin);
  const info: ReportInfo = { source: "file", generatedTime: report.generatedTime };
  return { content: report.content, info, expectedAccountId: undefined };
}

async function fromAws(roleArn: string | undefined, timeoutSeconds: number, io: CliIo, clock: () => number) {
  const deadline = clock() + timeoutSeconds * 1000;
  const expectedAccountId = roleArn?.split(":")[4];
  const clients = createRuleClients(
    roleArn ? await assumeWithProgress(roleArn, expectedAccountId ?? "", timeoutSeconds, io) : undefined,
  );
  try {
    const report = await fetchCredentialReport(clients.iam, {
      deadline,
      clock,
      onProgress: (progress) => io.stderr(progressLine(progress)),
    });
    return {
      content: report.content,
      info: { source: "live", generatedTime: report.generatedTime } satisfies ReportInfo,
      expectedAccountId,
    };
  } catch (error) {
    if (error instanceof RootActivityError) throw error;
    throw new UsageError(`cannot fetch the credential report: ${errorSummary(error)}`, { cause: error });
  } finally {
    clients.iam.destroy();
    clients.config.destroy();
  }
}

function assumeWithProgress(roleArn: string, accountId: string, timeoutSeconds: number, io: CliIo) {
  io.stderr(`Assuming ${roleArn}...`);
  return assumeMemberRole({
    roleArn,
    accountId,
    sessionName: sessionName("cli"),
    abortSignal: AbortSignal.timeout(timeoutSeconds * 1000),
  });
}

function progressLine(progress: ReportProgress): string {
  if (progress.kind === "generating") {
    return progress.state === "COMPLETE"
      ? "IAM has a recent credential report; fetching it..."
      : "Asked IAM to generate a new credential report...";
  }
  return `Waiting for the credential report (${Math.round(progress.waitedMs / 1000)} s so far)...`;
}
