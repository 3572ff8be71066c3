import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, expect, test } from "vitest";
import {
  meanLogit,
  PREFERENCE_METRICS,
  preferenceMetrics,
  stackPreferenceMetrics,
} from "./preference_metrics.ts";
import { sequenceLogps } from "./sequence_logps.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

test("TRL metric names and values; accuracies are strict; prefix and WPO weight mean", async () => {
  const m = await preferenceMetrics(
    {
      chosenRewards: tf.tensor1d([0.3, 0.1, -0.2, 0.5]),
      rejectedRewards: tf.tensor1d([0.1, 0.1, -0.4, 0.6]),
      policyChosenLogps: tf.tensor1d([-10, -12, -8, -6]),
      policyRejectedLogps: tf.tensor1d([-11, -13, -9, -7]),
      chosenLogitsMean: 0.25,
      rejectedLogitsMean: tf.scalar(-0.5),
      weights: tf.tensor1d([1, 0.5, 0.25, 0.25]),
    },
    { prefix: "eval_" },
  );
  expect(Object.keys(m)).toEqual([
    "eval_rewards/chosen",
    "eval_rewards/rejected",
    "eval_rewards/accuracies",
    "eval_rewards/margins",
    "eval_logps/chosen",
    "eval_logps/rejected",
    "eval_logits/chosen",
    "eval_logits/rejected",
    "eval_wpo/weight_mean",
  ]);
  expect(m["eval_rewards/accuracies"]).toBe(0.5); // the tie 0.1 vs 0.1 counts as wrong
  expect(m["eval_rewards/chosen"]).toBeCloseTo(0.175, 6);
  expect(m["eval_rewards/margins"]).toBeCloseTo(0.075, 6);
  expect(m["eval_logps/rejected"]).toBe(-10);
  expect(m["eval_logits/rejected"]).toBe(-0.5);
  expect(m["eval_wpo/weight_mean"]).toBe(0.5);
});

test("meanLogit from sequenceLogps' logitsSum equals the mean of the entire logits tensor", async () => {
  const logits = tf.randomNormal([3, 5, 7], 0, 1, "float32", 3) as tf.Tensor3D;
  const labels = tf.tensor2d(
    [
      [-100, 1, 2, 3, 4],
      [-100, -100, 1, 1, -100],
      [0, 6, 5, 4, 3],
    ],
    [3, 5],
    "int32",
  );
  const out = sequenceLogps(logits, labels);
  const got = (await meanLogit(out.logitsSum, { logitsPerRow: 5 * 7 }).data())[0]!;
  expect(got).toBeCloseTo((await tf.mean(logits).data())[0]!, 6);
  expect(() => meanLogit(out.logitsSum, { logitsPerRow: 0 })).toThrow(RangeError);
});

test("stackPreferenceMetrics gives every name of PREFERENCE_METRICS, in order, when all inputs are given", async () => {
  const v = tf.tensor1d([0.5, 1]);
  const { names, values } = stackPreferenceMetrics({
    chosenRewards: v,
    rejectedRewards: v,
    policyChosenLogps: v,
    policyRejectedLogps: v,
    chosenLogitsMean: 1,
    rejectedLogitsMean: 2,
    weights: v,
  });
  expect(names).toEqual([...PREFERENCE_METRICS]);
  expect(Array.from(await values.data())).toEqual([0.75, 0.75, 0, 0, 0.75, 0.75, 1, 2, 0.75]);
  tf.dispose([v, values]);
});
