import * as tf from "@tensorflow/tfjs-core";
import { defineLoss } from "./_define_loss.ts";

/**
 * `slic` — SLiC-HF's rank calibration loss: a hinge on the policy's log-likelihood margin with calibration margin δ.
 *
 * ℓ = max(0, δ − β·(π_c − π_r)), reference-free; rewards β·π. β = 1 is the paper's loss; its regulariser
 * (λ times the NLL of the chosen response) is the mixture `slic,sft` with weights `1,λ`.
 * Defaults: `{ beta: 1, delta: 1 }`. Paper: https://arxiv.org/abs/2305.10425
 *
 * @param inputs Policy log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults (`delta`: the calibration margin δ).
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { logpStats, slicLoss } from "@wpo/losses";
 * await initBackend("cpu");
 * const { losses } = slicLoss.compute(
 *   { policyChosen: logpStats([-4], [2]), policyRejected: logpStats([-4.5], [2]) },
 *   { delta: 2 },
 * );
 * console.assert(Math.abs((await losses.data())[0]! - 1.5) < 1e-6);
 * ```
 */
export const slicLoss = defineLoss({
  name: "slic",
  summary: "SLiC-HF: hinge on the policy's log-likelihood margin with calibration margin δ (reference-free).",
  paper: "https://arxiv.org/abs/2305.10425",
  usesReference: false,
  batchCoupled: false,
  defaults: { beta: 1, delta: 1 },
  optionHelp: { delta: "δ: calibration margin the chosen log-likelihood must exceed the rejected one by" },
  body: ({ pc, pr, o }) => ({
    losses: tf.relu(tf.sub(o.delta as number, tf.mul(tf.sub(pc, pr), o.beta))),
    chosenRewards: tf.mul(pc, o.beta),
    rejectedRewards: tf.mul(pr, o.beta),
  }),
});
