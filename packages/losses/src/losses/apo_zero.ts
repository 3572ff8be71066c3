import { defineLoss } from "./_define_loss.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `apo_zero` — APO-zero: raise chosen and lower rejected likelihoods (for chosen better than the model).
 *
 * ℓ = (1 − σ(βΔc)) + σ(βΔr).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2408.06266
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { apoZeroLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = apoZeroLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (1)) < 1e-5);
 * ```
 */
export const apoZeroLoss = defineLoss({
  name: "apo_zero",
  summary: "APO-zero: raise chosen and lower rejected likelihoods (for chosen better than the model).",
  paper: "https://arxiv.org/abs/2408.06266",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1 },
  body: ({ pc, pr, rc, rr, o }) => {
    const losses = tf.add(
      tf.sub(1, tf.sigmoid(tf.mul(tf.sub(pc, rc), o.beta))),
      tf.sigmoid(tf.mul(tf.sub(pr, rr), o.beta)),
    );
    return { losses };
  },
});
