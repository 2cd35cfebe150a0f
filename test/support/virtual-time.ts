import { LOOKUPS_PER_SECOND, Pacer } from "../../rule/cloudtrail/pacer.ts";

/**
 * A clock that real time moves and waits move ahead: `sleep(ms)` returns at once and the clock is `ms` later.
 *
 * @example
 * ```ts
 * const time = virtualTime();
 * await time.sleep(550); // returns at the next turn of the event loop; time.now() is 550 ms later
 * ```
 */
export interface VirtualTime {
  /** Epoch ms: the real time plus every wait so far. */
  readonly now: () => number;
  /** Waits `ms` of virtual time: the clock moves on, the caller resumes at the next turn of the event loop. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** @example `const time = virtualTime();` */
export function virtualTime(): VirtualTime {
  let waited = 0;
  return {
    now: () => Date.now() + waited,
    sleep: (ms, signal) => {
      signal?.throwIfAborted();
      waited += Math.max(0, ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * CloudTrail's pace in virtual time, one clock per region: the limit is two lookups per second per region, and a
 * region's lookups are sequential, so each region's pacer and the endpoint's limit for that region share a clock
 * that only that region's waits move. A lookup of many pages then takes milliseconds, and every region still keeps
 * two a second, which the endpoint checks on the same clock.
 *
 * @example
 * ```ts
 * const pace = virtualPace();
 * aws.lookupNow = pace.lookupNow;
 * const handler = sourceHandler({ trail: { pacer: pace.pacer } });
 * ```
 */
export function virtualPace(): {
  readonly pacer: (region: string) => Pacer;
  readonly lookupNow: (region: string) => Date;
} {
  const clocks = new Map<string, VirtualTime>();
  const clockOf = (region: string): VirtualTime => {
    let clock = clocks.get(region);
    if (!clock) {
      clock = virtualTime();
      clocks.set(region, clock);
    }
    return clock;
  };
  return {
    pacer: (region) => {
      const clock = clockOf(region);
      return new Pacer(LOOKUPS_PER_SECOND, clock.now, clock.sleep);
    },
    lookupNow: (region) => new Date(clockOf(region).now()),
  };
}
