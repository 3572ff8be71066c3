import { defineLoss } from "./_define_loss.ts";
import { batchNll, logSigmoid } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `orpo` — ORPO: NLL on chosen plus λ times the log-sigmoid of the odds ratio of mean log-probs (λ = beta).
 *
 * ℓ = NLL − λ·log σ(log odds), log odds = (π̄_c − π̄_r) − (log(1−e^π̄_c) − log(1−e^π̄_r)); rewards β·π̄.
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2403.07691
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { orpoLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]); // NLL of the chosen side: 15 / 4 = 3.75
 * const { losses } = orpoLoss.compute({ policyChosen: side, policyRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (3.75 + 0.1 * Math.LN2)) < 1e-5);
 * ```
 */
export const orpoLoss = defineLoss({
  name: "orpo",
  summary: "ORPO: NLL on chosen plus λ times the log-sigmoid of the odds ratio of mean log-probs (λ = beta).",
  paper: "https://arxiv.org/abs/2403.07691",
  usesReference: false,
  batchCoupled: true,
  defaults: { beta: 0.1 },
  body: ({ pcMean, prMean, pc, nc, o }) => {
    const logOdds = tf.sub(
      tf.sub(pcMean, prMean),
      tf.sub(tf.log1p(tf.neg(tf.exp(pcMean))), tf.log1p(tf.neg(tf.exp(prMean)))),
    );
    return {
      losses: tf.sub(batchNll(pc, nc), tf.mul(logSigmoid(logOdds), o.beta)),
      chosenRewards: tf.mul(pcMean, o.beta),
      rejectedRewards: tf.mul(prMean, o.beta),
    };
  },
});
