import * as tf from "@tensorflow/tfjs-core";
import { MASKED_SOFTMAX_KERNEL, SOFTMAX_GRAD_KERNEL } from "@wpo/kernels";

import { kernelsRegistered } from "./_kernels_registered.ts";

/**
 * Attention probabilities `softmax(scores·scale + bias)`: `scores` [B, KV, g·T, L] (g query heads per
 * key/value head folded into the query axis), `bias` [B|1, 1, T, L] (additive mask, repeated for each of the
 * g heads). One fused kernel forward and one backward where the backend registers both; otherwise the tensor
 * ops (scale, tile, add, softmax) with tfjs autodiff, exactly as before.
 */
export function attentionProbs(
  scores: tf.Tensor4D,
  bias: tf.Tensor4D,
  scale: number,
  groups: number,
): tf.Tensor4D {
  const fused = kernelsRegistered(MASKED_SOFTMAX_KERNEL, SOFTMAX_GRAD_KERNEL);
  if (scores.dtype !== "float32" || bias.dtype !== "float32" || !fused) {
    const tiled = groups === 1 ? bias : tf.tile(bias, [1, 1, groups, 1]);
    return tf.softmax(tf.add(tf.mul(scores, scale), tiled)) as tf.Tensor4D;
  }
  const probs = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const y = tf
      .engine()
      .runKernel(MASKED_SOFTMAX_KERNEL, { x: x as tf.Tensor, bias }, { scale }) as tf.Tensor;
    (save as tf.GradSaveFunc)([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [p] = saved as [tf.Tensor];
        // d softmax (dy·p − (Σ dy·p)·p), then the chain rule through x·scale
        const g = tf.engine().runKernel(SOFTMAX_GRAD_KERNEL, { y: p, dy: dy as tf.Tensor }, {}) as tf.Tensor;
        return [tf.mul(g, scale)];
      },
    };
  });
  return probs(scores) as tf.Tensor4D;
}
