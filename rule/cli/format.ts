import { ago } from "../annotation.ts";
import type { RuleParameters } from "../params.ts";
import { formatUtc } from "../timestamp.ts";
import type { Verdict } from "../verdict.ts";

/** Where the evaluated report came from, for the output. */
export interface ReportInfo {
  readonly source: "file" | "live";
  readonly generatedTime: Date | undefined;
}

/** The `--json` object: stable keys for scripts. */
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
  readonly lastUse: { readonly credential: string; readonly at: string } | null;
  readonly lastUsed: Readonly<Record<string, string | null>> | null;
  readonly activeAccessKeys: readonly number[] | null;
  readonly mfaActive: boolean | null;
  readonly report: {
    readonly source: string;
    readonly generatedTime: string | null;
    readonly ageSeconds: number | null;
  };
}

/**
 * The machine-readable result.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(toJson(verdict, now, params, { source: "file", generatedTime: undefined })));
 * ```
 */
export function toJson(verdict: Verdict, now: Date, params: RuleParameters, report: ReportInfo): JsonOutput {
  const activity = verdict.activity;
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
    lastUse: activity?.lastUse
      ? { credential: activity.lastUse.credential, at: activity.lastUse.at.toISOString() }
      : null,
    lastUsed: activity
      ? Object.fromEntries(Object.entries(activity.lastUsed).map(([k, v]) => [k, v ? v.toISOString() : null]))
      : null,
    activeAccessKeys: activity ? activity.activeAccessKeys : null,
    mfaActive: activity ? activity.mfaActive : null,
    report: {
      source: report.source,
      generatedTime: report.generatedTime ? report.generatedTime.toISOString() : null,
      ageSeconds: report.generatedTime
        ? Math.round((now.getTime() - report.generatedTime.getTime()) / 1000)
        : null,
    },
  };
}

/**
 * A short summary a person reads in a terminal.
 *
 * @example
 * ```ts
 * console.log(toText(verdict, now, params, { source: "live", generatedTime }));
 * ```
 */
export function toText(verdict: Verdict, now: Date, params: RuleParameters, report: ReportInfo): string {
  const lines = [
    `${verdict.complianceType}  account ${verdict.accountId ?? "unknown"}`,
    `  ${verdict.annotation}`,
  ];
  const activity = verdict.activity;
  if (activity) {
    lines.push("");
    for (const [credential, at] of Object.entries(activity.lastUsed)) {
      const keyNumber = credential === "access key 1" ? 1 : credential === "access key 2" ? 2 : undefined;
      const state =
        keyNumber === undefined
          ? ""
          : activity.activeAccessKeys.includes(keyNumber as 1 | 2)
            ? "  active"
            : "  inactive";
      const when = at ? `${formatUtc(at)}  (${ago(at, now)})` : "never used";
      lines.push(`  ${capitalize(credential).padEnd(14)}${when}${state}`);
    }
    lines.push(
      `  ${"MFA".padEnd(14)}${activity.mfaActive === null ? "unknown" : activity.mfaActive ? "on" : "off"}`,
    );
  }
  if (report.generatedTime) {
    lines.push(
      `  ${"Report".padEnd(14)}generated ${formatUtc(report.generatedTime)} (${ago(report.generatedTime, now)})`,
    );
  }
  lines.push(
    `  ${"Rule".padEnd(14)}no root use in the last ${params.lookbackDays} days` +
      `${params.failOnActiveAccessKeys ? ", no active root access keys" : ""}; evaluated at ${formatUtc(now)}`,
  );
  if (verdict.complianceType === "NON_COMPLIANT") lines.push("", "  What to do: root-activity explain");
  return lines.join("\n");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
