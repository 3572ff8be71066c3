import { defineLoss } from "./_define_loss.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `apo_down` — APO-down: lower both likelihoods, rejected more (for chosen worse than the model).
 *
 * ℓ = σ(βΔc) + (1 − σ(βz)).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2408.06266
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { apoDownLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = apoDownLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (1)) < 1e-5);
 * ```
 */
export const apoDownLoss = defineLoss({
  name: "apo_down",
  summary: "APO-down: lower both likelihoods, rejected more (for chosen worse than the model).",
  paper: "https://arxiv.org/abs/2408.06266",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1 },
  body: ({ pc, pr, rc, rr, o }) => {
    const z = tf.sub(tf.sub(pc, rc), tf.sub(pr, rr));
    const losses = tf.add(
      tf.sigmoid(tf.mul(tf.sub(pc, rc), o.beta)),
      tf.sub(1, tf.sigmoid(tf.mul(z, o.beta))),
    );
    return { losses };
  },
});
