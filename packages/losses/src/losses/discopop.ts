import { defineLoss } from "./_define_loss.ts";
import { logSigmoid } from "./_math.ts";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `discopop` — DiscoPOP: log-ratio modulated mix of the logistic and exponential losses.
 *
 * g = βz, m = σ(g/τ); ℓ = (1 − m)·(−log σ(g)) + m·e^(−g).
 * Defaults: `{ beta: 0.1, discopopTau: 0.05 }`. Paper: https://arxiv.org/abs/2406.08414
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { discopopLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]);
 * const { losses } = discopopLoss.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (0.5 * (Math.LN2 + 1))) < 1e-5);
 * ```
 */
export const discopopLoss = defineLoss({
  name: "discopop",
  summary: "DiscoPOP: log-ratio modulated mix of the logistic and exponential losses.",
  paper: "https://arxiv.org/abs/2406.08414",
  usesReference: true,
  batchCoupled: false,
  defaults: { beta: 0.1, discopopTau: 0.05 },
  body: ({ pc, pr, rc, rr, o }) => {
    const tau = o.discopopTau ?? 0.05;
    if (!(tau > 0)) throw new RangeError(`Loss 'discopop': 'discopopTau' must be positive, got ${tau}.`);
    const g = tf.mul(tf.sub(tf.sub(pc, rc), tf.sub(pr, rr)), o.beta);
    const mod = tf.sigmoid(tf.div(g, tau));
    const losses = tf.add(tf.mul(tf.neg(logSigmoid(g)), tf.sub(1, mod)), tf.mul(tf.exp(tf.neg(g)), mod));
    return { losses };
  },
});
