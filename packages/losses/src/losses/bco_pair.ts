import { detach } from "../detach.ts";
import { defineLoss } from "./_define_loss.ts";
import { logSigmoid } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `bco_pair` — BCO (pairwise): binary classifier of chosen vs rejected rewards around a shift δ.
 *
 * ℓ = −log σ(βΔc − δ) − log σ(−(βΔr − δ)); δ = `bcoDelta` or the batch mean of the rewards (TRL's first step).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2404.04656
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { bcoPairLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = bcoPairLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (2 * Math.LN2)) < 1e-5);
 * ```
 */
export const bcoPairLoss = defineLoss({
  name: "bco_pair",
  summary: "BCO (pairwise): binary classifier of chosen vs rejected rewards around a shift δ.",
  paper: "https://arxiv.org/abs/2404.04656",
  usesReference: true,
  batchCoupled: true,
  defaults: { beta: 0.1 },
  optionHelp: {
    bcoDelta:
      "BCO reward shift δ (number); default: the batch mean of the rewards (runningBcoPairLoss: a running mean)",
  },
  body: ({ pc, pr, rc, rr, o }) => {
    const c = tf.mul(tf.sub(pc, rc), o.beta);
    const r = tf.mul(tf.sub(pr, rr), o.beta);
    const given = o.bcoDelta;
    const delta =
      given === undefined
        ? detach(tf.mean(tf.concat([c, r])))
        : typeof given === "number"
          ? tf.scalar(given)
          : given;
    const losses = tf.neg(tf.add(logSigmoid(tf.sub(c, delta)), logSigmoid(tf.neg(tf.sub(r, delta)))));
    return { losses };
  },
});
