import * as tf from "@tensorflow/tfjs-core";

/**
 * Fused RMSNorm kernel (inputs `x` [..., E], `weight` [E], float32; attr `eps`; output
 * `weight * (x * rsqrt(mean(x², -1) + eps))`). `@wpo/backends` registers it on wasm when the native
 * `@wpo/blas` addon loads.
 */
export const RMS_NORM_KERNEL = "WpoRMSNorm";
/** Backward of {@linkcode RMS_NORM_KERNEL}: inputs `dy`, `x`, `weight`, attr `eps`; outputs `[dx, dWeight]`. */
export const RMS_NORM_GRAD_KERNEL = "WpoRMSNormGrad";

/**
 * RMSNorm over the last axis, `weight * (x * rsqrt(mean(x², -1) + eps))` (Llama's norm), as tensor ops
 * (tfjs autodiff backward). `_fused.ts` runs {@linkcode RMS_NORM_KERNEL} instead where the backend has it.
 * @param x activations [..., E].
 * @param weight per-channel gain [E] (any tensor broadcasting against x).
 * @param eps added to the mean square before the reciprocal square root.
 * @returns the normalised activations, shaped like x.
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  const variance = tf.mean(tf.square(x), -1, true);
  return tf.mul(weight, tf.mul(x, tf.rsqrt(tf.add(variance, eps))));
}
