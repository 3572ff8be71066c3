import { defineLoss } from "./_define_loss.ts";
import { smoothedSigmoidLoss } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `sigmoid` — DPO's logistic loss on the reward margin; label smoothing ε > 0 gives cDPO.
 *
 * ℓ = −(1−ε)·log σ(βz) − ε·log σ(−βz), z = (π_c − π_r) − (ref_c − ref_r).
 * Defaults: `{ beta: 0.1, labelSmoothing: 0 }`. Paper: https://arxiv.org/abs/2305.18290
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { sigmoidLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = sigmoidLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (Math.LN2)) < 1e-5);
 * ```
 */
export const sigmoidLoss = defineLoss({
  name: "sigmoid",
  summary: "DPO's logistic loss on the reward margin; label smoothing ε > 0 gives cDPO.",
  paper: "https://arxiv.org/abs/2305.18290",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1, labelSmoothing: 0 },
  body: ({ pc, pr, rc, rr, o }) => {
    return { losses: smoothedSigmoidLoss(tf.sub(tf.sub(pc, rc), tf.sub(pr, rr)), o.beta, o.labelSmoothing) };
  },
});
