import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import type { BackendName } from "./backend_info.ts";
import { runConformance } from "./conformance.ts";
import { initBackend, shutdownBackend } from "./init_backend.ts";

afterAll(() => shutdownBackend());

// WebGPU runs in Node through Dawn's OpenGL ES adapter (Mesa llvmpipe) on CI machines without a GPU.
const backends: BackendName[] = ["cpu", "wasm", "webgpu"];

describe.each(backends)("conformance on %s", (name) => {
  it("initialises with no missing kernels", async () => {
    const info = await initBackend(name);
    expect(info.name).toBe(name);
    expect(tf.getBackend()).toBe(name);
    expect(info.missingKernels).toEqual([]);
    if (name === "webgpu") {
      expect(info.adapter).toBeDefined();
      expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    }
  });

  it("passes every check", async () => {
    await initBackend(name);
    const results = await runConformance();
    for (const r of results) expect({ check: r.check, passed: r.passed, maxError: r.maxError }).toMatchObject({ passed: true });
    expect(results.map((r) => r.check)).toEqual([
      "matmul",
      "matmul transposeA",
      "matmul transposeB",
      "softmax",
      "logSoftmax + gather",
      "gather + gradient",
      "tiny forward + backward",
    ]);
  });
});
