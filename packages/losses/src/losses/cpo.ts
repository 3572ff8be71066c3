import { defineLoss } from "./_define_loss.ts";
import { batchNll, smoothedSigmoidLoss } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `cpo` — CPO: reference-free sigmoid loss on summed log-probs plus an NLL term on the chosen responses.
 *
 * ℓ = −(1−ε)·log σ(β(π_c − π_r)) − ε·log σ(−β(π_c − π_r)) + α·NLL; rewards β·π.
 * Defaults: `{ beta: 0.1, labelSmoothing: 0, nllWeight: 1.0 }`. Paper: https://arxiv.org/abs/2401.08417
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { cpoLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]); // NLL of the chosen side: 15 / 4 = 3.75
 * const { losses } = cpoLoss.compute({ policyChosen: side, policyRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (Math.LN2 + 3.75)) < 1e-5);
 * ```
 */
export const cpoLoss = defineLoss({
  name: "cpo",
  summary: "CPO: reference-free sigmoid loss on summed log-probs plus an NLL term on the chosen responses.",
  paper: "https://arxiv.org/abs/2401.08417",
  usesReference: false,
  batchCoupled: true,
  defaults: { beta: 0.1, labelSmoothing: 0, nllWeight: 1.0 },
  body: ({ pc, pr, nc, o }) => {
    const pref = smoothedSigmoidLoss(tf.sub(pc, pr), o.beta, o.labelSmoothing);
    return {
      losses: tf.add(pref, tf.mul(batchNll(pc, nc), o.nllWeight ?? 1)),
      chosenRewards: tf.mul(pc, o.beta),
      rejectedRewards: tf.mul(pr, o.beta),
    };
  },
});
