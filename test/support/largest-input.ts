/**
 * The largest input a module's validations accept: the longest value of a text variable, the longest list of a list
 * variable, found by asking the validations (accepts()), never by reading their conditions. A variable without a
 * bound grows to a cap, so a quota that depends on it fails at the cap rather than passing unseen.
 */
import type { Block } from "./hcl.ts";
import { accepts, type Value } from "./hcl-expression.ts";

type Variables = Readonly<Record<string, Block>>;

/**
 * `make(n)` for the largest `n` from `cap` down that variable `name`'s validations accept; throws if none is.
 *
 * @example
 * ```ts
 * longestAccepted(module.variables, "name", (n) => "a".repeat(n), 200); // "aaa…" (48)
 * ```
 */
export function longestAccepted(
  variables: Variables,
  name: string,
  make: (n: number) => Value,
  cap: number,
): Value {
  for (let n = cap; n >= 1; n -= 1) {
    const value = make(n);
    if (accepts(variables, name, value)) return value;
  }
  throw new Error(`${name}: no value accepted up to ${cap}`);
}

/**
 * The list `start` (which the validations of `name` must accept) grown with `fresh(0)`, `fresh(1)`, ... to the
 * longest the validations accept, at most `cap` elements. The length is found by doubling, then bisection: the
 * validations of a list bound its length or its elements, never allow a longer list and refuse a shorter one.
 *
 * @example
 * ```ts
 * grownList(module.variables, "excluded_accounts", [], (i) => String(100000000000 + i), 2000); // 1000 accounts
 * ```
 */
export function grownList(
  variables: Variables,
  name: string,
  start: readonly string[],
  fresh: (index: number) => string,
  cap: number,
): string[] {
  const grown = (length: number): string[] => [
    ...start,
    ...Array.from({ length: length - start.length }, (_, index) => fresh(index)),
  ];
  if (!accepts(variables, name, [...start]))
    throw new Error(`${name}: the validations refuse the starting list`);
  let good = start.length;
  let bad = cap + 1;
  for (let step = 1; good + step <= cap; step *= 2) {
    if (!accepts(variables, name, grown(good + step))) {
      bad = good + step;
      break;
    }
    good += step;
  }
  if (bad === cap + 1 && accepts(variables, name, grown(cap))) return grown(cap);
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (accepts(variables, name, grown(middle))) good = middle;
    else bad = middle;
  }
  return grown(good);
}
