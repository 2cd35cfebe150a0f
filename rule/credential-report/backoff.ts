/** Capped exponential back-off. */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

/** Reports of small accounts are ready in about a second; large ones take longer, so the cap is generous. */
export const DEFAULT_BACKOFF: Backoff = Object.freeze({ baseMs: 250, capMs: 4_000 });

/**
 * The delay before poll `attempt` (0-based): `min(cap, base·2^attempt)`, with "equal jitter" — at least half of
 * it is always waited, so concurrent pollers spread out and no poll ever comes back-to-back (no busy loop).
 *
 * @example
 * ```ts
 * delayFor(0, DEFAULT_BACKOFF, Math.random); // 125..250
 * delayFor(10, DEFAULT_BACKOFF, Math.random); // 2000..4000
 * ```
 */
export function delayFor(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
