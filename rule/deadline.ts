/** A signal that aborts at a deadline or when another signal does, and the means to let go of its timer. */
export interface DeadlineSignal {
  readonly signal: AbortSignal;
  /** Also aborts it now (what gathering does when the credential report fails). */
  readonly abort: (reason?: unknown) => void;
  /** Clears the timer and stops listening to the other signal: call it when the work is done. */
  readonly dispose: () => void;
}

/**
 * Aborts after `ms`, or as soon as `also` aborts (a person pressed Ctrl-C). One controller held by its own timer:
 * Node 20 drops the timer of an `AbortSignal.timeout()` held only by `AbortSignal.any()` at the next garbage
 * collection (nodejs/node#57736), and a region that never answers would then hold the invocation until Lambda
 * kills it.
 *
 * @example
 * ```ts
 * const deadline = abortAfter(60_000, interrupt);
 * try { await client.send(command, { abortSignal: deadline.signal }); } finally { deadline.dispose(); }
 * ```
 */
export function abortAfter(ms: number, also?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("the deadline passed", "TimeoutError")),
    Math.max(1, ms),
  );
  const follow = () => controller.abort(also?.reason);
  also?.addEventListener("abort", follow, { once: true });
  if (also?.aborted) follow();
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      clearTimeout(timer);
      also?.removeEventListener("abort", follow);
    },
  };
}
