import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, test } from "vitest";
import { readFixture, type WpoFixture } from "../test/fixtures.ts";
import { expectClose } from "../test/loss_suite.ts";
import { wpoPairWeights } from "./wpo_pair_weights.ts";

const fx = readFixture<WpoFixture>("wpo.json").pairWeights;

beforeAll(async () => {
  await initBackend("cpu");
});

describe("wpoPairWeights", () => {
  test("clamped at 1 by default, unclamped with clamp: null (PyTorch)", async () => {
    const [a, b] = [tf.tensor1d(fx.aChosen), tf.tensor1d(fx.aRejected)];
    const clamped = wpoPairWeights(a, b);
    const free = wpoPairWeights(a, b, { clamp: null });
    expectClose(await clamped.data(), fx.clamped, 1e-6, "clamped");
    expectClose(await free.data(), fx.unclamped, 1e-6, "unclamped");
    expect(fx.unclamped[0]!).toBeGreaterThan(1);
    tf.dispose([a, b, clamped, free]);
  });

  test("is outside the gradient", async () => {
    const [a, b] = [tf.tensor1d(fx.aChosen), tf.tensor1d(fx.aRejected)];
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(wpoPairWeights(x as tf.Tensor1D, y as tf.Tensor1D, { clamp: null })),
    )([a, b]);
    expect(Array.from(await ga!.data()).every((g) => g === 0)).toBe(true);
    expect(Array.from(await gb!.data()).every((g) => g === 0)).toBe(true);
    tf.dispose([a, b, ga!, gb!]);
  });

  test("validates its inputs and leaks nothing", () => {
    const a = tf.tensor1d([0, 0]);
    expect(() => wpoPairWeights(a, tf.tensor1d([0]))).toThrow(TypeError);
    expect(() => wpoPairWeights(a, a, { clamp: 0 })).toThrow(RangeError);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) wpoPairWeights(a, a).dispose();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});
