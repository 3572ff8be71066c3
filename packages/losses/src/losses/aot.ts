import { defineLoss } from "./_define_loss.ts";
import { smoothedSigmoidLoss, sortAscending } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `aot` — AOT (paired): the sigmoid loss on sorted policy minus sorted reference log-ratio margins.
 *
 * d = sort(π_c − π_r) − sort(ref_c − ref_r) over the batch; ℓ = cDPO on βd.
 * Defaults: `{ beta: 0.1, labelSmoothing: 0 }`. Paper: https://arxiv.org/abs/2406.05882
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { aotLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = aotLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (Math.LN2)) < 1e-5);
 * ```
 */
export const aotLoss = defineLoss({
  name: "aot",
  summary: "AOT (paired): the sigmoid loss on sorted policy minus sorted reference log-ratio margins.",
  paper: "https://arxiv.org/abs/2406.05882",
  usesReference: true,
  batchCoupled: true,
  defaults: { beta: 0.1, labelSmoothing: 0 },
  body: ({ pc, pr, rc, rr, o }) => {
    const d = tf.sub(sortAscending(tf.sub(pc, pr)), sortAscending(tf.sub(rc, rr)));
    return { losses: smoothedSigmoidLoss(d, o.beta, o.labelSmoothing) };
  },
});
