import { defineLoss } from "./_define_loss.ts";
import { logSigmoid } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `sigmoid_norm` — Length-normalised DPO: the sigmoid loss on per-token log-ratio margins.
 *
 * ℓ = −log σ(β(Δc/n_c − Δr/n_r)).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2411.15124
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { sigmoidNormLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = sigmoidNormLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (Math.LN2)) < 1e-5);
 * ```
 */
export const sigmoidNormLoss = defineLoss({
  name: "sigmoid_norm",
  summary: "Length-normalised DPO: the sigmoid loss on per-token log-ratio margins.",
  paper: "https://arxiv.org/abs/2411.15124",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1 },
  body: ({ pc, pr, rc, rr, nc, nr, o }) => {
    const z = tf.sub(tf.div(tf.sub(pc, rc), nc), tf.div(tf.sub(pr, rr), nr));
    return { losses: tf.neg(logSigmoid(tf.mul(z, o.beta))) };
  },
});
