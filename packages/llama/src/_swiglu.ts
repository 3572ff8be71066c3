import * as tf from "@tensorflow/tfjs-core";
import { SWIGLU_GRAD_KERNEL, SWIGLU_KERNEL } from "@wpo/kernels";

import { kernelsRegistered } from "./_kernels_registered.ts";

/** The tensor-op SwiGLU (tfjs autodiff backward): every backend without the fused kernels. */
function swigluOps(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(gate, tf.sigmoid(gate)), up);
}

/**
 * SwiGLU, the gated activation of Llama's MLP: `silu(gate) * up = gate * sigmoid(gate) * up`. Where the
 * active backend registers {@linkcode SWIGLU_KERNEL} and {@linkcode SWIGLU_GRAD_KERNEL} (float32 inputs of
 * one shape), one fused kernel forward and one backward; otherwise the tensor ops, exactly as before.
 * @param gate the gate projection [..., I].
 * @param up the up projection, shaped like gate (any tensor broadcasting against it on the op path).
 * @returns the gated activations, shaped like gate.
 */
export function swiglu(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  const fits =
    gate.dtype === "float32" && up.dtype === "float32" && tf.util.arraysEqual(gate.shape, up.shape);
  if (!fits || !kernelsRegistered(SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL)) return swigluOps(gate, up);
  const fused = tf.customGrad(
    (g: tf.Tensor | tf.GradSaveFunc, u: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      const inputs = { gate: g as tf.Tensor, up: u as tf.Tensor };
      (save as tf.GradSaveFunc)([inputs.gate, inputs.up]);
      return {
        value: tf.engine().runKernel(SWIGLU_KERNEL, inputs) as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [sg, su] = saved as [tf.Tensor, tf.Tensor];
          return tf
            .engine()
            .runKernel(SWIGLU_GRAD_KERNEL, { dy: dy as tf.Tensor, gate: sg, up: su }) as tf.Tensor[];
        },
      };
    },
  );
  return fused(gate, up);
}
