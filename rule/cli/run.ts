import { createRuleClients } from "../aws/clients.ts";
import type { RoleCredentials } from "../aws/settings.ts";
import { assumeMemberRole, callerIdentity, sessionName } from "../aws/sts.ts";
import { type EvidenceSource, evaluateAccount } from "../evaluate-account.ts";
import type { GatherProgress } from "../evidence/types.ts";
import { REMEDIATION_STEPS, remediationText } from "../remediation.ts";
import { type Command, parseCommand } from "./args.ts";
import { type ReportInfo, toJson, toText } from "./format.ts";
import { cliMessage, type MessageContext } from "./messages.ts";
import { USAGE } from "./options.ts";
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
  /**
   * Asked for by a command that can stop early and still say what it found (the organization scan): from then on,
   * Ctrl-C aborts the signal instead of ending the process. Absent: Ctrl-C ends the process.
   */
  readonly catchInterrupt?: () => AbortSignal;
}

/** Exit statuses, as documented in docs/cli.md. */
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
      return await evaluateOne(command, io, clock);
    }
  }
}

type EvaluateCommand = Extract<Command, { kind: "evaluate" }>;

/** `evaluate --report` and `evaluate --live`: one account, through the rule's one evaluation path. */
async function evaluateOne(command: EvaluateCommand, io: CliIo, clock: () => number): Promise<number> {
  const deadline = clock() + command.timeoutSeconds * 1000;
  const limits = { maxReportAgeMs: command.maxReportAgeMs, maxReportAge: command.maxReportAge };
  let info: ReportInfo;
  let source: EvidenceSource;
  let accountId: string | undefined;
  let destroy = () => {};
  if (command.source.kind === "file") {
    const report = await loadReport(command.source.path, io.stdin ?? (() => process.stdin));
    info = {
      source: report.source,
      format: report.format,
      path: command.source.path,
      ...limits,
      generatedTime: report.generatedTime,
    };
    source = { kind: "report", report: { content: report.content, generatedTime: report.generatedTime } };
  } else {
    prepareSdkEnvironment();
    const live = await liveAccount(command.source.roleArn, command.timeoutSeconds, io);
    const clients = createRuleClients(live.credentials);
    destroy = clients.destroy;
    accountId = live.accountId;
    source = { kind: "aws", clients };
    info = { source: "live", format: "live", ...limits, generatedTime: null };
  }
  try {
    const { verdict, gathered } = await evaluateAccount({
      source,
      accountId,
      params: command.params,
      now: command.now,
      deadline,
      clock,
      maxReportAgeMs: command.maxReportAgeMs,
      onProgress: (progress) => io.stderr(progressLine(progress)),
    });
    if (gathered) info = { ...info, generatedTime: gathered.evidence.report.generatedTime };
    io.stdout(
      command.json
        ? JSON.stringify(toJson(verdict, command.now, command.params, info))
        : toText(verdict, command.now, command.params, info),
    );
    return verdict.complianceType === "COMPLIANT" ? EXIT.compliant : EXIT.nonCompliant;
  } finally {
    destroy();
  }
}

/**
 * The account `--live` evaluates and the credentials to read it with: the role of `--role-arn` (its account), or
 * the environment's own credentials and the account STS says they are (`sts:GetCallerIdentity`, which needs no
 * permission), so a report of any other account is refused as the Lambda refuses it.
 */
async function liveAccount(
  roleArn: string | undefined,
  timeoutSeconds: number,
  io: CliIo,
): Promise<{ accountId: string; credentials: RoleCredentials | undefined }> {
  const abortSignal = AbortSignal.timeout(timeoutSeconds * 1000);
  if (roleArn === undefined) {
    const me = await callerIdentity({ abortSignal });
    return { accountId: me.accountId, credentials: undefined };
  }
  const accountId = roleArn.split(":")[4] ?? "";
  io.stderr(`Assuming ${roleArn}...`);
  const credentials = await assumeMemberRole({
    roleArn,
    accountId,
    sessionName: sessionName("cli"),
    abortSignal,
  });
  return { accountId, credentials };
}

/**
 * The SDK reads `AWS_REGION` only, the AWS CLI `AWS_DEFAULT_REGION` too: a terminal set up for the AWS CLI works
 * here as well. Node 20 is past its end of life and the SDK warns about it in nine lines on every run; the docs
 * state the supported versions, and the CLI keeps to the output it promises (`false` shows the warning). These
 * three are the only variables the CLI's own code touches (test/security.test.ts).
 */
function prepareSdkEnvironment(): void {
  const region = process.env.AWS_REGION;
  const awsCliRegion = process.env.AWS_DEFAULT_REGION;
  if (!region && awsCliRegion) process.env.AWS_REGION = awsCliRegion;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

function progressLine(progress: GatherProgress): string {
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
