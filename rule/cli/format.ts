import type { RootEvent } from "../cloudtrail/types.ts";
import type { RuleParameters } from "../params.ts";
import { formatUtc } from "../timestamp.ts";
import type { CloudTrailFindings, Verdict } from "../verdict.ts";
import { longerThan } from "./duration.ts";
import type { InputFormat } from "./read-report.ts";

/** Where the evaluated report came from, and how old it may be, for the output. */
export interface ReportInfo {
  readonly source: "file" | "stdin" | "live";
  readonly format: InputFormat | "live";
  /** The file name given to `--report`, for the text output. */
  readonly path?: string;
  /** The report's `GeneratedTime`; null when the input does not carry it (raw CSV). */
  readonly generatedTime: Date | null;
  readonly maxReportAgeMs: number;
  /** `--max-report-age` as given (default `4h`). */
  readonly maxReportAge: string;
}

/** The `--json` object: stable keys for scripts (listed in the README). */
export interface JsonOutput {
  readonly complianceType: Verdict["complianceType"];
  readonly annotation: string;
  readonly reason: Verdict["reason"];
  readonly resourceType: "AWS::::Account";
  readonly resourceId: string | null;
  readonly partition: string | null;
  readonly evaluatedAt: string;
  readonly lookbackDays: number;
  readonly failOnActiveAccessKeys: boolean;
  readonly maxReportAgeSeconds: number;
  /** Whether CloudTrail was asked for: `--live` without `--no-cloudtrail`. */
  readonly cloudTrailLookup: boolean;
  readonly countCentralizedRootSessions: boolean;
  readonly lastUse: {
    /** `credential report` or `CloudTrail`. */
    readonly source: string;
    /** The report's credential (`password`, `access key 1`, `access key 2`); null for a CloudTrail event. */
    readonly credential: string | null;
    /** The CloudTrail event's name (`ConsoleLogin`…); null for a report date. */
    readonly eventName: string | null;
    readonly at: string;
    /** After the evaluation time (clock skew): counted as use now. */
    readonly inFuture: boolean;
  } | null;
  readonly lastUsed: Readonly<Record<string, string | null>> | null;
  readonly activeAccessKeys: readonly number[] | null;
  readonly mfaActive: boolean | null;
  /** What CloudTrail event history showed (the verdict's findings); null when it was not read. */
  readonly cloudTrail: JsonCloudTrail | null;
  readonly report: {
    readonly source: ReportInfo["source"];
    readonly format: ReportInfo["format"];
    readonly generatedTime: string | null;
    /** Seconds from generation to the evaluation time; negative only when `inFuture`; null without `generatedTime`. */
    readonly ageSeconds: number | null;
    /** Generated after the evaluation time (a `--now` in the past, or clock skew). */
    readonly inFuture: boolean;
    /** Older than `maxReportAgeSeconds`: it cannot vouch for the present; null without `generatedTime`. */
    readonly tooOld: boolean | null;
  };
}

/** One root event in `--json`: the root user's own source IP included, never another principal's anything. */
export interface JsonRootEvent {
  readonly eventId: string;
  readonly time: string;
  readonly region: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly kind: RootEvent["kind"];
  readonly signInOutcome: RootEvent["signInOutcome"];
  readonly mfaUsed: boolean | null;
  readonly credential: RootEvent["credential"];
  readonly centralized: boolean;
  readonly task: string | null;
  readonly sourceIp: string | null;
}

/** `cloudTrail` in `--json`. */
export type JsonCloudTrail =
  | {
      readonly status: "read";
      readonly regions: readonly string[];
      readonly since: string;
      readonly coveredDays: number;
      readonly complete: boolean;
      readonly events: readonly JsonRootEvent[];
      readonly centralizedSessions: { readonly count: number; readonly latest: JsonRootEvent | null };
      readonly centralizedCounted: boolean;
    }
  | { readonly status: "unavailable"; readonly problem: string };

function jsonEvent(event: RootEvent): JsonRootEvent {
  // Listed field by field: the session's key id stays out of the output.
  return {
    eventId: event.eventId,
    time: event.time.toISOString(),
    region: event.region,
    eventSource: event.eventSource,
    eventName: event.eventName,
    kind: event.kind,
    signInOutcome: event.signInOutcome,
    mfaUsed: event.mfaUsed,
    credential: event.credential,
    centralized: event.centralized,
    task: event.task,
    sourceIp: event.sourceIp,
  };
}

function jsonCloudTrail(findings: CloudTrailFindings): JsonCloudTrail {
  if (findings.status === "unavailable") return { status: "unavailable", problem: findings.problem };
  const latest = findings.centralizedSessions.latest;
  return {
    status: "read",
    regions: findings.regions,
    since: findings.since.toISOString(),
    coveredDays: findings.coveredDays,
    complete: findings.complete,
    events: findings.events.map(jsonEvent),
    centralizedSessions: {
      count: findings.centralizedSessions.count,
      latest: latest ? jsonEvent(latest) : null,
    },
    centralizedCounted: findings.centralizedCounted,
  };
}

/**
 * The machine-readable result.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(toJson(verdict, now, params, info)));
 * ```
 */
export function toJson(verdict: Verdict, now: Date, params: RuleParameters, report: ReportInfo): JsonOutput {
  const activity = verdict.activity;
  const generated = report.generatedTime;
  const ageMs = generated ? now.getTime() - generated.getTime() : null;
  return {
    complianceType: verdict.complianceType,
    annotation: verdict.annotation,
    reason: verdict.reason,
    resourceType: "AWS::::Account",
    resourceId: verdict.accountId,
    partition: verdict.partition,
    evaluatedAt: now.toISOString(),
    lookbackDays: params.lookbackDays,
    failOnActiveAccessKeys: params.failOnActiveAccessKeys,
    maxReportAgeSeconds: report.maxReportAgeMs / 1000,
    cloudTrailLookup: params.cloudTrailLookup,
    countCentralizedRootSessions: params.countCentralizedRootSessions,
    lastUse: verdict.lastUse
      ? {
          source: verdict.lastUse.source,
          credential: verdict.lastUse.source === "credential report" ? verdict.lastUse.credential : null,
          eventName: verdict.lastUse.source === "CloudTrail" ? verdict.lastUse.event.eventName : null,
          at: verdict.lastUse.at.toISOString(),
          inFuture: verdict.lastUse.at.getTime() > now.getTime(),
        }
      : null,
    lastUsed: activity
      ? Object.fromEntries(Object.entries(activity.lastUsed).map(([k, v]) => [k, v ? v.toISOString() : null]))
      : null,
    activeAccessKeys: activity ? activity.activeAccessKeys : null,
    mfaActive: activity ? activity.mfaActive : null,
    cloudTrail: verdict.cloudTrail ? jsonCloudTrail(verdict.cloudTrail) : null,
    report: {
      source: report.source,
      format: report.format,
      generatedTime: generated ? generated.toISOString() : null,
      ageSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
      inFuture: ageMs !== null && ageMs < 0,
      tooOld: ageMs === null ? null : ageMs > report.maxReportAgeMs,
    },
  };
}

/**
 * A short summary a person reads in a terminal.
 *
 * @example
 * ```ts
 * console.log(toText(verdict, now, params, info));
 * ```
 */
export function toText(verdict: Verdict, now: Date, params: RuleParameters, report: ReportInfo): string {
  const lines = [
    `${verdict.complianceType}  account ${verdict.accountId ?? "unknown"}`,
    `  ${verdict.annotation}`,
    "",
  ];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(14)}${text}`);
  const activity = verdict.activity;
  if (activity) {
    for (const [credential, at] of Object.entries(activity.lastUsed)) {
      const keyNumber = credential === "access key 1" ? 1 : credential === "access key 2" ? 2 : undefined;
      const state =
        keyNumber === undefined
          ? ""
          : activity.activeAccessKeys.includes(keyNumber as 1 | 2)
            ? "  active"
            : "  inactive";
      const when = !at
        ? "never used"
        : at.getTime() > now.getTime()
          ? `${formatUtc(at)}  (in the future: counts as use now)`
          : `${formatUtc(at)}  (${sinceThen(at, now)})`;
      row(capitalize(credential), `${when}${state}`);
    }
    row("MFA", activity.mfaActive === null ? "unknown" : activity.mfaActive ? "on" : "off");
  }
  row("Report", reportLine(report, now));
  // The first line beside the label, the events under it.
  const [searched = "", ...found] = cloudTrailLines(verdict.cloudTrail, params, report, now);
  row("CloudTrail", searched);
  for (const line of found) row("", line);
  row(
    "Rule",
    `no root use in the last ${days(params.lookbackDays)}` +
      `${params.failOnActiveAccessKeys ? ", no active root access keys" : ""}` +
      `; reports up to ${report.maxReportAge} old; evaluated at ${formatUtc(now)}`,
  );
  lines.push("", ...hints(verdict, now, report));
  return lines.join("\n").trimEnd();
}

/** A terminal shows this many root events; `--json` has them all. */
const EVENTS_SHOWN = 10;

/** The CloudTrail lines, unindented: what was searched, then the root events found, newest first. */
function cloudTrailLines(
  findings: CloudTrailFindings | null,
  params: RuleParameters,
  report: ReportInfo,
  now: Date,
): string[] {
  if (!findings) {
    return [
      report.source === "live"
        ? "not read (--no-cloudtrail)"
        : "not read: a report file holds no CloudTrail events (--live reads both)",
    ];
  }
  if (findings.status === "unavailable") {
    return [`could not be read (${findings.problem}); the report alone decided`];
  }
  const regions = findings.regions.length;
  const found = findings.events.length;
  const lines = [
    `${found === 0 ? "no" : found} root event${found === 1 ? "" : "s"}${findings.complete ? "" : " (the newest; paging stopped at the first that counts)"} ` +
      `in ${regions} region${regions === 1 ? "" : "s"} since ${formatUtc(findings.since)} (${days(findings.coveredDays)})`,
  ];
  for (const event of findings.events.slice(0, EVENTS_SHOWN)) {
    lines.push(`${formatUtc(event.time)}  ${event.region}  ${describeEvent(event, now)}`);
  }
  if (found > EVENTS_SHOWN) lines.push(`… and ${found - EVENTS_SHOWN} more (--json lists them all)`);
  const sessions = findings.centralizedSessions.count;
  if (sessions > 0) {
    lines.push(
      `${sessions} centralized root session${sessions === 1 ? "" : "s"} (sts:AssumeRoot) ` +
        (params.countCentralizedRootSessions
          ? "counted as root use (--count-centralized-root-sessions)"
          : "listed, not counted (--count-centralized-root-sessions counts them)"),
    );
  }
  return lines;
}

/** "console sign-in, succeeded, MFA used, from 203.0.113.7" or "CreateUser (iam) with an access key". */
function describeEvent(event: RootEvent, now: Date): string {
  const parts =
    event.kind === "console-sign-in"
      ? [
          "console sign-in",
          event.signInOutcome === "failure"
            ? "failed"
            : event.signInOutcome === "success"
              ? "succeeded"
              : null,
          event.mfaUsed === null ? null : event.mfaUsed ? "MFA used" : "no MFA",
        ]
      : [
          `${event.eventName} (${event.eventSource.replace(/\.amazonaws\.com$/, "")})`,
          event.credential === "access-key"
            ? "with a root access key"
            : event.credential === "temporary"
              ? "with temporary credentials"
              : null,
        ];
  if (event.centralized) parts.push(`centralized session${event.task ? ` (${event.task})` : ""}`);
  if (event.sourceIp) parts.push(`from ${event.sourceIp}`);
  if (event.time.getTime() > now.getTime()) parts.push("in the future: counts as use now");
  return parts.filter((part) => part !== null).join(", ");
}

/** IAM makes a new credential report at most this often. */
const IAM_REPORT_INTERVAL_MS = 4 * 3_600_000;

const FORMAT_TEXT: Record<ReportInfo["format"], string> = {
  csv: "raw CSV",
  "aws-cli-json": "AWS CLI JSON",
  "aws-cli-text": "AWS CLI text",
  "aws-cli-yaml": "AWS CLI YAML",
  "aws-cli-yaml-stream": "AWS CLI YAML stream",
  "aws-cli-content": "the base64 Content alone",
  live: "fetched from IAM",
};

function reportLine(report: ReportInfo, now: Date): string {
  const from =
    report.source === "live"
      ? FORMAT_TEXT.live
      : `${FORMAT_TEXT[report.format]} from ${report.source === "stdin" ? "standard input" : report.path}`;
  const generated = report.generatedTime;
  if (!generated) {
    return `${from}: it carries no generation time, so its age is unknown (the AWS CLI's output carries it)`;
  }
  const ageMs = now.getTime() - generated.getTime();
  if (ageMs < 0) {
    return `generated ${formatUtc(generated)}, in the future (${span(-ageMs)} after the evaluation time); ${from}`;
  }
  const tooOld = ageMs > report.maxReportAgeMs ? `, older than --max-report-age ${report.maxReportAge}` : "";
  return `generated ${formatUtc(generated)} (${sinceThen(generated, now)})${tooOld}; ${from}`;
}

/** What to do next, when the verdict leaves something to do. */
function hints(verdict: Verdict, now: Date, report: ReportInfo): string[] {
  const generated = report.generatedTime;
  const ageMs = generated ? now.getTime() - generated.getTime() : null;
  if (verdict.reason === "stale-report" && generated && ageMs !== null) {
    const accept = `  To accept this one: --max-report-age ${longerThan(ageMs)}.`;
    if (ageMs < IAM_REPORT_INTERVAL_MS) {
      const next = new Date(generated.getTime() + IAM_REPORT_INTERVAL_MS);
      return [
        `  IAM makes at most one credential report every 4 hours: a newer one can be generated from ${formatUtc(next)}.`,
        accept,
      ];
    }
    return [
      "  To get a current report: aws iam generate-credential-report, then download it again",
      "  (aws iam get-credential-report | root-activity evaluate --report -), or root-activity evaluate --live.",
      accept,
    ];
  }
  if (verdict.reason === "cannot-verify") {
    if (report.source === "stdin" && /the report is empty/.test(verdict.annotation)) {
      return [
        "  Standard input held no report: did the command before the pipe fail? (aws iam get-credential-report",
        "  fails until a report exists: run aws iam generate-credential-report first.)",
      ];
    }
    return ["  What to do: check the input is the account's credential report, or download it again."];
  }
  if (verdict.complianceType === "NON_COMPLIANT") return ["  What to do: root-activity explain"];
  return [];
}

/** "3 days ago", "1 hour ago", "less than a minute ago": whole units, rounded down. */
function sinceThen(then: Date, now: Date): string {
  const ms = now.getTime() - then.getTime();
  return ms < 60_000 ? "less than a minute ago" : `${span(ms)} ago`;
}

/** A positive duration in whole units, rounded down: "2 days 3 hours", "1 hour 5 minutes", "12 days". */
function span(ms: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const both = (big: number, bigWord: string, small: number, smallWord: string) =>
    small > 0 ? `${unit(big, bigWord)} ${unit(small, smallWord)}` : unit(big, bigWord);
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  if (days >= 7) return unit(days, "day");
  if (days >= 1) return both(days, "day", hours, "hour");
  if (hours >= 1) return both(hours, "hour", minutes, "minute");
  if (minutes >= 1) return unit(minutes, "minute");
  return "less than a minute";
}

function days(n: number): string {
  return `${n} day${n === 1 ? "" : "s"}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
