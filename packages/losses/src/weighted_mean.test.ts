import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, expect, test } from "vitest";
import { weightedMean } from "./weighted_mean.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

test("weightedMean is mean(w·l), not normalised by Σw; plain mean without weights", async () => {
  const l = tf.tensor1d([1, 2, 3, 6]);
  const w = tf.tensor1d([0.5, 0.25, 1, 0]);
  expect((await weightedMean(l, w).data())[0]).toBeCloseTo((0.5 + 0.5 + 3) / 4, 7);
  expect((await weightedMean(l).data())[0]).toBe(3);
  expect(() => weightedMean(l, tf.tensor1d([1]))).toThrow(TypeError);
  tf.dispose([l, w]);
});
