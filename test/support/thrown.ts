/**
 * The one way tests capture an error to assert on it: what a call throws, or what a promise rejects with, failing
 * the test when there is none.
 */
import { expect } from "vitest";

/**
 * The error `call` throws, checked to be an instance of `type`.
 *
 * @example
 * ```ts
 * const error = thrown(() => parseRuleParameters("{"), InvalidParameterError);
 * expect(error.parameter).toBe("ruleParameters");
 * ```
 */
export function thrown<T extends Error>(call: () => unknown, type: abstract new (...args: never[]) => T): T {
  let caught: unknown;
  let threw = false;
  try {
    call();
  } catch (error) {
    threw = true;
    caught = error;
  }
  expect(threw, "expected the call to throw").toBe(true);
  expect(caught).toBeInstanceOf(type);
  return caught as T;
}

/**
 * The error `promise` rejects with, checked to be an instance of `type`.
 *
 * @example
 * ```ts
 * const error = await rejected(readReportInput(path), UsageError);
 * ```
 */
export async function rejected<T extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  const outcome = await promise.then(
    () => ({ rejected: false as const }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  expect(outcome.rejected, "expected the promise to reject").toBe(true);
  const error = outcome.rejected ? outcome.error : undefined;
  expect(error).toBeInstanceOf(type);
  return error as T;
}
