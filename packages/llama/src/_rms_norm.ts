import * as tf from "@tensorflow/tfjs-core";
import { RMS_NORM_GRAD_KERNEL, RMS_NORM_KERNEL } from "@wpo/kernels";

import { kernelsRegistered } from "./_kernels_registered.ts";

/** The tensor-op RMSNorm (tfjs autodiff backward): every backend without the fused kernels. */
function rmsNormOps(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  const variance = tf.mean(tf.square(x), -1, true);
  return tf.mul(weight, tf.mul(x, tf.rsqrt(tf.add(variance, eps))));
}

/**
 * RMSNorm over the last axis, `weight * (x * rsqrt(mean(x², -1) + eps))` (Llama's norm). Where the active
 * backend registers {@linkcode RMS_NORM_KERNEL} and {@linkcode RMS_NORM_GRAD_KERNEL} (float32 `x` [..., E],
 * `weight` [E]), one fused kernel forward and one backward; otherwise the tensor ops, exactly as before.
 * @param x activations [..., E].
 * @param weight per-channel gain [E] (any tensor broadcasting against x on the op path).
 * @param eps added to the mean square before the reciprocal square root.
 * @returns the normalised activations, shaped like x.
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  const fits =
    x.dtype === "float32" &&
    weight.dtype === "float32" &&
    weight.rank === 1 &&
    x.rank >= 1 &&
    x.shape[x.rank - 1] === weight.shape[0];
  if (!fits || !kernelsRegistered(RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL)) return rmsNormOps(x, weight, eps);
  const norm = tf.customGrad(
    (xs: tf.Tensor | tf.GradSaveFunc, w: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      const inputs = { x: xs as tf.Tensor, weight: w as tf.Tensor };
      (save as tf.GradSaveFunc)([inputs.x, inputs.weight]);
      return {
        value: tf.engine().runKernel(RMS_NORM_KERNEL, inputs, { eps }) as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [sx, sw] = saved as [tf.Tensor, tf.Tensor];
          return tf
            .engine()
            .runKernel(
              RMS_NORM_GRAD_KERNEL,
              { dy: dy as tf.Tensor, x: sx, weight: sw },
              { eps },
            ) as tf.Tensor[];
        },
      };
    },
  );
  return norm(x, weight);
}
