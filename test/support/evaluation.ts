/**
 * The fixed clock and rule parameters of the example-based `evaluate()` tests, and root-use dates on either side of
 * the default 30-day window.
 */
import { DEFAULT_PARAMETERS, type RuleParameters } from "../../rule/params.ts";
import { daysBefore, iamDate } from "./report-builder.ts";

/** An hour and a day in milliseconds, for report ages and use dates. */
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** When the example-based tests evaluate, as the CLI's --now takes it. */
export const NOW_UTC = "2026-11-29T12:00:00Z";

/** When the example-based tests evaluate. */
export const NOW = new Date(NOW_UTC);

/**
 * The default rule parameters, with `overrides`.
 *
 * @example
 * ```ts
 * evaluate(csv, NOW, params({ lookbackDays: 45 }));
 * ```
 */
export const params = (overrides: Partial<RuleParameters> = {}): RuleParameters => ({
  ...DEFAULT_PARAMETERS,
  ...overrides,
});

/** 3 days before NOW, as IAM writes it: inside the default window. */
export const recent = iamDate(daysBefore(NOW, 3));

/** 200 days before NOW, as IAM writes it: outside the default window. */
export const old = iamDate(daysBefore(NOW, 200));
