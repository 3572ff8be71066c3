import { defineLoss } from "./_define_loss.ts";
import { logSigmoid } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `exo_pair` — EXO (pairwise): reverse KL between the model's and the ε-smoothed label distribution.
 *
 * ℓ = σ(βz)[log σ(βz) − log(1−ε)] + σ(−βz)[log σ(−βz) − log ε], ε := 1e-3 when 0.
 * Defaults: `{ beta: 0.1, labelSmoothing: 1e-3 }`. Paper: https://arxiv.org/abs/2402.00856
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { exoPairLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = exoPairLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (-Math.LN2 - 0.5 * Math.log(1e-3 * (1 - 1e-3)))) < 1e-5);
 * ```
 */
export const exoPairLoss = defineLoss({
  name: "exo_pair",
  summary: "EXO (pairwise): reverse KL between the model's and the ε-smoothed label distribution.",
  paper: "https://arxiv.org/abs/2402.00856",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1, labelSmoothing: 1e-3 },
  body: ({ pc, pr, rc, rr, o }) => {
    const eps = o.labelSmoothing === 0 ? 1e-3 : o.labelSmoothing;
    const s = tf.mul(tf.sub(tf.sub(pc, rc), tf.sub(pr, rr)), o.beta);
    const pos = tf.mul(tf.sigmoid(s), tf.sub(logSigmoid(s), Math.log(1 - eps)));
    const neg = tf.mul(tf.sigmoid(tf.neg(s)), tf.sub(logSigmoid(tf.neg(s)), Math.log(eps)));
    return { losses: tf.add(pos, neg) };
  },
});
