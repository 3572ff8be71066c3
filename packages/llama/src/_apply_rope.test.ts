import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, describe, expect, it } from "vitest";
import { ROPE_KERNEL } from "@wpo/kernels";
import { ops } from "./_fused.ts";
import { ropeTables } from "./_rope.ts";

afterAll(async () => {
  await initBackend("cpu");
});

/** Value and gradient of Σ rope(x)·r, read back. */
async function run(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor, r: tf.Tensor) {
  const value = tf.tidy(() => ops.applyRope(x, cos, sin));
  const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ops.applyRope(t, cos, sin), r)))(x);
  const out = [await value.data(), await grad.data()];
  tf.dispose([value, grad]);
  return out;
}

describe("applyRope", () => {
  it("gives bit-identical values and gradients through the fused kernel and through tensor ops (wasm)", async (ctx) => {
    const info = await initBackend("wasm");
    if (info.matmul !== "native-blas") ctx.skip("the native addon is not built here");
    const inv = Float32Array.from({ length: 8 }, (_, i) => 1 / 10000 ** ((2 * i) / 16));
    for (const rows of [1, 2]) {
      const positions = Array.from({ length: rows * 70 }, (_, i) => (i % 70) + 3 * Math.floor(i / 70));
      const { cos, sin } = ropeTables(inv, positions, rows, 70);
      const x = tf.randomNormal([2, 3, 70, 16], 0, 2, "float32", rows);
      const r = tf.randomNormal([2, 3, 70, 16], 0, 1, "float32", 9);
      const fused = await run(x, cos, sin, r);
      const kernel = tf.getKernel(ROPE_KERNEL, "wasm")!;
      tf.unregisterKernel(ROPE_KERNEL, "wasm");
      const ops = await run(x, cos, sin, r);
      tf.registerKernel(kernel);
      expect(fused[0]).toEqual(ops[0]);
      expect(fused[1]).toEqual(ops[1]);
      tf.dispose([cos, sin, x, r]);
    }
  });

  it("keeps the tensor count flat over forward + backward", async () => {
    await initBackend("wasm");
    const { cos, sin } = ropeTables(Float32Array.from([1, 0.1]), [0, 1, 2], 1, 3);
    const x = tf.ones([1, 2, 3, 4]);
    const once = () => tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(ops.applyRope(t, cos, sin)))(x));
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([cos, sin, x]);
  });
});
