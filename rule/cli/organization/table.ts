import { formatUtc } from "../../timestamp.ts";
import { type AccountOutcome, rowVerdict } from "./results.ts";

/** The table's columns, in order. */
export const TABLE_COLUMNS = [
  "ACCOUNT",
  "NAME",
  "VERDICT",
  "LAST ROOT USE",
  "SOURCE",
  "ACTIVE KEYS",
  "REPORT AGE",
] as const;

/** Account names wrap inside a column this wide, so one long name does not push the table off the screen. */
const NAME_WIDTH = 24;

/**
 * The human output of a scan: one row per account in the order given, each followed by its annotation (or its
 * error, or why it was skipped) indented and wrapped to the table's width (at least `width` columns), never cut.
 *
 * @example
 * ```ts
 * console.log(toTable(orderOutcomes(outcomes), now, 100));
 * ```
 */
export function toTable(outcomes: readonly AccountOutcome[], now: Date, width: number): string {
  const rows = outcomes.map((outcome) => cells(outcome, now));
  const widths = TABLE_COLUMNS.map((title, i) =>
    Math.max(
      title.length,
      ...rows.map((row) => Math.min(i === 1 ? NAME_WIDTH : Infinity, (row[i] ?? "").length)),
    ),
  );
  const line = (fields: readonly string[]) => {
    const wrapped = fields.map((field, i) => (i === 1 ? wrap(field, widths[i] as number) : [field]));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, n) =>
      wrapped
        .map((lines, i) => (lines[n] ?? "").padEnd(widths[i] as number))
        .join("  ")
        .trimEnd(),
    );
  };
  const indent = "    ";
  const header = line(TABLE_COLUMNS);
  // Text under a row fills the table's width, or `width` when the table is narrower.
  const textWidth = Math.max(width, ...header.map((l) => l.length)) - indent.length;
  const out = [...header];
  outcomes.forEach((outcome, i) => {
    out.push(...line(rows[i] as string[]));
    for (const text of wrap(note(outcome), textWidth)) out.push(`${indent}${text}`);
  });
  return out.join("\n");
}

function cells(outcome: AccountOutcome, now: Date): string[] {
  const { id, name } = outcome.account;
  if (outcome.kind !== "evaluated") return [id, name, rowVerdict(outcome), "", "", "", ""];
  const { verdict, info } = outcome;
  const use = verdict.lastUse;
  const source = !use
    ? ""
    : use.source === "credential report"
      ? `report: ${use.credential}`
      : `CloudTrail: ${use.event.eventName}`;
  const keys = verdict.activity
    ? verdict.activity.activeAccessKeys.length === 0
      ? "none"
      : verdict.activity.activeAccessKeys.join(", ")
    : "unknown";
  return [
    id,
    name,
    verdict.complianceType,
    use ? formatUtc(use.at) : verdict.activity ? "never" : "unknown",
    source,
    keys,
    info.generatedTime ? age(now.getTime() - info.generatedTime.getTime()) : "unknown",
  ];
}

function note(outcome: AccountOutcome): string {
  switch (outcome.kind) {
    case "evaluated":
      return outcome.verdict.annotation;
    case "error":
      return `${outcome.error.name}: ${outcome.error.message}`;
    case "skipped":
      return `Not evaluated: the account is ${outcome.account.state || "not active"} in the organization.`;
  }
}

/**
 * A compact age: `42s`, `12m`, `3h 5m`, `2d 4h`; `in the future` when negative.
 *
 * @example
 * ```ts
 * age(3 * 3_600_000 + 5 * 60_000); // "3h 5m"
 * ```
 */
export function age(ms: number): string {
  if (ms < 0) return "in the future";
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return m > 0 ? `${m}m` : `${Math.floor(ms / 1000)}s`;
}

/**
 * Splits `text` into lines of at most `width` characters at spaces; a word longer than `width` is split across
 * lines, so nothing is ever cut off.
 *
 * @example
 * ```ts
 * wrap("a long annotation", 6); // ["a long", "annota", "tion"]
 * ```
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(" ")) {
    while (word.length > width) {
      if (line) {
        lines.push(line);
        line = "";
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
