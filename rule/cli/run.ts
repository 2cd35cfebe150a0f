import { createRuleClients } from "../aws/clients.ts";
import { assumeMemberRole, sessionName } from "../aws/sts.ts";
import type { ReportProgress } from "../credential-report/fetch.ts";
import { AccountMismatchError, RootActivityError, UsageError } from "../errors.ts";
import { evaluate } from "../evaluate.ts";
import { gatherEvidence } from "../evidence/gather.ts";
import type { Evidence } from "../evidence/types.ts";
import { REMEDIATION_STEPS, remediationText } from "../remediation.ts";
import { type Command, parseCommand, USAGE } from "./args.ts";
import { type ReportInfo, toJson, toText } from "./format.ts";
import { cliMessage, type MessageContext } from "./messages.ts";
import { loadReport, type Stdin } from "./read-report.ts";

/** What the CLI touches outside itself; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Standard input, asked for only when the report is read from it; default `process.stdin`. */
  readonly stdin?: () => Stdin;
  readonly clock?: () => number;
  readonly version?: string;
  /** Stderr when it is a terminal (the organization scan's progress bar draws there); absent otherwise. */
  readonly terminal?: { readonly write: (text: string) => void; readonly columns: number } | undefined;
}

/** Exit statuses, as documented in the README. */
export const EXIT = { compliant: 0, nonCompliant: 1, error: 2 } as const;

/**
 * Runs the CLI and returns its exit status; never throws. Errors are one line on stderr, worded for the command
 * line (see `cliMessage`).
 *
 * @example
 * ```ts
 * const status = await runCli(["evaluate", "--report", "report.csv"], { stdout: console.log, stderr: console.error });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const clock = io.clock ?? Date.now;
  let context: MessageContext = { timeoutSeconds: 120 };
  try {
    const command = parseCommand(argv, new Date(clock()));
    if (command.kind === "evaluate") {
      context = {
        timeoutSeconds: command.timeoutSeconds,
        roleArn: command.source.kind === "live" ? command.source.roleArn : undefined,
      };
    }
    return await execute(command, io, clock);
  } catch (error) {
    io.stderr(`root-activity: ${cliMessage(error, context)}`);
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
      if (command.organization) {
        prepareSdkEnvironment();
        // Initialized only for --organization: the scan and the Organizations SDK run no code in any other command
        // (the Lambda bundle has neither).
        const { runOrganization } = await import("./organization/run.ts");
        return await runOrganization({ ...command, organization: command.organization }, io, clock);
      }
      const limits = { maxReportAgeMs: command.maxReportAgeMs, maxReportAge: command.maxReportAge };
      const { evidence, info, expectedAccountId } =
        command.source.kind === "file"
          ? await fromFile(command.source.path, io, limits)
          : await fromAws(command, command.source.roleArn, io, clock, limits);
      const verdict = evaluate(evidence, command.now, command.params, {
        maxReportAgeMs: command.maxReportAgeMs,
      });
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

type Limits = Pick<ReportInfo, "maxReportAgeMs" | "maxReportAge">;

async function fromFile(path: string, io: CliIo, limits: Limits) {
  const report = await loadReport(path, io.stdin ?? (() => process.stdin));
  const info: ReportInfo = {
    source: report.source,
    format: report.format,
    path,
    generatedTime: report.generatedTime,
    ...limits,
  };
  const evidence: Evidence = {
    report: { content: report.content, generatedTime: report.generatedTime },
    cloudTrail: null,
  };
  return { evidence, info, expectedAccountId: undefined };
}

async function fromAws(
  command: Extract<Command, { kind: "evaluate" }>,
  roleArn: string | undefined,
  io: CliIo,
  clock: () => number,
  limits: Limits,
) {
  const timeoutSeconds = command.timeoutSeconds;
  prepareSdkEnvironment();
  const deadline = clock() + timeoutSeconds * 1000;
  const expectedAccountId = roleArn?.split(":")[4];
  const clients = createRuleClients(
    roleArn ? await assumeWithProgress(roleArn, expectedAccountId ?? "", timeoutSeconds, io) : undefined,
  );
  try {
    const gathered = await gatherEvidence(clients, {
      params: command.params,
      now: command.now,
      deadline,
      clock,
      onProgress: (progress) => io.stderr(progressLine(progress)),
    });
    const info: ReportInfo = {
      source: "live",
      format: "live",
      generatedTime: gathered.evidence.report.generatedTime,
      ...limits,
    };
    return { evidence: gathered.evidence, info, expectedAccountId };
  } catch (error) {
    if (error instanceof RootActivityError) throw error;
    throw new UsageError(
      `cannot fetch the credential report: ${cliMessage(error, { timeoutSeconds, roleArn })}`,
      { cause: error },
    );
  } finally {
    clients.destroy();
  }
}

/**
 * The SDK reads `AWS_REGION` only, the AWS CLI `AWS_DEFAULT_REGION` too: a terminal set up for the AWS CLI works
 * here as well. Node 20 is past its end of life and the SDK warns about it in nine lines on every run; the README
 * states the supported versions, and the CLI keeps to the output it promises (`false` shows the warning). These
 * three are the only variables the CLI's own code touches (test/security.test.ts).
 */
function prepareSdkEnvironment(): void {
  const region = process.env.AWS_REGION;
  const awsCliRegion = process.env.AWS_DEFAULT_REGION;
  if (!region && awsCliRegion) process.env.AWS_REGION = awsCliRegion;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
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

function progressLine(
  progress: ReportProgress | { readonly kind: "cloudtrail"; readonly regions: number },
): string {
  if (progress.kind === "cloudtrail") {
    return `Reading CloudTrail event history in ${progress.regions} region${progress.regions === 1 ? "" : "s"}...`;
  }
  if (progress.kind === "generating") {
    return progress.state === "COMPLETE"
      ? "IAM has a recent credential report; fetching it..."
      : "Asked IAM to generate a new credential report...";
  }
  return `Waiting for the credential report (${Math.round(progress.waitedMs / 1000)} s so far)...`;
}
