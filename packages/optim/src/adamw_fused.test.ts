import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdamW } from "./adamw.ts";
import { ADAMW_UPDATE_KERNEL } from "@wpo/kernels";
import { fusedAdamWAvailable } from "./adamw_kernel.ts";

let native = false;
beforeAll(async () => {
  native = (await initBackend("wasm")).matmul === "native-blas";
});
afterAll(async () => {
  await initBackend("cpu");
});

/** Two parameters (one above the native kernel's threading threshold), a decay group, 5 steps. */
async function run(
  fusedKernel: boolean,
): Promise<{ params: Float32Array[]; m: Float32Array[]; v: Float32Array[] }> {
  const w = tf.variable(tf.randomNormal([300, 257], 0, 1, "float32", 1), true, `w_${fusedKernel}`);
  const b = tf.variable(tf.randomNormal([257], 0, 1, "float32", 2), true, `b_${fusedKernel}`);
  const opt = new AdamW(
    new Map([
      ["w", w],
      ["b", b],
    ]),
    {
      weightDecay: 0.1,
      groups: [{ params: ["b"], weightDecay: 0, lrScale: 0.5 }],
      fusedKernel,
    },
  );
  for (let step = 0; step < 5; step++) {
    const grads = {
      w: tf.randomNormal(w.shape, 0, 1 + step, "float32", 10 + step),
      b: tf.randomNormal(b.shape, 0, 1e-3, "float32", 20 + step),
    };
    opt.step(grads, { lr: 1e-3 * (step + 1) });
    tf.dispose(grads);
  }
  const state = await opt.state();
  const out = {
    params: [await w.data(), await b.data()] as Float32Array[],
    m: Object.values(state.m),
    v: Object.values(state.v),
  };
  opt.dispose();
  tf.dispose([w, b]);
  return out;
}

describe("AdamW's fused kernel on wasm (native @wpo/blas)", () => {
  it("is registered under ADAMW_UPDATE_KERNEL when the addon loads", () => {
    expect(tf.getKernel(ADAMW_UPDATE_KERNEL, "wasm") !== undefined).toBe(native);
    expect(fusedAdamWAvailable()).toBe(native);
  });

  it("gives bit-identical parameters and moments to the tensor-op update", async (ctx) => {
    if (!native) ctx.skip("the native addon is not built here");
    const fused = await run(true);
    const ops = await run(false);
    for (const key of ["params", "m", "v"] as const) {
      fused[key].forEach((got, i) => {
        const want = ops[key][i]!;
        const differing = got.reduce((n, x, j) => n + (Object.is(x, want[j]) ? 0 : 1), 0);
        expect(differing, `${key}[${i}]: elements that differ of ${got.length}`).toBe(0);
      });
    }
  });

  it("keeps the tensor count flat", async () => {
    const w = tf.variable(tf.ones([64, 64]), true);
    const opt = new AdamW([w]);
    const g = { [w.name]: tf.fill([64, 64], 0.5) };
    opt.step(g, { lr: 1e-3 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) opt.step(g, { lr: 1e-3 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([g[w.name]!, w]);
    opt.dispose();
  });
});
