import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { positionStats } from "./_position_stats.ts";
import { LOGIT_ROW_STATS_KERNEL } from "@wpo/kernels";
import { fusedLogitRowStats } from "./logit_row_stats.ts";

let native = false;
beforeAll(async () => {
  native = (await initBackend("wasm")).matmul === "native-blas";
});
afterAll(async () => {
  await initBackend("cpu");
});

const maxRelError = (a: ArrayLike<number>, b: ArrayLike<number>, floor: number) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(floor, Math.abs(b[i]!)));
  return worst;
};

describe("the fused logits-row statistics on wasm", () => {
  it("is registered exactly when the native addon loads", () => {
    expect(tf.getKernel(LOGIT_ROW_STATS_KERNEL, "wasm") !== undefined).toBe(native);
  });

  it("matches float64 at least as closely as the tensor ops on a [96, 4099] slice", async (ctx) => {
    if (!native) ctx.skip("the native addon is not built here");
    const [rows, v] = [96, 4099];
    const logits = tf.tidy(() => tf.mul(tf.randomNormal([rows, v], 0, 1, "float32", 3), 4)) as tf.Tensor2D;
    const targetIds = Array.from({ length: rows }, (_, i) => (i * 131) % v);
    const targets = tf.tensor1d(targetIds, "int32");
    const x = (await logits.data()) as Float32Array;
    // float64 reference: [logp, Σ logits, wpo term] per alignment
    const ref = { sampled: [] as number[][], greedy: [] as number[][], none: [] as number[][] };
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * v, (r + 1) * v);
      const m = row.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
      let s = 0;
      let sum = 0;
      for (const xv of row) {
        s += Math.exp(xv - m);
        sum += xv;
      }
      let p2 = 0;
      for (const xv of row) p2 += (Math.exp(xv - m) / s) ** 2;
      const logp = row[targetIds[r]!]! - m - Math.log(s);
      ref.sampled.push([logp, sum, logp - Math.log(p2)]);
      ref.greedy.push([logp, sum, logp + Math.log(s)]);
      ref.none.push([logp, sum, logp]);
    }
    const errors = async (alignment: "sampled" | "greedy" | "none") => {
      const st = positionStats(logits, targets, alignment);
      const got = await Promise.all([st.logp, st.logitSum, st.wpoTerm!].map((t) => t.data()));
      tf.dispose([st.logp, st.logitSum, st.wpoTerm!, st.probs]);
      return [0, 1, 2].map((k) =>
        maxRelError(
          got[k]!,
          ref[alignment].map((row) => row[k]!),
          1,
        ),
      );
    };
    for (const alignment of ["sampled", "greedy", "none"] as const) {
      const fused = await errors(alignment);
      const kernel = tf.getKernel(LOGIT_ROW_STATS_KERNEL, "wasm")!;
      tf.unregisterKernel(LOGIT_ROW_STATS_KERNEL, "wasm");
      const ops = await errors(alignment);
      tf.registerKernel(kernel);
      fused.forEach((e, k) => {
        expect(e, `${alignment} output ${k}: fused error vs float64 (ops: ${ops[k]})`).toBeLessThan(
          Math.max(1e-6, ops[k]!),
        );
      });
    }
    tf.dispose([logits, targets]);
  });

  it("is absent on cpu (positionStats runs its tensor ops) and keeps the tensor count flat", async () => {
    const logits = tf.randomNormal([8, 50], 0, 1, "float32", 1) as tf.Tensor2D;
    if (native) {
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) tf.dispose(Object.values(fusedLogitRowStats(logits)!));
      expect(tf.memory().numTensors).toBe(before);
    }
    logits.dispose();
    await initBackend("cpu");
    expect(fusedLogitRowStats(tf.zeros([2, 3]) as tf.Tensor2D)).toBeUndefined();
  });
});
