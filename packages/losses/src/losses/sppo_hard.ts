import { defineLoss } from "./_define_loss.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `sppo_hard` — SPPO (hard labels): regress the chosen/rejected log-ratios to ±1/(2β).
 *
 * ℓ = (Δc − 1/(2β))² + (Δr + 1/(2β))².
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2405.00675
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { sppoHardLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = sppoHardLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (1 / (2 * 0.1 * 0.1))) < 1e-5);
 * ```
 */
export const sppoHardLoss = defineLoss({
  name: "sppo_hard",
  summary: "SPPO (hard labels): regress the chosen/rejected log-ratios to ±1/(2β).",
  paper: "https://arxiv.org/abs/2405.00675",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1 },
  body: ({ pc, pr, rc, rr, o }) => {
    const half = 0.5 / o.beta;
    const losses = tf.add(tf.square(tf.sub(tf.sub(pc, rc), half)), tf.square(tf.add(tf.sub(pr, rr), half)));
    return { losses };
  },
});
