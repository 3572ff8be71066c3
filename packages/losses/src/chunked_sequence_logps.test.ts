import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, test } from "vitest";
import { chunkedInputs, expectLogWeight, type LogpsFixture, readFixture } from "../test/fixtures.ts";
import { chunkedSequenceLogps, defaultChunkSize } from "./chunked_sequence_logps.ts";
import { expectClose } from "../test/loss_suite.ts";
import { sequenceLogps } from "./sequence_logps.ts";

const fx = readFixture<LogpsFixture>("logps.json").chunked;

beforeAll(async () => {
  await initBackend("cpu");
});

const [n, t, e, v] = fx.shape;
const inputs = () => chunkedInputs(fx);

describe("chunkedSequenceLogps", () => {
  test.each([
    1, 4, 7, 18, 100,
  ])("chunk size %i matches PyTorch values, WPO weights and gradients", async (chunkSize) => {
    const { hidden, weight, labels, cs, cm } = inputs();
    for (const alignment of ["sampled", "greedy", "none"] as const) {
      const out = chunkedSequenceLogps(hidden, weight, labels, { chunkSize, alignment });
      expectClose(await out.sum.data(), fx.sum, 1e-6, "sum");
      expectClose(await out.mean.data(), fx.mean, 1e-6, "mean");
      expectClose(await out.count.data(), fx.count, 0, "count");
      expectClose(await out.logitsSum.data(), fx.logitsSum, 1e-6, "logitsSum");
      await expectLogWeight(out, fx, alignment);
      tf.dispose(Object.values(out));
    }
    // both backward variants: the forward's softmax kept, and recomputed slice by slice
    for (const recomputeSoftmax of [false, true]) {
      const objective = (h: tf.Tensor, w: tf.Tensor) => {
        const o = chunkedSequenceLogps(h as tf.Tensor3D, w as tf.Tensor2D, labels, {
          chunkSize,
          alignment: "sampled",
          recomputeSoftmax,
        });
        const j = tf.add(tf.sum(tf.mul(cs, o.sum)), tf.sum(tf.mul(cm, o.mean)));
        return tf.add(j, tf.sum(o.wpoLogWeight!)) as tf.Scalar; // the weight is detached: no gradient
      };
      const [gh, gw] = tf.grads(objective)([hidden, weight]);
      expectClose(await gh!.data(), fx.gradHidden, 1e-4, `d J / d hidden (recompute ${recomputeSoftmax})`);
      expectClose(
        await gw!.data(),
        fx.gradWeight,
        1e-4,
        `d J / d lmHeadWeight (recompute ${recomputeSoftmax})`,
      );
      tf.dispose([gh!, gw!]);
    }
    tf.dispose([hidden, weight, labels, cs, cm]);
  });

  test("is identical to sequenceLogps on hidden · Wᵀ, values and gradients", async () => {
    const { hidden, weight, labels, cs, cm } = inputs();
    const objective = (chunked: boolean) => (h: tf.Tensor, w: tf.Tensor) => {
      const o = chunked
        ? chunkedSequenceLogps(h as tf.Tensor3D, w as tf.Tensor2D, labels, { chunkSize: 5 })
        : sequenceLogps(
            tf.reshape(tf.matMul(tf.reshape(h, [n * t, e]), w, false, true), [n, t, v]) as tf.Tensor3D,
            labels,
          );
      return tf.add(tf.sum(tf.mul(cs, o.sum)), tf.sum(tf.mul(cm, o.mean))) as tf.Scalar;
    };
    const a = tf.valueAndGrads(objective(true))([hidden, weight]);
    const b = tf.valueAndGrads(objective(false))([hidden, weight]);
    expectClose(await a.value.data(), await b.value.data(), 1e-6, "value");
    expectClose(await a.grads[0]!.data(), await b.grads[0]!.data(), 1e-6, "d / d hidden");
    expectClose(await a.grads[1]!.data(), await b.grads[1]!.data(), 1e-6, "d / d weight");
    tf.dispose([a.value, b.value, ...a.grads, ...b.grads, hidden, weight, labels, cs, cm]);
  });

  test("hostLabels: projecting only the scored positions gives the same values and gradients", async () => {
    const { hidden, weight, labels, cs, cm } = inputs();
    for (const chunkSize of [1, 5, 100]) {
      const run = (hostLabels?: number[]) => (h: tf.Tensor, w: tf.Tensor) => {
        const o = chunkedSequenceLogps(h as tf.Tensor3D, w as tf.Tensor2D, labels, {
          chunkSize,
          alignment: "sampled",
          ...(hostLabels ? { hostLabels } : {}),
        });
        return tf.addN([
          tf.sum(tf.mul(cs, o.sum)),
          tf.sum(tf.mul(cm, o.mean)),
          tf.sum(o.wpoLogWeight!),
        ]) as tf.Scalar;
      };
      const a = tf.valueAndGrads(run(fx.labels))([hidden, weight]);
      expectClose(
        await a.value.data(),
        [
          fx.coefSum.reduce(
            (acc, c, i) => acc + c * fx.sum[i]! + fx.coefMean[i]! * fx.mean[i]! + fx.wpoLogWeight.sampled[i]!,
            0,
          ),
        ],
        1e-5,
        "value",
      );
      expectClose(await a.grads[0]!.data(), fx.gradHidden, 1e-4, "d / d hidden");
      expectClose(await a.grads[1]!.data(), fx.gradWeight, 1e-4, "d / d weight");
      const out = chunkedSequenceLogps(hidden, weight, labels, {
        chunkSize,
        hostLabels: fx.labels,
        alignment: "greedy",
      });
      expectClose(await out.logitsSum.data(), fx.logitsSum, 1e-6, "logitsSum");
      expectClose(await out.count.data(), fx.count, 0, "count");
      expectClose(await out.wpoLogWeight!.data(), fx.wpoLogWeight.greedy, 1e-6, "wpoLogWeight(greedy)");
      tf.dispose([a.value, ...a.grads, ...Object.values(out)]);
    }
    expect(() => chunkedSequenceLogps(hidden, weight, labels, { hostLabels: [1, 2] })).toThrow(/hostLabels/);
    tf.dispose([hidden, weight, labels, cs, cm]);
  });

  test("leaks no tensors over repeated forward and backward calls", () => {
    const { hidden, weight, labels, cs, cm } = inputs();
    const step = (hostLabels?: number[]) => {
      const f = (h: tf.Tensor, w: tf.Tensor) =>
        tf.sum(
          chunkedSequenceLogps(h as tf.Tensor3D, w as tf.Tensor2D, labels, {
            chunkSize: 4,
            alignment: "sampled",
            recomputeSoftmax: hostLabels !== undefined,
            ...(hostLabels ? { hostLabels } : {}),
          }).sum,
        );
      tf.dispose(tf.grads(f)([hidden, weight]));
    };
    step();
    step(fx.labels);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      step();
      step(fx.labels);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([hidden, weight, labels, cs, cm]);
  });

  test("default chunk keeps a [chunk, V] slice at 16 MiB; bad options and shapes throw", () => {
    expect(defaultChunkSize(128256)).toBe(32);
    expect(defaultChunkSize(2 ** 23)).toBe(1);
    const { hidden, weight, labels, cs, cm } = inputs();
    expect(() => chunkedSequenceLogps(hidden, weight, labels, { chunkSize: 0 })).toThrow(RangeError);
    expect(() => chunkedSequenceLogps(hidden, tf.zeros([v, e + 1]) as tf.Tensor2D, labels)).toThrow(
      /lmHeadWeight/,
    );
    tf.dispose([hidden, weight, labels, cs, cm]);
  });
});
