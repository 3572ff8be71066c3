import * as tf from "@tensorflow/tfjs-core";
import type { LogpStats } from "./preference_loss.ts";

/**
 * Builds {@linkcode LogpStats} (sum, mean = sum / count, count) from sums and token counts, e.g. for
 * precomputed reference log-probs.
 *
 * @param sum Σ log p per sequence, [B] (a tensor keeps its gradient).
 * @param count Scored tokens per sequence, [B].
 * @returns `{ sum, mean, count }` as float32 [B] tensors.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const s = logpStats([-6, -3], [3, 1]);
 * console.assert((await s.mean.data())[0] === -2);
 * ```
 */
export function logpStats(sum: tf.Tensor1D | number[], count: tf.Tensor1D | number[]): LogpStats {
  return tf.tidy(() => {
    const s = Array.isArray(sum) ? tf.tensor1d(sum, "float32") : sum.clone();
    const c = Array.isArray(count) ? tf.tensor1d(count, "float32") : count.clone();
    if (s.shape[0] !== c.shape[0]) {
      throw new TypeError(`Expected 'sum' and 'count' of equal length, got ${s.shape[0]} and ${c.shape[0]}.`);
    }
    return { sum: s, mean: tf.div(s, c) as tf.Tensor1D, count: c };
  });
}
