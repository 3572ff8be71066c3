import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, expect, test } from "vitest";
import { readFixture, type WpoFixture } from "../test/fixtures.ts";
import { logpStats } from "./logp_stats.ts";
import { expectClose } from "../test/loss_suite.ts";
import { getLoss } from "./registry.ts";
import { sequenceLogps } from "./sequence_logps.ts";
import { splitChosenRejected } from "./split_chosen_rejected.ts";
import { weightedMean } from "./weighted_mean.ts";
import { wpoPairWeights } from "./wpo_pair_weights.ts";

const fx = readFixture<WpoFixture>("wpo.json").step;
const [rows, t, v] = fx.shape;
const b = rows / 2;

beforeAll(async () => {
  await initBackend("cpu");
});

/** One WPO loss as run_wpo.py: rows [chosen; rejected], sigmoid loss × detached min(1, exp(a_c + a_r)), mean. */
function wpoLoss(
  logits: tf.Tensor3D,
  labels: tf.Tensor2D,
  ref: { c: tf.Tensor1D; r: tf.Tensor1D; n: tf.Tensor1D[] },
) {
  const { chosen, rejected } = splitChosenRejected(sequenceLogps(logits, labels, { alignment: "sampled" }));
  const weights = wpoPairWeights(chosen.wpoLogWeight!, rejected.wpoLogWeight!);
  const { losses } = getLoss("sigmoid").compute(
    {
      policyChosen: chosen,
      policyRejected: rejected,
      referenceChosen: logpStats(ref.c, ref.n[0]!),
      referenceRejected: logpStats(ref.r, ref.n[1]!),
    },
    { beta: fx.beta },
  );
  return { loss: weightedMean(losses, weights), losses, weights };
}

test("a full WPO step (log-probs, sampled weights, weighted sigmoid loss) matches PyTorch, with gradient", async () => {
  const logits = tf.tensor3d(fx.logits, fx.shape);
  const labels = tf.tensor2d(fx.labels, [rows, t], "int32");
  const refAll = tf.tensor1d(fx.referenceLogps);
  const counts = tf.ones([b]) as tf.Tensor1D; // reference means are unused by the sigmoid loss
  const ref = {
    c: tf.slice(refAll, [0], [b]) as tf.Tensor1D,
    r: tf.slice(refAll, [b], [b]) as tf.Tensor1D,
    n: [counts, counts],
  };
  const parts = tf.tidy(() => {
    const p = wpoLoss(logits, labels, ref);
    return [p.loss, p.losses, p.weights];
  });
  expectClose(await parts[0]!.data(), [fx.loss], 1e-6, "loss");
  expectClose(await parts[1]!.data(), fx.losses, 1e-6, "per-pair losses");
  expectClose(await parts[2]!.data(), fx.weights, 1e-6, "pair weights");
  const g = tf.grad((x) => wpoLoss(x as tf.Tensor3D, labels, ref).loss)(logits);
  expectClose(await g.data(), fx.gradLogits, 1e-4, "d loss / d logits");
  expect(v).toBeGreaterThan(1);
  tf.dispose([logits, labels, refAll, counts, ref.c, ref.r, g, ...parts]);
});
