import { defineConfig } from "vitest/config";

/**
 * Vitest settings shared by every package: workspace packages resolve to their
 * TypeScript sources (the `@wpo/source` export condition), so tests never need a
 * prior build, and tests run in forked processes (tfjs backends are global state).
 */
export const sharedVitestConfig = defineConfig({
  resolve: { conditions: ["@wpo/source"] },
  // Tests run in Node: the `node` side of `#node-only` imports and of `exports` conditions.
  ssr: { resolve: { conditions: ["@wpo/source", "node"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
