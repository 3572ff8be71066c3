import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, expect, test } from "vitest";
import { chunkedInputs, type LogpsFixture, readFixture } from "../test/fixtures.ts";
import { chunkedSequenceLogps } from "./chunked_sequence_logps.ts";
import { expectClose } from "../test/loss_suite.ts";

// Issue 9: the log-prob path at the Llama-3 vocabulary (V = 128256) and T = 2048 runs in bounded memory.
const V = 128256;
const T = 2048;
const E = 4; // a tiny hidden size: the point is the [T, V] logits that must never exist at once
const FULL_LOGITS_BYTES = T * V * 4; // 1.05 GB

beforeAll(async () => {
  await initBackend(process.env.WPO_MEMORY_BACKEND === "cpu" ? "cpu" : "wasm");
});

test("V = 128256, T = 2048: forward + backward peak memory is a few [chunk, V] slices, not [T, V]", async () => {
  const hidden = tf.randomNormal([1, T, E], 0, 1, "float32", 1) as tf.Tensor3D;
  const weight = tf.randomNormal([V, E], 0, 0.1, "float32", 2) as tf.Tensor2D;
  const labelValues = Int32Array.from({ length: T }, (_, i) => (i < 100 ? -100 : (i * 7919) % V));
  const labels = tf.tensor2d(labelValues, [1, T], "int32");
  const chunkSize = 32;
  let sum = Number.NaN;
  let gradNorm = Number.NaN;
  const started = performance.now();
  const info = await tf.profile(async () => {
    const f = (h: tf.Tensor, w: tf.Tensor) =>
      tf.sum(
        chunkedSequenceLogps(h as tf.Tensor3D, w as tf.Tensor2D, labels, { chunkSize, alignment: "sampled" })
          .sum,
      ) as tf.Scalar;
    const { value, grads } = tf.valueAndGrads(f)([hidden, weight]);
    sum = (await value.data())[0]!;
    const norm = tf.norm(grads[1] as tf.Tensor);
    gradNorm = (await norm.data())[0] ?? Number.NaN;
    norm.dispose();
    tf.dispose([value, ...grads]);
    return [];
  });
  const seconds = (performance.now() - started) / 1000;
  const slice = chunkSize * V * 4;
  const weightBytes = V * E * 4;
  console.log(
    `peak ${(info.peakBytes / 2 ** 20).toFixed(1)} MiB (slice ${(slice / 2 ** 20).toFixed(1)} MiB, full logits ${(FULL_LOGITS_BYTES / 2 ** 20).toFixed(0)} MiB), ${seconds.toFixed(1)} s`,
  );
  expect(Number.isFinite(sum) && sum < 0).toBe(true);
  expect(Number.isFinite(gradNorm) && gradNorm > 0).toBe(true);
  // a handful of live [chunk, V] slices plus the weight, its transpose and its gradient; 100x below full logits
  expect(info.peakBytes).toBeLessThan(8 * slice + 4 * weightBytes);
  expect(info.peakBytes).toBeLessThan(FULL_LOGITS_BYTES / 8);
  tf.dispose([hidden, weight, labels]);
});

test("the same backend matches the PyTorch fixture (values, WPO weight, gradients)", async () => {
  const fx = readFixture<LogpsFixture>("logps.json").chunked;
  const { hidden, weight, labels, cs, cm } = chunkedInputs(fx);
  const out = chunkedSequenceLogps(hidden, weight, labels, { chunkSize: 4, alignment: "sampled" });
  expectClose(await out.sum.data(), fx.sum, 1e-5, "sum");
  expectClose(await out.wpoLogWeight!.data(), fx.wpoLogWeight.sampled, 1e-5, "wpoLogWeight");
  const objective = (h: tf.Tensor, w: tf.Tensor) => {
    const o = chunkedSequenceLogps(h as tf.Tensor3D, w as tf.Tensor2D, labels, { chunkSize: 4 });
    return tf.add(tf.sum(tf.mul(cs, o.sum)), tf.sum(tf.mul(cm, o.mean))) as tf.Scalar;
  };
  const [gh, gw] = tf.grads(objective)([hidden, weight]);
  expectClose(await gh!.data(), fx.gradHidden, 1e-4, "d J / d hidden");
  expectClose(await gw!.data(), fx.gradWeight, 1e-4, "d J / d lmHeadWeight");
  tf.dispose([gh!, gw!, hidden, weight, labels, cs, cm, ...Object.values(out)]);
});
