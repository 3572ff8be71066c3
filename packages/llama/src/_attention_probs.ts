import * as tf from "@tensorflow/tfjs-core";

/**
 * Attention probabilities `softmax(scores·scale + bias)`: `scores` [B, KV, g·T, L] (g query heads per
 * key/value head folded into the query axis), `bias` [B|1, 1, T, L] (additive mask, repeated for each of the
 * g heads), as tensor ops (scale, tile, add, softmax) with tfjs autodiff. `_fused.ts` runs
 * `MASKED_SOFTMAX_KERNEL` (`@wpo/kernels`) instead where the backend has it.
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
 * `dy·y − (Σ dy·y)·y` (tfjs-core's formula). `_fused.ts` runs `SOFTMAX_GRAD_KERNEL` (`@wpo/kernels`) instead where
 * the backend has it.
 */
export function softmaxGrad(y: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const dyTimesY = tf.mul(dy, y);
  return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, -1, true), y));
}
