import type { RootEvent } from "./cloudtrail/types.ts";
import { formatUtc } from "./timestamp.ts";
import type { RootUse } from "./verdict.ts";

/** Config refuses longer annotations. */
export const MAX_ANNOTATION_LENGTH = 256;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Where the verdict looked, for the COMPLIANT annotation. */
export interface SourcesSearched {
  /** Regions whose CloudTrail event history was read; null when CloudTrail was not read. */
  readonly cloudTrailRegions: number | null;
  /** Days of the window CloudTrail covers (event history keeps 90). */
  readonly cloudTrailDays: number;
  readonly lookbackDays: number;
}

/**
 * A sentence appended to a verdict's annotation, with a shorter form for when the full one does not fit.
 */
export interface Note {
  readonly full: string;
  readonly short: string;
}

/**
 * Human wording of the verdicts, one function per outcome; each result is at most 256 characters. `notes` are
 * whole sentences appended after the verdict's own (active keys, centralized sessions, the other source), in
 * order of importance: each in full while it fits, else in its short form, else the annotation is cut there.
 *
 * @example
 * ```ts
 * annotations.cannotVerify("the report has no <root_account> row");
 * // "Cannot verify root user activity: the report has no <root_account> row."
 * ```
 */
export const annotations = {
  cannotVerify(reason: string, extra: readonly (Note | null)[] = []): string {
    return compose(`Cannot verify root user activity: ${reason}.`, extra);
  },
  staleReport(generatedTime: Date, now: Date, extra: readonly (Note | null)[] = []): string {
    return annotations.cannotVerify(
      `the report was generated ${formatUtc(generatedTime)}, ${duration(now.getTime() - generatedTime.getTime())} ` +
        "before the evaluation time; root use since then is unknown",
      extra,
    );
  },
  usedInWindow(use: RootUse, now: Date, lookbackDays: number, extra: readonly (Note | null)[] = []): string {
    return compose(`${useSentence(use)} ${ago(use.at, now)}, inside the ${lookbackDays}-day window.`, extra);
  },
  usedInFuture(use: RootUse, now: Date, lookbackDays: number, extra: readonly (Note | null)[] = []): string {
    return compose(
      `${useSentence(use)}, after the evaluation time ${formatUtc(now)}: clock skew counts as use now ` +
        `(${lookbackDays}-day window).`,
      extra,
    );
  },
  activeAccessKey(
    keys: readonly (1 | 2)[],
    lastUse: RootUse | null,
    now: Date,
    extra: readonly (Note | null)[] = [],
  ): string {
    const many = keys.length > 1;
    return compose(
      `Root access key${many ? "s" : ""} ${keys.join(" and ")} ${many ? "are" : "is"} active ` +
        `(failOnActiveAccessKeys=true): delete root access keys. ${latestUse(lastUse, now)}`,
      extra,
    );
  },
  compliant(
    lastUse: RootUse | null,
    now: Date,
    searched: SourcesSearched,
    extra: readonly (Note | null)[] = [],
  ): string {
    return compose(
      `Root user not used in the last ${plural(searched.lookbackDays, "day")} (${sources(searched)}). ` +
        latestUse(lastUse, now),
      extra,
    );
  },
};

/**
 * The notes a verdict may carry; null when there is nothing to say.
 *
 * @example
 * ```ts
 * notes.activeKeys([1])?.full; // " Active root access key: 1 (delete it)."
 * ```
 */
export const notes = {
  activeKeys(keys: readonly (1 | 2)[]): Note | null {
    if (keys.length === 0) return null;
    const many = keys.length > 1;
    const list = keys.join(", ");
    return {
      full: ` Active root access key${many ? "s" : ""}: ${list} (delete ${many ? "them" : "it"}).`,
      short: ` Active root access key${many ? "s" : ""}: ${list}.`,
    };
  },
  centralizedSessions(count: number, latest: RootEvent | null, complete: boolean): Note | null {
    if (count === 0 || !latest) return null;
    const sessions = `${complete ? "" : "at least "}${plural(count, "centralized root session")} (AssumeRoot)`;
    const task = latest.task ? `, task ${latest.task}` : "";
    return {
      full: ` Not counted: ${sessions}, latest ${formatUtc(latest.time)}${task}.`,
      short: ` Not counted: ${complete ? "" : "at least "}${plural(count, "AssumeRoot session")}.`,
    };
  },
  cloudTrailCoverage(coveredDays: number, lookbackDays: number): Note | null {
    if (coveredDays >= lookbackDays) return null;
    return {
      full: ` CloudTrail covers the last ${coveredDays} days.`,
      short: ` CloudTrail: last ${coveredDays} days.`,
    };
  },
  reportUnverifiable(reason: string): Note {
    return {
      full: ` The credential report cannot be verified: ${reason}.`,
      short: " The credential report cannot be verified.",
    };
  },
  cloudTrailUnavailable(problem: string): Note {
    return { full: ` CloudTrail could not be read: ${problem}.`, short: " CloudTrail could not be read." };
  },
};

function compose(main: string, extra: readonly (Note | null)[]): string {
  let text = main;
  for (const note of extra) {
    if (!note) continue;
    if (text.length + note.full.length <= MAX_ANNOTATION_LENGTH) text += note.full;
    else if (text.length + note.short.length <= MAX_ANNOTATION_LENGTH) text += note.short;
    else return clip(text + note.short);
  }
  return clip(text);
}

/** "Root user signed in to the console 2026-11-30T08:12:09Z in eu-west-1 (CloudTrail, MFA used)". */
function useSentence(use: RootUse): string {
  const clause = useClause(use);
  if (use.source === "CloudTrail" && use.event.centralized) return capitalize(clause);
  return `Root user ${clause}`;
}

function latestUse(use: RootUse | null, now: Date): string {
  if (!use) return "No root use recorded.";
  return `Latest use: ${useClause(use)}, ${ago(use.at, now)}.`;
}

function useClause(use: RootUse): string {
  const at = formatUtc(use.at);
  if (use.source === "credential report") {
    return use.credential === "password"
      ? `signed in with the password ${at} (credential report)`
      : `used ${use.credential} ${at} (credential report)`;
  }
  const event = use.event;
  const what =
    event.kind === "console-sign-in"
      ? event.signInOutcome === "failure"
        ? "failed to sign in to the console"
        : "signed in to the console"
      : `called ${serviceOf(event.eventSource)}:${event.eventName}`;
  const details = ["CloudTrail"];
  if (event.kind === "console-sign-in" && event.mfaUsed !== null) {
    details.push(event.mfaUsed ? "MFA used" : "no MFA");
  }
  if (event.kind === "api-call" && event.credential === "access-key") details.push("access key");
  const subject = event.centralized
    ? `centralized root session (AssumeRoot${event.task ? `, ${event.task}` : ""}) `
    : "";
  return `${subject}${what} ${at} in ${event.region} (${details.join(", ")})`;
}

function sources(searched: SourcesSearched): string {
  if (searched.cloudTrailRegions === null) return "credential report; CloudTrail not checked";
  const days =
    searched.cloudTrailDays < searched.lookbackDays ? `, last ${searched.cloudTrailDays} days` : "";
  return `credential report and CloudTrail, ${plural(searched.cloudTrailRegions, "region")}${days}`;
}

function serviceOf(eventSource: string): string {
  return eventSource.replace(/\.amazonaws\.com$/, "") || "unknown";
}

/**
 * How long before `now` an instant was, in whole units rounded down: "3 days ago", "1 hour ago"; "in the future"
 * for an instant after `now`.
 *
 * @example
 * ```ts
 * ago(new Date("2024-01-01T00:00:00Z"), new Date("2024-01-04T01:00:00Z")); // "3 days ago"
 * ago(new Date("2024-01-05T00:00:00Z"), new Date("2024-01-04T00:00:00Z")); // "in the future"
 * ```
 */
export function ago(then: Date, now: Date): string {
  const ms = now.getTime() - then.getTime();
  if (ms < 0) return "in the future";
  if (ms < MINUTE_MS) return "less than a minute ago";
  return `${largestUnit(ms)} ago`;
}

/**
 * A positive duration in words, to the minute, at most two units: "4 hours 10 minutes", "3 days".
 *
 * @example
 * ```ts
 * duration(4 * 3_600_000 + 600_000); // "4 hours 10 minutes"
 * ```
 */
export function duration(ms: number): string {
  if (ms < MINUTE_MS) return "less than a minute";
  const units: Array<[number, string]> = [
    [DAY_MS, "day"],
    [HOUR_MS, "hour"],
    [MINUTE_MS, "minute"],
  ];
  const index = units.findIndex(([size]) => ms >= size);
  const [size, name] = units[index] as [number, string];
  const whole = Math.floor(ms / size);
  const next = units[index + 1];
  const rest = next ? Math.floor((ms - whole * size) / next[0]) : 0;
  return rest > 0 && next ? `${plural(whole, name)} ${plural(rest, next[1])}` : plural(whole, name);
}

function largestUnit(ms: number): string {
  if (ms >= DAY_MS) return plural(Math.floor(ms / DAY_MS), "day");
  if (ms >= HOUR_MS) return plural(Math.floor(ms / HOUR_MS), "hour");
  return plural(Math.floor(ms / MINUTE_MS), "minute");
}

/**
 * "1 day", "2 days".
 *
 * @example
 * ```ts
 * plural(1, "region"); // "1 region"
 * ```
 */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Cuts `text` to at most {@link MAX_ANNOTATION_LENGTH} UTF-16 code units, ending in "…" when cut, and never
 * inside a character (a surrogate pair stays whole or goes whole).
 *
 * @example
 * ```ts
 * clip("x".repeat(300)).length; // 256
 * ```
 */
export function clip(text: string, max = MAX_ANNOTATION_LENGTH): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
