/**
 * Strict ISO 8601 date-times as IAM writes them (`2017-06-10T02:35:07+00:00`), plus the variants a downloaded
 * or hand-edited report may carry: `Z`, any offset, fractional seconds.
 */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Years outside 1970–9999 are not plausible in a credential report (AWS started in 2006). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

/**
 * Parses an ISO 8601 date-time with a mandatory offset, honouring it. Returns `undefined` for anything that is
 * not a real instant (bad syntax, 31 April, hour 24, offset beyond ±18:00, year outside 1970–9999).
 *
 * @example
 * ```ts
 * parseTimestamp("2024-05-02T08:00:00-05:00")?.toISOString(); // "2024-05-02T13:00:00.000Z"
 * parseTimestamp("2023-02-29T00:00:00Z"); // undefined
 * ```
 */
export function parseTimestamp(text: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // Digits past the millisecond round up, never down: a use 0.5 ms inside the window stays inside it.
  const fraction = m[7] ?? "";
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0")) + (/[1-9]/.test(fraction.slice(3)) ? 1 : 0);
  let offsetMinutes = 0;
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours * 60 + offsetMins > 18 * 60 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return new Date(utc);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `2024-05-02T08:00:00Z`: UTC, whole seconds, for annotations a person reads.
 *
 * @example
 * ```ts
 * formatUtc(new Date(Date.UTC(2024, 4, 2, 8))); // "2024-05-02T08:00:00Z"
 * ```
 */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
