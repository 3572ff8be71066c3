import { defineLoss } from "./_define_loss.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `hinge` — SLiC's hinge loss on the reward margin.
 *
 * ℓ = relu(1 − βz).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2305.10425
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { hingeLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = hingeLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (1)) < 1e-5);
 * ```
 */
export const hingeLoss = defineLoss({
  name: "hinge",
  summary: "SLiC's hinge loss on the reward margin.",
  paper: "https://arxiv.org/abs/2305.10425",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1 },
  body: ({ pc, pr, rc, rr, o }) => {
    return { losses: tf.relu(tf.sub(1, tf.mul(tf.sub(tf.sub(pc, rc), tf.sub(pr, rr)), o.beta))) };
  },
});
