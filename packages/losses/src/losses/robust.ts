import { defineLoss } from "./_define_loss.ts";
import { logSigmoid } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `robust` — Robust DPO: the sigmoid loss debiased for label noise of rate ε.
 *
 * ℓ = [−(1−ε)·log σ(βz) + ε·log σ(−βz)] / (1 − 2ε).
 * Defaults: `{ beta: 0.1, labelSmoothing: 0 }`. Paper: https://arxiv.org/abs/2403.00409
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { robustLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = robustLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (Math.LN2)) < 1e-5);
 * ```
 */
export const robustLoss = defineLoss({
  name: "robust",
  summary: "Robust DPO: the sigmoid loss debiased for label noise of rate ε.",
  paper: "https://arxiv.org/abs/2403.00409",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1, labelSmoothing: 0 },
  maxLabelSmoothing: 0.5,
  body: ({ pc, pr, rc, rr, o }) => {
    const s = tf.mul(tf.sub(tf.sub(pc, rc), tf.sub(pr, rr)), o.beta);
    const eps = o.labelSmoothing;
    const num = tf.add(tf.mul(logSigmoid(s), -(1 - eps)), tf.mul(logSigmoid(tf.neg(s)), eps));
    return { losses: tf.div(num, 1 - 2 * eps) };
  },
});
