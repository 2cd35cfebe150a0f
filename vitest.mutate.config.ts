import { defineConfig } from "vitest/config";

/**
 * The tests `npm run mutate` runs against each mutant: the pure unit tests of the decision code, no bundle, no
 * wire, no child processes, so a mutant's run takes milliseconds and a whole mutation run fits this machine.
 */
export default defineConfig({
  test: {
    include: [
      "test/annotation.test.ts",
      "test/credential-report.test.ts",
      "test/decision-edges.test.ts",
      "test/evaluate.evidence.spec.test.ts",
      "test/evaluate.property.test.ts",
      "test/evaluate.spec.test.ts",
      "test/event.test.ts",
      "test/notification-template.test.ts",
      "test/params.test.ts",
      "test/regressions.test.ts",
      "test/report-hostile.test.ts",
      "test/root-row-bytes.test.ts",
      "test/root-row-edges.test.ts",
      "test/spec-limits.test.ts",
      "test/timestamp.test.ts",
    ],
    testTimeout: 30_000,
    pool: "forks",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
