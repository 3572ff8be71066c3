import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { chunkedSelectedLogProbs } from "./chunked_selected_log_probs.ts";
import { initBackend } from "./init_backend.ts";

async function expectClose(a: tf.Tensor, b: tf.Tensor, tol: number): Promise<void> {
  const [av, bv] = [await a.data(), await b.data()];
  expect(av.length).toBe(bv.length);
  for (let i = 0; i < av.length; i++)
    expect(Math.abs(av[i]! - bv[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(bv[i]!)));
}

describe.each(["cpu", "wasm"] as const)("chunkedSelectedLogProbs on %s", (name) => {
  it("equals the unchunked log_softmax + gather, with gradients for hidden and weight", async () => {
    await initBackend(name);
    const h = tf.randomNormal([10, 6], 0, 1, "float32", 3) as tf.Tensor2D;
    const w = tf.randomNormal([13, 6], 0, 1, "float32", 4) as tf.Tensor2D;
    const y = tf.tensor1d([0, 12, 5, 5, 1, 7, 3, 9, 11, 2], "int32");
    const up = tf.randomNormal([10], 0, 1, "float32", 5);
    const full = (hh: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.sum(
            tf.mul(tf.logSoftmax(tf.matMul(hh, ww, false, true)), tf.cast(tf.oneHot(y, 13), "float32")),
            1,
          ),
          up,
        ),
      );
    const chunked = (hh: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(
        tf.mul(
          chunkedSelectedLogProbs(
            { hidden: hh as tf.Tensor2D, weight: ww as tf.Tensor2D, labels: y },
            { chunkRows: 4 },
          ),
          up,
        ),
      );
    const want = tf.grads(full)([h, w]);
    const got = tf.grads(chunked)([h, w]);
    await expectClose(chunked(h, w), full(h, w), 1e-5);
    await expectClose(got[0]!, want[0]!, 1e-4);
    await expectClose(got[1]!, want[1]!, 1e-4);
    tf.dispose([h, w, y, up, ...want, ...got]);
  });

  it("rejects bad shapes and chunk sizes", async () => {
    await initBackend(name);
    const h = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() =>
      chunkedSelectedLogProbs({
        hidden: h,
        weight: tf.zeros([4, 2]) as tf.Tensor2D,
        labels: tf.tensor1d([0, 1], "int32"),
      }),
    ).toThrow(TypeError);
    expect(() =>
      chunkedSelectedLogProbs({
        hidden: h,
        weight: tf.zeros([4, 3]) as tf.Tensor2D,
        labels: tf.tensor1d([0], "int32"),
      }),
    ).toThrow(/labels must be int32 \[2\]/);
    expect(() =>
      chunkedSelectedLogProbs(
        { hidden: h, weight: tf.zeros([4, 3]) as tf.Tensor2D, labels: tf.tensor1d([0, 1], "int32") },
        { chunkRows: 0 },
      ),
    ).toThrow(RangeError);
  });
});

describe("chunkedSelectedLogProbs at Llama 3 scale", () => {
  it("runs V=128256, T=2048 forward+backward in bounded memory (tiny hidden size)", async () => {
    await initBackend("wasm");
    const [t, v, e] = [2048, 128256, 4];
    const h = tf.randomNormal([t, e], 0, 1, "float32", 1) as tf.Tensor2D;
    const w = tf.randomNormal([v, e], 0, 0.1, "float32", 2) as tf.Tensor2D;
    const y = tf.randomUniformInt([t], 0, v, 3) as tf.Tensor1D;
    const before = tf.memory();
    const rss0 = process.memoryUsage().rss;
    const [gh, gw] = tf.grads((hh: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(
        chunkedSelectedLogProbs(
          { hidden: hh as tf.Tensor2D, weight: ww as tf.Tensor2D, labels: y },
          { chunkRows: 64 },
        ),
      ),
    )([h, w]);
    const total = tf.sum(gh!);
    expect(Number.isFinite((await total.data())[0]!)).toBe(true);
    total.dispose();
    const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
    // Full logits alone would be t*v*4 bytes = 1002 MiB (and the stock backward keeps several such tensors).
    expect(grown).toBeLessThan(300);
    tf.dispose([gh!, gw!]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    tf.dispose([h, w, y]);
  }, 120_000);
});
