import { createDefaultHandler } from "./handler.ts";

/**
 * The Lambda entry point (`index.handler` in the bundle). Clients are created on the first invocation, not at
 * import, so the init phase stays short.
 *
 * @example
 * ```ts
 * import { handler } from "./index.ts";
 * await handler(configEvent, lambdaContext);
 * ```
 */
export const handler = createDefaultHandler();
