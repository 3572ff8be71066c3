import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, describe, expect, it } from "vitest";
import { ops as fusedOps } from "./_fused.ts";
import { SWIGLU_GRAD_KERNEL, SWIGLU_KERNEL } from "@wpo/kernels";

const { swiglu } = fusedOps;

afterAll(async () => {
  await initBackend("cpu");
});

/** The model's tensor-op SwiGLU, written out independently of the file under test. */
const ops = (gate: tf.Tensor, up: tf.Tensor) => tf.mul(tf.mul(gate, tf.sigmoid(gate)), up);

/** Value and gradients (gate, up) of Σ f(gate, up)·r, read back. */
async function run(f: (g: tf.Tensor, u: tf.Tensor) => tf.Tensor, g: tf.Tensor, u: tf.Tensor, r: tf.Tensor) {
  const value = tf.tidy(() => f(g, u));
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), r)))([g, u]);
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

const bytes = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
/** Bitwise equality of lists of float32 arrays (a deep equal over ~70k elements is slow). */
const same = (a: Float32Array[], b: Float32Array[]) =>
  a.length === b.length && a.every((x, i) => bytes(x).equals(bytes(b[i]!)));

function inputs(shape: number[], seed: number) {
  return tf.tidy(() => [
    tf.randomNormal(shape, 0, 3, "float32", seed),
    tf.randomNormal(shape, 0, 1, "float32", seed + 1),
    tf.randomNormal(shape, 0, 1, "float32", seed + 2),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

describe("swiglu", () => {
  it("matches the tensor-op value (1e-6) and gradients (1e-5) through the fused kernels (wasm)", async (ctx) => {
    await initBackend("wasm");
    if (!tf.getKernel(SWIGLU_KERNEL, "wasm")) ctx.skip("the fused SwiGLU kernels are not registered here");
    for (const shape of [[2, 33, 96], [4, 64, 288], [5], [2, 2, 3, 16]]) {
      const [g, u, r] = inputs(shape, shape.length);
      const fused = await run(swiglu, g, u, r);
      const kernels = [SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL].map((n) => tf.getKernel(n, "wasm")!);
      for (const k of kernels) tf.unregisterKernel(k.kernelName, "wasm");
      const viaOps = await run(swiglu, g, u, r);
      for (const k of kernels) tf.registerKernel(k);
      const reference = await run(ops, g, u, r);
      expect(same(viaOps, reference)).toBe(true); // without the kernels: exactly the tensor ops
      expect(relErr(fused[0]!, reference[0]!), `value ${shape}`).toBeLessThan(1e-6);
      expect(relErr(fused[1]!, reference[1]!), `dGate ${shape}`).toBeLessThan(1e-5);
      expect(relErr(fused[2]!, reference[2]!), `dUp ${shape}`).toBeLessThan(1e-5);
      tf.dispose([g, u, r]);
    }
  });

  it("stays finite at large |gate| through the fused kernels (wasm)", async (ctx) => {
    await initBackend("wasm");
    if (!tf.getKernel(SWIGLU_KERNEL, "wasm")) ctx.skip("the fused SwiGLU kernels are not registered here");
    const g = tf.tensor1d([-100, -30, 0, 30, 100]);
    const u = tf.ones([5]);
    const [value, dGate, dUp] = await run(swiglu, g, u, u);
    for (const t of [value!, dGate!, dUp!]) expect(Array.from(t).every(Number.isFinite)).toBe(true);
    expect(value![4]).toBe(100);
    expect(dGate![4]).toBe(1);
    expect(Math.abs(value![0]!)).toBe(0);
    tf.dispose([g, u]);
  });

  it("runs exactly the tensor ops on cpu, and for an up that only broadcasts", async () => {
    await initBackend("cpu");
    const [g, u, r] = inputs([3, 7, 24], 5);
    expect(same(await run(swiglu, g, u, r), await run(ops, g, u, r))).toBe(true);
    tf.dispose([g, u, r]);
    await initBackend("wasm");
    const [g2, u2, r2] = inputs([3, 7, 24], 6);
    const u1 = tf.slice(u2, [0, 0, 0], [1, 7, 24]);
    expect(same(await run(swiglu, g2, u1, r2), await run(ops, g2, u1, r2))).toBe(true);
    tf.dispose([g2, u2, r2, u1]);
  });

  it("keeps the tensor count flat over forward + backward (wasm)", async () => {
    await initBackend("wasm");
    const [g, u, r] = inputs([2, 4, 32], 7);
    const once = () =>
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(swiglu(a, b), r)))([g, u]));
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([g, u, r]);
  });
});
