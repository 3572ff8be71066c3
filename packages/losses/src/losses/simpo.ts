import { defineLoss } from "./_define_loss.ts";
import { smoothedSigmoidLoss } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `simpo` — SimPO: reference-free sigmoid loss on mean log-probs with a target margin γ.
 *
 * u = (π̄_c − π̄_r) − γ/β; ℓ = cDPO on βu; rewards β·π̄.
 * Defaults: `{ beta: 2.0, gammaBetaRatio: 0.25, labelSmoothing: 0 }`. Paper: https://arxiv.org/abs/2405.14734
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { simpoLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = simpoLoss.compute({ policyChosen: side, policyRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (Math.log1p(Math.exp(2.0 * 0.25)))) < 1e-5);
 * ```
 */
export const simpoLoss = defineLoss({
  name: "simpo",
  summary: "SimPO: reference-free sigmoid loss on mean log-probs with a target margin γ.",
  paper: "https://arxiv.org/abs/2405.14734",
  usesReference: false,
  batchCoupled: false,
  defaults: { beta: 2.0, gammaBetaRatio: 0.25, labelSmoothing: 0 },
  body: ({ pcMean, prMean, o }) => {
    const u = tf.sub(tf.sub(pcMean, prMean), o.gammaBetaRatio ?? 0.25);
    return {
      losses: smoothedSigmoidLoss(u, o.beta, o.labelSmoothing),
      chosenRewards: tf.mul(pcMean, o.beta),
      rejectedRewards: tf.mul(prMean, o.beta),
    };
  },
});
