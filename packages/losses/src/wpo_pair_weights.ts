import * as tf from "@tensorflow/tfjs-core";
import { detach } from "./detach.ts";
import { expectTensor } from "./_validate.ts";

/** Options of {@linkcode wpoPairWeights}. */
export interface WpoPairWeightsOptions {
  /** Upper bound of the pair weight: 1 as the WPO code (default), `null` for none (TRL ≥ 0.29). */
  clamp?: number | null;
}

/**
 * WPO pair weights w_i = min(clamp, exp(a_chosen,i + a_rejected,i)) from the per-sequence log weights
 * (`wpoLogWeight` of `sequenceLogps`), outside the gradient.
 *
 * @param aChosen Log weights of the chosen responses, [B].
 * @param aRejected Log weights of the rejected responses, [B].
 * @param options `clamp` (default 1; `null` disables it).
 * @returns Detached weights [B].
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { wpoPairWeights } from "@wpo/losses";
 * await initBackend("cpu");
 * const w = await wpoPairWeights(tf.tensor1d([-1, 0.5]), tf.tensor1d([-1, 0.5])).data();
 * console.assert(Math.abs(w[0]! - Math.exp(-2)) < 1e-6 && w[1] === 1);
 * ```
 */
export function wpoPairWeights(
  aChosen: tf.Tensor1D,
  aRejected: tf.Tensor1D,
  options: WpoPairWeightsOptions = {},
): tf.Tensor1D {
  expectTensor(aChosen, "aChosen", 1, "float32");
  expectTensor(aRejected, "aRejected", 1, "float32");
  if (aChosen.shape[0] !== aRejected.shape[0]) {
    throw new TypeError(
      `Expected 'aChosen' and 'aRejected' of equal length, got ${aChosen.shape[0]} and ${aRejected.shape[0]}.`,
    );
  }
  const clamp = options.clamp === undefined ? 1 : options.clamp;
  if (clamp !== null && !(clamp > 0)) {
    throw new RangeError(`Expected 'clamp' to be a positive number or null, got ${clamp}.`);
  }
  return tf.tidy(() => {
    const w = tf.exp(tf.add(aChosen, aRejected));
    return detach((clamp === null ? w : tf.minimum(w, clamp)) as tf.Tensor1D);
  });
}
