/**
 * The queue of injected faults.
 *
 * @module
 */
import type { Fault, ServiceName } from "./types.ts";

/**
 * What a request is, for fault matching.
 *
 * @example
 * ```ts
 * const r: FaultTarget = { service: "iam", action: "GetCredentialReport", accountId: "111122223333", region: "us-east-1" };
 * ```
 */
export interface FaultTarget {
  service: ServiceName;
  action: string;
  accountId: string | null;
  region: string | null;
}

interface QueuedFault {
  fault: Fault;
  left: number;
}

/**
 * FIFO queue of faults; the first matching fault with uses left applies.
 *
 * @example
 * ```ts
 * const faults = new FaultQueue();
 * faults.inject({ kind: "reset", service: "sts" });
 * faults.take({ service: "sts", action: "AssumeRole", accountId: null, region: null }); // the reset fault
 * faults.take({ service: "sts", action: "AssumeRole", accountId: null, region: null }); // undefined: used up
 * ```
 */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  /**
   * Queues a fault.
   *
   * @example
   * ```ts
   * new FaultQueue().inject({ kind: "hang", times: Infinity });
   * ```
   */
  inject(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new RangeError(`fault.times must be > 0, got ${String(fault.times)}`);
    if (fault.kind === "delay" && !(fault.ms >= 0)) throw new RangeError("delay fault needs ms >= 0");
    this.queue.push({ fault: { ...fault }, left: times });
  }

  /**
   * Finds the first fault matching the request, uses it once, and returns it.
   *
   * @example
   * ```ts
   * const fault = faults.take({ service: "config", action: "PutEvaluations", accountId: "111122223333", region: "us-east-1" });
   * ```
   */
  take(target: FaultTarget): Fault | undefined {
    const index = this.queue.findIndex((entry) => matches(entry.fault, target));
    const entry = this.queue[index];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.queue.splice(index, 1);
    return entry.fault;
  }

  /**
   * Forgets every queued fault.
   *
   * @example
   * ```ts
   * faults.clear();
   * ```
   */
  clear(): void {
    this.queue = [];
  }
}

function matches(fault: Fault, target: FaultTarget): boolean {
  if (
    fault.kind === "failedEvaluations" &&
    (target.service !== "config" || target.action !== "PutEvaluations")
  ) {
    return false;
  }
  if (fault.service !== undefined && fault.service !== target.service) return false;
  if (fault.action !== undefined && fault.action !== target.action) return false;
  if (fault.accountId !== undefined && fault.accountId !== target.accountId) return false;
  if (fault.region !== undefined && fault.region !== target.region) return false;
  return true;
}
