import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/**
 * The Node 22 pass of `npm test` (scripts/node22/launch.ts runs vitest under Node 22 with this file): the tests that
 * import the built Lambda bundle over the wire, and the tests that run the built CLI (`process.execPath`, so Node
 * 22 too). Its global setup refuses to run under another Node.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ["test/*.wire.test.ts", "test/cli*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/aws-cli-setup.ts", "test/node22-setup.ts"],
  },
});
