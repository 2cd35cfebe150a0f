import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Runs a full garbage collection now, in this process. Deadlines built from weakly held timers (Node 20's
 * `AbortSignal.any([AbortSignal.timeout(ms)])`, nodejs/node#57736) never fire once collected: a test that waits
 * on a deadline collects while it waits, so such a deadline fails the test every time instead of once in a while.
 *
 * @example
 * ```ts
 * const run = invoke(event, 4_000);
 * await collectGarbageDuring(run, 200);
 * ```
 */
export async function collectGarbageDuring<T>(work: Promise<T>, everyMs: number): Promise<T> {
  const timer = setInterval(gc, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
