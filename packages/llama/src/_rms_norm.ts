import * as tf from "@tensorflow/tfjs-core";

/**
 * RMSNorm over the last axis, `weight * (x * rsqrt(mean(x², -1) + eps))` (Llama's norm), as tensor ops
 * (tfjs autodiff backward). `_fused.ts` runs `RMS_NORM_KERNEL` (`@wpo/kernels`) instead where the backend has it.
 * @param x activations [..., E].
 * @param weight per-channel gain [E] (any tensor broadcasting against x).
 * @param eps added to the mean square before the reciprocal square root.
 * @returns the normalised activations, shaped like x.
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  const variance = tf.mean(tf.square(x), -1, true);
  return tf.mul(weight, tf.mul(x, tf.rsqrt(tf.add(variance, eps))));
}
