import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/aws-cli-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one worker on this 2-core machine, so every file waited
    // for the one before. The slow files wait on sockets, SDK back-off and paced CloudTrail pages, not on the CPU:
    // four at once keep both cores busy.
    maxWorkers: 4,
    // The SDK warns in seven lines on Node 20 (this machine; Lambda runs nodejs22.x) wherever a test builds a client
    // in-process. The CLI's own handling of it is tested through the built CLI, whose children do not inherit this.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
