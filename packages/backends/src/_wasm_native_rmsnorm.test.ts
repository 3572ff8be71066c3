import * as tf from "@tensorflow/tfjs-core";
import { loadBlas } from "@wpo/blas";
import { afterAll, describe, expect, it } from "vitest";
import { RMS_NORM_GRAD_KERNEL, RMS_NORM_KERNEL } from "@wpo/kernels";
import { patchWasmRMSNorm } from "./_wasm_native_rmsnorm.ts";
import { initBackend } from "./init_backend.ts";
import type { NativeLookup } from "@wpo/kernels";

const lookup: NativeLookup = (name) => loadBlas()?.native(name);
const built = lookup("rmsnorm") !== undefined;
const EPS = 1e-5;

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

describe.skipIf(!built)("patchWasmRMSNorm", () => {
  it("registers both kernels, and unregisters them when patched with undefined", async () => {
    await initBackend("wasm");
    expect(patchWasmRMSNorm(lookup)).toEqual([RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL]);
    expect(tf.getKernel(RMS_NORM_KERNEL, "wasm")).toBeDefined();
    expect(tf.getKernel(RMS_NORM_GRAD_KERNEL, "wasm")).toBeDefined();
    expect(patchWasmRMSNorm(undefined)).toEqual([]);
    expect(tf.getKernel(RMS_NORM_KERNEL, "wasm")).toBeUndefined();
    expect(tf.getKernel(RMS_NORM_GRAD_KERNEL, "wasm")).toBeUndefined();
  });

  it("matches the tensor-op forward and autodiff backward on wasm (1e-6 / 1e-5)", async () => {
    await initBackend("wasm");
    patchWasmRMSNorm(lookup);
    for (const shape of [[2, 5, 48], [4, 64, 384], [7]]) {
      const e = shape[shape.length - 1]!;
      const [x, w, dy] = tf.tidy(() => [
        tf.randomNormal(shape, 0, 2, "float32", 1),
        tf.randomNormal([e], 1, 0.3, "float32", 2),
        tf.randomNormal(shape, 0, 1, "float32", 3),
      ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const fused = tf.tidy(() => [
        tf.engine().runKernel(RMS_NORM_KERNEL, { x, weight: w }, { eps: EPS }) as tf.Tensor,
        ...(tf.engine().runKernel(RMS_NORM_GRAD_KERNEL, { dy, x, weight: w }, { eps: EPS }) as tf.Tensor[]),
      ]);
      const ops = tf.tidy(() => {
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.mul(b, tf.mul(a, tf.rsqrt(tf.add(tf.mean(tf.square(a), -1, true), EPS))));
        return [f(x, w), ...tf.grads(f)([x, w], dy)];
      });
      const got = await Promise.all(fused.map((t) => t.data() as Promise<Float32Array>));
      const want = await Promise.all(ops.map((t) => t.data() as Promise<Float32Array>));
      expect(fused.map((t) => t.shape)).toEqual([shape, shape, [e]]);
      expect(relErr(got[0]!, want[0]!), `out ${shape}`).toBeLessThan(1e-6);
      expect(relErr(got[1]!, want[1]!), `dx ${shape}`).toBeLessThan(1e-5);
      expect(relErr(got[2]!, want[2]!), `dWeight ${shape}`).toBeLessThan(1e-5);
      tf.dispose([x, w, dy, ...fused, ...ops]);
    }
  });

  it("rejects a weight that does not match x's last axis, and keeps the tensor count flat", async () => {
    await initBackend("wasm");
    patchWasmRMSNorm(lookup);
    const x = tf.ones([2, 3]);
    const w = tf.ones([4]);
    expect(() => tf.engine().runKernel(RMS_NORM_KERNEL, { x, weight: w }, { eps: EPS })).toThrow(TypeError);
    const w3 = tf.ones([3]);
    const once = () =>
      tf.tidy(() => {
        tf.engine().runKernel(RMS_NORM_KERNEL, { x, weight: w3 }, { eps: EPS });
        tf.engine().runKernel(RMS_NORM_GRAD_KERNEL, { dy: x, x, weight: w3 }, { eps: EPS });
      });
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, w3]);
  });
});
