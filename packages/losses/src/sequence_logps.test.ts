import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, test } from "vitest";
import { expectLogWeight, type LogpsFixture, readFixture } from "../test/fixtures.ts";
import { expectClose } from "../test/loss_suite.ts";
import { sequenceLogps } from "./sequence_logps.ts";

const fx = readFixture<LogpsFixture>("logps.json").dense;
const [n, t] = fx.shape;

beforeAll(async () => {
  await initBackend("cpu");
});

describe("sequenceLogps", () => {
  test("matches PyTorch get_batch_logps: sum, mean, count, logits sum", async () => {
    const logits = tf.tensor3d(fx.logits, fx.shape);
    const labels = tf.tensor2d(fx.labels, [n, t], "int32");
    const out = sequenceLogps(logits, labels);
    expectClose(await out.sum.data(), fx.sum, 1e-6, "sum");
    expectClose(await out.mean.data(), fx.mean, 1e-6, "mean");
    expectClose(await out.count.data(), fx.count, 0, "count");
    expectClose(await out.logitsSum.data(), fx.logitsSum, 1e-6, "logitsSum");
    expect(out.wpoLogWeight).toBeUndefined();
    tf.dispose([logits, labels, ...Object.values(out)]);
  });

  test.each([
    "sampled",
    "greedy",
    "none",
  ] as const)("WPO log weight with alignment '%s' matches", async (alignment) => {
    const logits = tf.tensor3d(fx.logits, fx.shape);
    const labels = tf.tensor2d(fx.labels, [n, t], "int32");
    const out = sequenceLogps(logits, labels, { alignment });
    await expectLogWeight(out, fx, alignment);
    tf.dispose([logits, labels, ...Object.values(out)]);
  });

  test("gradient of Σ c·sum + d·mean w.r.t. logits matches; the WPO weight is outside the gradient", async () => {
    const logits = tf.tensor3d(fx.logits, fx.shape);
    const labels = tf.tensor2d(fx.labels, [n, t], "int32");
    const [cs, cm] = [tf.tensor1d(fx.coefSum), tf.tensor1d(fx.coefMean)];
    const objective = (x: tf.Tensor, withWeight: boolean) => {
      const o = sequenceLogps(x as tf.Tensor3D, labels, { alignment: "sampled" });
      const j = tf.add(tf.sum(tf.mul(cs, o.sum)), tf.sum(tf.mul(cm, o.mean)));
      // adding the weight and logits sums must not change the gradient: they are detached
      return (withWeight ? tf.add(j, tf.add(tf.sum(o.wpoLogWeight!), tf.sum(o.logitsSum))) : j) as tf.Scalar;
    };
    for (const withWeight of [false, true]) {
      const g = tf.grad((x) => objective(x, withWeight))(logits);
      expectClose(await g.data(), fx.gradLogits, 1e-4, `d J / d logits (weight in objective: ${withWeight})`);
      g.dispose();
    }
    tf.dispose([logits, labels, cs, cm]);
  });

  test("leaks no tensors over repeated forward and backward calls", () => {
    const logits = tf.tensor3d(fx.logits, fx.shape);
    const labels = tf.tensor2d(fx.labels, [n, t], "int32");
    const step = () => {
      const g = tf.grad((x) => tf.sum(sequenceLogps(x as tf.Tensor3D, labels, { alignment: "greedy" }).mean))(
        logits,
      );
      g.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, labels]);
  });

  test("rejects wrong shapes and dtypes with named errors", () => {
    const logits = tf.zeros([2, 3, 5]) as tf.Tensor3D;
    expect(() => sequenceLogps(logits, tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(/'labels' to be int32/);
    expect(() => sequenceLogps(logits, tf.zeros([2, 4], "int32") as tf.Tensor2D)).toThrow(/shape \[2, 3\]/);
    expect(() =>
      sequenceLogps(tf.zeros([2, 5]) as unknown as tf.Tensor3D, tf.zeros([2, 3], "int32") as tf.Tensor2D),
    ).toThrow(TypeError);
    expect(() =>
      sequenceLogps(tf.zeros([2, 1, 5]) as tf.Tensor3D, tf.zeros([2, 1], "int32") as tf.Tensor2D),
    ).toThrow(RangeError);
  });
});
