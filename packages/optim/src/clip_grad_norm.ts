import * as tf from "@tensorflow/tfjs-core";
import { gradientEntries, type NamedGradients } from "./_named.ts";

/** Options of {@linkcode clipGradNorm}. */
export interface ClipGradNormOptions {
  /** The norm: 2 (default, HF `max_grad_norm`) or `Infinity` (largest absolute value). */
  normType?: 2 | typeof Number.POSITIVE_INFINITY;
}

/** What {@linkcode clipGradNorm} returns; the caller owns (and disposes) every tensor in it. */
export interface ClipGradNormResult {
  /** The gradients scaled by `min(1, maxNorm / (norm + 1e-6))`, under the same names. */
  grads: tf.NamedTensorMap;
  /** The total norm before clipping (HF logs it as `grad_norm`), a float32 scalar. */
  norm: tf.Scalar;
}

/**
 * Global-norm gradient clipping as `torch.nn.utils.clip_grad_norm_` (what the HF
 * Trainer applies with `max_grad_norm`): the norm of the per-tensor norms, then every
 * gradient times `min(1, maxNorm / (norm + 1e-6))`. Tensor ops only, no reads; the
 * input gradients are left untouched.
 *
 * @param grads Gradients by name.
 * @param maxNorm The largest allowed total norm (> 0).
 * @param options The norm type (2 or Infinity).
 * @returns New clipped gradients and the pre-clip total norm.
 * @throws {RangeError} for a non-positive `maxNorm` or an unsupported norm type.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { clipGradNorm } from "@wpo/optim";
 * await initBackend("cpu");
 * const { grads, norm } = clipGradNorm({ a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) }, 1);
 * const a = await grads.a!.data();
 * console.assert((await norm.data())[0] === 5 && Math.abs(a[0]! - 0.6) < 1e-6);
 * ```
 */
export function clipGradNorm(
  grads: NamedGradients,
  maxNorm: number,
  options: ClipGradNormOptions = {},
): ClipGradNormResult {
  const normType = options.normType ?? 2;
  if (typeof maxNorm !== "number" || !(maxNorm > 0)) {
    throw new RangeError(`clipGradNorm: maxNorm must be a number > 0, got ${maxNorm}.`);
  }
  if (normType !== 2 && normType !== Number.POSITIVE_INFINITY) {
    throw new RangeError(`clipGradNorm: normType must be 2 or Infinity, got ${normType}.`);
  }
  const entries = gradientEntries(grads);
  return tf.tidy(() => {
    if (entries.length === 0) return { grads: {}, norm: tf.scalar(0) };
    const perTensor = entries.map(([, g]) =>
      normType === 2 ? tf.sqrt(tf.sum(tf.square(g))) : tf.max(tf.abs(g)),
    );
    const stacked = tf.stack(perTensor);
    const norm = (normType === 2 ? tf.sqrt(tf.sum(tf.square(stacked))) : tf.max(stacked)) as tf.Scalar;
    const coef = tf.minimum(tf.div(tf.scalar(maxNorm), tf.add(norm, tf.scalar(1e-6))), tf.scalar(1));
    const clipped: tf.NamedTensorMap = {};
    for (const [name, g] of entries) clipped[name] = tf.mul(g, coef);
    return { grads: clipped, norm };
  });
}
