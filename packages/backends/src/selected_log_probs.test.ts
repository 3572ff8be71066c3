import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { initBackend } from "./init_backend.ts";
import { selectedLogProbs } from "./selected_log_probs.ts";

const composite = (x: tf.Tensor2D, y: tf.Tensor1D) =>
  tf.sum(tf.mul(tf.logSoftmax(x), tf.oneHot(y, x.shape[1], 1, 0, "float32")), 1);

describe.each(["cpu", "wasm"] as const)("selectedLogProbs on %s", (name) => {
  it("matches log_softmax + gather in value and gradient", async () => {
    await initBackend(name);
    const x = tf.randomNormal([6, 11], 0, 3, "float32", 1) as tf.Tensor2D;
    const y = tf.tensor1d([0, 10, 3, 3, 7, 1], "int32");
    const up = tf.randomNormal([6], 0, 1, "float32", 2);
    const got = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(selectedLogProbs(t as tf.Tensor2D, y), up)))(
      x,
    );
    const want = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(composite(t as tf.Tensor2D, y), up)))(x);
    const close = async (a: tf.Tensor, b: tf.Tensor, tol: number) => {
      const [av, bv] = [await a.data(), await b.data()];
      for (let i = 0; i < av.length; i++)
        expect(Math.abs(av[i]! - bv[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(bv[i]!)));
    };
    await close(got.value, want.value, 1e-5);
    await close(got.grad, want.grad, 1e-5);
    await close(selectedLogProbs(x, y), composite(x, y), 1e-5);
    tf.dispose([x, y, up, got.value, got.grad, want.value, want.grad]);
  });

  it("keeps the tensor count flat over repeated forward+backward", async () => {
    await initBackend(name);
    const x = tf.randomNormal([4, 9]) as tf.Tensor2D;
    const y = tf.tensor1d([1, 2, 3, 8], "int32");
    const step = () =>
      tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(selectedLogProbs(t as tf.Tensor2D, y)))(x));
    step().dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it("rejects wrong shapes and dtypes with TypeError", async () => {
    await initBackend(name);
    expect(() => selectedLogProbs(tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor1d([0], "int32"))).toThrow(
      /labels must be \[N\] = \[2\]/,
    );
    expect(() => selectedLogProbs(tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor1d([0, 1], "float32"))).toThrow(
      TypeError,
    );
    expect(() => selectedLogProbs(tf.zeros([3]) as never, tf.tensor1d([0], "int32"))).toThrow(TypeError);
  });
});
