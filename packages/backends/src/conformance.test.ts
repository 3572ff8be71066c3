import * as tf from "@tensorflow/tfjs-core";
import { loadBlas } from "@wpo/blas";
import { afterAll, describe, expect, it } from "vitest";
import type { BackendName } from "./backend_info.ts";
import { runConformance } from "./conformance.ts";
import { type InitBackendOptions, initBackend, shutdownBackend } from "./init_backend.ts";
import { ADAMW_UPDATE_KERNEL, FUSED_KERNELS } from "@wpo/kernels";

afterAll(() => shutdownBackend());

// WebGPU runs in Node through Dawn's OpenGL ES adapter (Mesa llvmpipe) on CI machines without a GPU.
// wasm runs twice: matmul on native OpenBLAS (when @wpo/blas built) and in WebAssembly with explicit transposes.
// native (Node, typed arrays + @wpo/blas) runs where the addon is built.
const backends: [string, BackendName, InitBackendOptions][] = [
  ["cpu", "cpu", {}],
  ["wasm", "wasm", {}],
  ["wasm without native BLAS", "wasm", { nativeBlas: false }],
  ...(loadBlas() ? [["native", "native", {}] as [string, BackendName, InitBackendOptions]] : []),
  ["webgpu", "webgpu", {}],
];

describe.each(backends)("conformance on %s", (_label, name, options) => {
  it("initialises with no missing kernels", async () => {
    const info = await initBackend(name, options);
    expect(info.name).toBe(name);
    expect(tf.getBackend()).toBe(name);
    expect(info.missingKernels).toEqual([]);
    if (name === "webgpu") {
      expect(info.adapter).toBeDefined();
      expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    }
    if (name === "wasm") {
      if (options.nativeBlas === false) expect(info.matmul).toBe("explicit-transpose");
      else expect(["native-blas", "explicit-transpose"]).toContain(info.matmul);
      expect(info.notes.join(" ")).toMatch(/matmul:/);
      // Sqrt, the binary ops and the fused AdamW update run natively exactly when the matmul does (same addon)
      for (const k of ["Sqrt", "Add", "Sub", "Multiply", "RealDiv", ...FUSED_KERNELS])
        expect(info.patchedKernels.includes(k)).toBe(info.matmul === "native-blas");
    }
  });

  it("passes every check", async () => {
    const info = await initBackend(name, options);
    const results = await runConformance();
    for (const r of results)
      expect({ check: r.check, passed: r.passed, maxError: r.maxError }).toMatchObject({ passed: true });
    const native = tf.getKernel(ADAMW_UPDATE_KERNEL, tf.getBackend()) !== undefined;
    expect(native).toBe(info.matmul === "native-blas");
    expect(results.map((r) => r.check)).toEqual([
      "matmul",
      "matmul transposeA",
      "matmul transposeB",
      "softmax",
      "softmax gradient (rows of 11 and of 40, a fused kernel where registered)",
      "logSoftmax + gather",
      "oneHot float32",
      "selectedLogProbs + gradient",
      "LM-head log-probs (H·Wᵀ) + gradients, scatterND rows",
      "tile",
      "add/sub/mul/div in every broadcast layout",
      "sqrt",
      ...(native
        ? [
            "fused AdamW update (where registered)",
            "fused logits row statistics (where registered)",
            "fused attention softmax (where registered)",
            "fused rotary embedding and its transpose (where registered)",
            "fused RMSNorm and its gradient (where registered)",
            "fused SwiGLU and its gradient (where registered)",
          ]
        : []),
      "slice (contiguous blocks, columns, 3-D and 4-D windows, int32)",
      "transpose (identity shares the buffer, general permutes)",
      "clone isolation (shared buffers)",
      "gather + gradient",
      "tiny forward + backward",
      "batched matmul, all transpose forms",
      "broadcast matmul (x·Wᵀ and W·x)",
      "matmul gradients, all transpose forms",
      "linear layer x·Wᵀ gradients",
    ]);
  });
});
