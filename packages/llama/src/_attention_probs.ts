import * as tf from "@tensorflow/tfjs-core";

/**
 * Fused kernel of the attention probabilities, `softmax(scores·scale + bias)` over the last axis (inputs
 * `x` [B, H, R, L], `bias` [B|1, 1, Q, L] with R a multiple of Q; attr `scale`). `@wpo/backends` registers
 * it on wasm when the native `@wpo/blas` addon loads.
 */
export const MASKED_SOFTMAX_KERNEL = "WpoMaskedSoftmax";
/** Fused softmax gradient (`@wpo/backends`' Softmax gradient uses it too): inputs `y`, `dy`. */
export const SOFTMAX_GRAD_KERNEL = "WpoSoftmaxGrad";

/**
 * Attention probabilities `softmax(scores·scale + bias)`: `scores` [B, KV, g·T, L] (g query heads per
 * key/value head folded into the query axis), `bias` [B|1, 1, T, L] (additive mask, repeated for each of the
 * g heads), as tensor ops (scale, tile, add, softmax) with tfjs autodiff. `_fused.ts` runs
 * {@linkcode MASKED_SOFTMAX_KERNEL} instead where the backend has it.
 */
export function attentionProbs(
  scores: tf.Tensor4D,
  bias: tf.Tensor4D,
  scale: number,
  groups: number,
): tf.Tensor4D {
  const tiled = groups === 1 ? bias : tf.tile(bias, [1, 1, groups, 1]);
  return tf.softmax(tf.add(tf.mul(scores, scale), tiled)) as tf.Tensor4D;
}

/**
 * The gradient of a last-axis softmax w.r.t. its input, from its output `y` and the output gradient `dy`:
 * `dy·y − (Σ dy·y)·y` (tfjs-core's formula). `_fused.ts` runs {@linkcode SOFTMAX_GRAD_KERNEL} instead where
 * the backend has it.
 */
export function softmaxGrad(y: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const dyTimesY = tf.mul(dy, y);
  return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, -1, true), y));
}
