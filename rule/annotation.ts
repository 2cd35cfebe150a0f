import { formatUtc } from "./timestamp.ts";
import type { RootActivity } from "./verdict.ts";

/** Config refuses longer annotations. */
export const MAX_ANNOTATION_LENGTH = 256;

const DAY_MS = 86_400_000;

/**
 * Human wording of the verdicts, one function per outcome, each at most 256 characters.
 *
 * @example
 * ```ts
 * annotations.cannotVerify("the report has no <root_account> row");
 * // "Cannot verify root user activity: the report has no <root_account> row."
 * ```
 */
export const annotations = {
  cannotVerify(reason: string): string {
    return clip(`Cannot verify root user activity: ${reason}.`);
  },
  usedInWindow(activity: RootActivity, now: Date, lookbackDays: number): string {
    const use = activity.lastUse as NonNullable<RootActivity["lastUse"]>;
    return clip(
      `Root user used: ${use.credential} last used ${formatUtc(use.at)} (${ago(use.at, now)}), ` +
        `within the ${lookbackDays}-day limit.${keysNote(activity)}`,
    );
  },
  usedInFuture(activity: RootActivity, now: Date, lookbackDays: number): string {
    const use = activity.lastUse as NonNullable<RootActivity["lastUse"]>;
    return clip(
      `Root user used: ${use.credential} last used ${formatUtc(use.at)}, after the evaluation time ` +
        `${formatUtc(now)} (clock skew counts as use now; limit ${lookbackDays} days).${keysNote(activity)}`,
    );
  },
  activeAccessKey(activity: RootActivity, now: Date, lookbackDays: number): string {
    const keys = activity.activeAccessKeys.join(" and ");
    return clip(
      `Root access key ${keys} ${activity.activeAccessKeys.length > 1 ? "are" : "is"} active ` +
        `(failOnActiveAccessKeys=true); delete root access keys. ${lastUseText(activity, now)} ` +
        `(limit ${lookbackDays} days).`,
    );
  },
  compliant(activity: RootActivity, now: Date, lookbackDays: number): string {
    return clip(
      `Root user not used in the last ${lookbackDays} days: ${lastUseText(activity, now)}.${keysNote(activity)}`,
    );
  },
};

function lastUseText(activity: RootActivity, now: Date): string {
  const use = activity.lastUse;
  if (!use) return "no password or access key use recorded";
  return `${use.credential} last used ${formatUtc(use.at)} (${ago(use.at, now)})`;
}

function keysNote(activity: RootActivity): string {
  const keys = activity.activeAccessKeys;
  if (keys.length === 0) return "";
  return ` Active root access key${keys.length > 1 ? "s" : ""}: ${keys.join(", ")} (delete ${keys.length > 1 ? "them" : "it"}).`;
}

/**
 * "3 days ago", or hours/minutes under a day; whole units, rounded down.
 *
 * @example
 * ```ts
 * ago(new Date("2024-01-01T00:00:00Z"), new Date("2024-01-04T01:00:00Z")); // "3 days ago"
 * ```
 */
export function ago(then: Date, now: Date): string {
  const ms = now.getTime() - then.getTime();
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `${days} day${days === 1 ? "" : "s"} ago`;
  }
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return `${Math.max(0, Math.floor(ms / 60_000))} min ago`;
}

function clip(text: string): string {
  return text.length <= MAX_ANNOTATION_LENGTH ? text : `${text.slice(0, MAX_ANNOTATION_LENGTH - 1)}…`;
}
