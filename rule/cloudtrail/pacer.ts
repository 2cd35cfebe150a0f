import { NodeHttpHandler } from "@smithy/node-http-handler";

/** LookupEvents: two requests per second per account and region (CloudTrail API reference). */
export const LOOKUPS_PER_SECOND = 2;

/**
 * Spaces requests out so that at most `perSecond` start in any second: CloudTrail's `LookupEvents` allows two per
 * second per account and region, and a lookup that only retried after throttling would waste half its calls.
 */
export class Pacer {
  readonly #intervalMs: number;
  #next = 0;

  /**
   * @example
   * ```ts
   * const pacer = new Pacer(2); // two per second, with a 10 % margin: one every 550 ms
   * ```
   */
  constructor(
    perSecond: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {
    // A margin for the network: two requests sent 500 ms apart may arrive closer than that.
    this.#intervalMs = Math.ceil((1000 / perSecond) * 1.1);
  }

  /** The time between two requests, in milliseconds. */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /**
   * Waits for this request's turn. Rejects (with the signal's reason) when `signal` aborts while waiting; the turn
   * is kept either way, so the pace holds for the requests after it.
   *
   * @example
   * ```ts
   * await pacer.turn(AbortSignal.timeout(10_000));
   * ```
   */
  async turn(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.clock();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#intervalMs;
    if (at > now) await this.sleep(at - now, signal);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The SDK's HTTP handler, each request (every attempt, retries included) sent at its pacer's turn.
 *
 * @example
 * ```ts
 * new CloudTrailClient({ requestHandler: new PacedHttpHandler(new Pacer(LOOKUPS_PER_SECOND), {}) });
 * ```
 */
export class PacedHttpHandler extends NodeHttpHandler {
  constructor(
    private readonly pacer: Pacer,
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
  ) {
    super(options);
  }

  override async handle(...[request, options]: Parameters<NodeHttpHandler["handle"]>) {
    await this.pacer.turn(options?.abortSignal as AbortSignal | undefined);
    return super.handle(request, options);
  }
}
