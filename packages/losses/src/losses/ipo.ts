import { defineLoss } from "./_define_loss.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `ipo` — IPO: squared distance of the per-token-mean log-ratio margin to 1/(2τ), τ = beta.
 *
 * ℓ = (z̄ − 1/(2β))², z̄ from per-token mean log-probs; rewards β·(mean log-ratios).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2310.12036
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { ipoLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = ipoLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (1 / (4 * 0.1 * 0.1))) < 1e-5);
 * ```
 */
export const ipoLoss = defineLoss({
  name: "ipo",
  summary: "IPO: squared distance of the per-token-mean log-ratio margin to 1/(2τ), τ = beta.",
  paper: "https://arxiv.org/abs/2310.12036",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1 },
  body: ({ pcMean, prMean, rcMean, rrMean, o }) => {
    const dc = tf.sub(pcMean, rcMean);
    const dr = tf.sub(prMean, rrMean);
    const losses = tf.square(tf.sub(tf.sub(dc, dr), 1 / (2 * o.beta)));
    return { losses, chosenRewards: tf.mul(dc, o.beta), rejectedRewards: tf.mul(dr, o.beta) };
  },
});
