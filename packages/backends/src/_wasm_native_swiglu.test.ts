import * as tf from "@tensorflow/tfjs-core";
import { loadBlas } from "@wpo/blas";
import { afterAll, describe, expect, it } from "vitest";
import { SWIGLU_GRAD_KERNEL, SWIGLU_KERNEL } from "@wpo/kernels";
import { patchWasmSwiGLU } from "./_wasm_native_swiglu.ts";
import { initBackend } from "./init_backend.ts";
import type { NativeLookup } from "@wpo/kernels";

const lookup: NativeLookup = (name) => loadBlas()?.native(name);
const built = lookup("swiglu") !== undefined;

afterAll(async () => {
  await initBackend("cpu");
});

/** Largest |a - b| over the largest |b|. */
function relErr(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let size = 0;
  b.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(a[i]! - v));
    size = Math.max(size, Math.abs(v));
  });
  return diff / size;
}

/** The model's tensor-op SwiGLU. */
const ops = (gate: tf.Tensor, up: tf.Tensor) => tf.mul(tf.mul(gate, tf.sigmoid(gate)), up);

describe.skipIf(!built)("patchWasmSwiGLU", () => {
  it("registers both kernels, and unregisters them when patched with undefined", async () => {
    await initBackend("wasm");
    expect(patchWasmSwiGLU(lookup)).toEqual([SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL]);
    expect(tf.getKernel(SWIGLU_KERNEL, "wasm")).toBeDefined();
    expect(tf.getKernel(SWIGLU_GRAD_KERNEL, "wasm")).toBeDefined();
    expect(patchWasmSwiGLU(undefined)).toEqual([]);
    expect(tf.getKernel(SWIGLU_KERNEL, "wasm")).toBeUndefined();
    expect(tf.getKernel(SWIGLU_GRAD_KERNEL, "wasm")).toBeUndefined();
    expect(patchWasmSwiGLU(() => undefined)).toEqual([]);
    expect(tf.getKernel(SWIGLU_KERNEL, "wasm")).toBeUndefined();
  });

  it("matches the tensor-op forward and autodiff backward on wasm (1e-6 / 1e-5)", async () => {
    await initBackend("wasm");
    patchWasmSwiGLU(lookup);
    for (const shape of [[2, 5, 48], [4, 64, 288], [7]]) {
      const [gate, up, dy] = tf.tidy(() => [
        tf.randomNormal(shape, 0, 3, "float32", 1),
        tf.randomNormal(shape, 0, 1, "float32", 2),
        tf.randomNormal(shape, 0, 1, "float32", 3),
      ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const fused = tf.tidy(() => [
        tf.engine().runKernel(SWIGLU_KERNEL, { gate, up }) as tf.Tensor,
        ...(tf.engine().runKernel(SWIGLU_GRAD_KERNEL, { dy, gate, up }) as tf.Tensor[]),
      ]);
      const viaOps = tf.tidy(() => [ops(gate, up), ...tf.grads(ops)([gate, up], dy)]);
      const got = await Promise.all(fused.map((t) => t.data() as Promise<Float32Array>));
      const want = await Promise.all(viaOps.map((t) => t.data() as Promise<Float32Array>));
      expect(fused.map((t) => t.shape)).toEqual([shape, shape, shape]);
      expect(relErr(got[0]!, want[0]!), `out ${shape}`).toBeLessThan(1e-6);
      expect(relErr(got[1]!, want[1]!), `dGate ${shape}`).toBeLessThan(1e-5);
      expect(relErr(got[2]!, want[2]!), `dUp ${shape}`).toBeLessThan(1e-5);
      tf.dispose([gate, up, dy, ...fused, ...viaOps]);
    }
    patchWasmSwiGLU(undefined);
  });

  it("rejects mismatched shapes and dtypes, and keeps the tensor count flat", async () => {
    await initBackend("wasm");
    patchWasmSwiGLU(lookup);
    const a = tf.ones([2, 3]);
    const b = tf.ones([3, 2]);
    const i = tf.ones([2, 3], "int32");
    expect(() => tf.engine().runKernel(SWIGLU_KERNEL, { gate: a, up: b })).toThrow(TypeError);
    expect(() => tf.engine().runKernel(SWIGLU_KERNEL, { gate: a, up: i })).toThrow(
      /expected float32 gate, up/,
    );
    expect(() => tf.engine().runKernel(SWIGLU_GRAD_KERNEL, { dy: b, gate: a, up: a })).toThrow(TypeError);
    const once = () =>
      tf.tidy(() => {
        tf.engine().runKernel(SWIGLU_KERNEL, { gate: a, up: a });
        tf.engine().runKernel(SWIGLU_GRAD_KERNEL, { dy: a, gate: a, up: a });
      });
    once();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, i]);
    patchWasmSwiGLU(undefined);
  });
});
