import { defineConfig, mergeConfig } from "vitest/config";
import { sharedVitestConfig } from "../../vitest.shared.ts";

// One loss per test file (18 small files): share each worker's module cache instead of re-importing tfjs
// per file, which otherwise dominates the suite's time. Every file sets its own backend in beforeAll.
export default mergeConfig(sharedVitestConfig, defineConfig({ test: { isolate: false } }));
