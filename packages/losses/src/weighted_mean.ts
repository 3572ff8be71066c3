import * as tf from "@tensorflow/tfjs-core";
import { expectTensor } from "./_validate.ts";

/**
 * The WPO batch loss mean_i(w_i · ℓ_i): per-pair losses times (detached) pair weights, averaged over the pairs
 * and NOT normalised by Σw (as run_wpo.py and TRL's `use_weighting`). Without weights it is the plain mean.
 *
 * @param losses Per-pair losses [B].
 * @param weights Pair weights [B] (e.g. from `wpoPairWeights`); omitted means all 1.
 * @returns A scalar.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { weightedMean } from "@wpo/losses";
 * await initBackend("cpu");
 * const m = await weightedMean(tf.tensor1d([1, 3]), tf.tensor1d([0.5, 1])).data();
 * console.assert(m[0] === 1.75);
 * ```
 */
export function weightedMean(losses: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  expectTensor(losses, "losses", 1);
  if (weights === undefined) return tf.mean(losses);
  expectTensor(weights, "weights", 1);
  if (weights.shape[0] !== losses.shape[0]) {
    throw new TypeError(
      `Expected 'weights' of length ${losses.shape[0]} (one per pair), got ${weights.shape[0]}.`,
    );
  }
  return tf.tidy(() => tf.mean(tf.mul(losses, weights)));
}
