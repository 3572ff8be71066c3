import { defineConfig, mergeConfig } from "vitest/config";
import { sharedVitestConfig } from "../../vitest.shared.ts";

// The e2e test builds the app, drives headless Chromium on a software WebGPU adapter: allow minutes.
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({ test: { testTimeout: 240_000, hookTimeout: 240_000, fileParallelism: false } }),
);
