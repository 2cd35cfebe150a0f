/** Set by the build (`define` in scripts/build.ts) to package.json's version; absent when run from source. */
declare const ROOT_ACTIVITY_VERSION: string | undefined;

/**
 * What {@link VERSION} says when the code runs from source (tests, `tsx`), not from a bundle: a semver
 * pre-release that no release will ever carry, so a log line cannot pass for a released build's.
 */
export const SOURCE_VERSION = "0.0.0-source";

/**
 * The release this code belongs to: package.json's `version` in a bundle built by scripts/build.ts (the Lambda's
 * and the CLI's), {@link SOURCE_VERSION} otherwise. Every log line of the function carries it.
 *
 * @example
 * ```ts
 * logger.info("started", { version: VERSION }); // "0.1.0" in the Lambda bundle
 * ```
 */
export const VERSION: string =
  typeof ROOT_ACTIVITY_VERSION === "string" ? ROOT_ACTIVITY_VERSION : SOURCE_VERSION;
