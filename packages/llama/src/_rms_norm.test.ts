import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, describe, expect, it } from "vitest";
import { ops as fusedOps } from "./_fused.ts";
import { RMS_NORM_GRAD_KERNEL, RMS_NORM_KERNEL } from "@wpo/kernels";

const { rmsNorm } = fusedOps;

const EPS = 1e-5;

afterAll(async () => {
  await initBackend("cpu");
});

/** The model's tensor-op RMSNorm, written out independently of the file under test. */
const ops = (x: tf.Tensor, w: tf.Tensor) =>
  tf.mul(w, tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), EPS))));

/** Value and gradients (x, weight) of Σ f(x, w)·r, read back. */
async function run(f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor, r: tf.Tensor) {
  const value = tf.tidy(() => f(x, w));
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
  const out = await Promise.all([value, ...grads].map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([value, ...grads]);
  return out;
}

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

function inputs(shape: number[], seed: number) {
  const e = shape[shape.length - 1]!;
  return tf.tidy(() => [
    tf.randomNormal(shape, 0, 2, "float32", seed),
    tf.randomNormal([e], 1, 0.3, "float32", seed + 1),
    tf.randomNormal(shape, 0, 1, "float32", seed + 2),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

describe("rmsNorm", () => {
  it("matches the tensor-op value (1e-6) and gradients (1e-5) through the fused kernels (wasm)", async (ctx) => {
    await initBackend("wasm");
    if (!tf.getKernel(RMS_NORM_KERNEL, "wasm")) ctx.skip("the fused RMSNorm kernels are not registered here");
    for (const shape of [[2, 33, 96], [4, 64, 384], [5], [2, 2, 3, 16]]) {
      const [x, w, r] = inputs(shape, shape.length);
      const fused = await run((a, b) => rmsNorm(a, b, EPS), x, w, r);
      const kernels = [RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL].map((n) => tf.getKernel(n, "wasm")!);
      for (const k of kernels) tf.unregisterKernel(k.kernelName, "wasm");
      const viaOps = await run((a, b) => rmsNorm(a, b, EPS), x, w, r);
      for (const k of kernels) tf.registerKernel(k);
      const reference = await run(ops, x, w, r);
      expect(viaOps).toEqual(reference); // without the kernels: exactly the tensor ops
      expect(relErr(fused[0]!, reference[0]!), `value ${shape}`).toBeLessThan(1e-6);
      expect(relErr(fused[1]!, reference[1]!), `dx ${shape}`).toBeLessThan(1e-5);
      expect(relErr(fused[2]!, reference[2]!), `dWeight ${shape}`).toBeLessThan(1e-5);
      tf.dispose([x, w, r]);
    }
  });

  it("runs exactly the tensor ops on cpu, and for a weight that is not [E]", async () => {
    await initBackend("cpu");
    const [x, w, r] = inputs([3, 7, 24], 5);
    expect(await run((a, b) => rmsNorm(a, b, EPS), x, w, r)).toEqual(await run(ops, x, w, r));
    tf.dispose([x, w, r]);
    await initBackend("wasm");
    const [x2, w2, r2] = inputs([3, 7, 24], 6);
    const w2d = tf.reshape(w2, [1, 24]);
    expect(await run((a, b) => rmsNorm(a, b, EPS), x2, w2d, r2)).toEqual(await run(ops, x2, w2d, r2));
    tf.dispose([x2, w2, r2, w2d]);
  });

  it("keeps the tensor count flat over forward + backward (wasm)", async () => {
    await initBackend("wasm");
    const [x, w, r] = inputs([2, 4, 32], 7);
    const once = () =>
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(rmsNorm(a, b, EPS), r)))([x, w]));
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, r]);
  });
});
