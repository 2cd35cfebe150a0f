/**
 * `--max-report-age` by default: IAM's own interval between two credential reports.
 *
 * @example
 * ```ts
 * parseDuration(DEFAULT_MAX_REPORT_AGE); // 14_400_000
 * ```
 */
export const DEFAULT_MAX_REPORT_AGE = "4h";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Ten years: longer than any report can be kept, and far from floating-point trouble. */
const MAX_DURATION_MS = 3650 * UNIT_MS.d;

/**
 * Parses a positive duration: a whole number and one unit, `s`, `m`, `h` or `d` (`90m`, `24h`, `7d`); at most ten
 * years. Returns milliseconds, or `undefined` for anything else (no unit, zero, a sign, a fraction, a space).
 *
 * @example
 * ```ts
 * parseDuration("90m"); // 5_400_000
 * parseDuration("0h"); // undefined
 * ```
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,10})([smhd])$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/**
 * A duration a little longer than `ms`, in the largest unit of which it holds at least two (`26h` for 25 h 10 min,
 * `3d` for 2 days): what to pass as `--max-report-age` to accept a report of that age.
 *
 * @example
 * ```ts
 * longerThan(25 * 3_600_000 + 600_000); // "26h"
 * ```
 */
export function longerThan(ms: number): string {
  for (const [unit, size] of [
    ["d", UNIT_MS.d],
    ["h", UNIT_MS.h],
    ["m", UNIT_MS.m],
  ] as const) {
    if (ms >= 2 * size) return `${Math.floor(ms / size) + 1}${unit}`;
  }
  return `${Math.max(1, Math.floor(ms / UNIT_MS.s) + 1)}s`;
}
