import { defineLoss } from "./_define_loss.ts";
import { logSigmoid } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `nca_pair` — NCA (pairwise): noise-contrastive alignment on absolute chosen and rejected rewards.
 *
 * ℓ = −log σ(βΔc) − ½ log σ(−βΔc) − ½ log σ(−βΔr).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2402.05369
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { ncaPairLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = ncaPairLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (2 * Math.LN2)) < 1e-5);
 * ```
 */
export const ncaPairLoss = defineLoss({
  name: "nca_pair",
  summary: "NCA (pairwise): noise-contrastive alignment on absolute chosen and rejected rewards.",
  paper: "https://arxiv.org/abs/2402.05369",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1 },
  body: ({ pc, pr, rc, rr, o }) => {
    const c = tf.mul(tf.sub(pc, rc), o.beta);
    const r = tf.mul(tf.sub(pr, rr), o.beta);
    const neg = tf.mul(tf.add(logSigmoid(tf.neg(c)), logSigmoid(tf.neg(r))), -0.5);
    return { losses: tf.sub(neg, logSigmoid(c)) };
  },
});
