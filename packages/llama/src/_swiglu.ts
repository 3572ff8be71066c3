import * as tf from "@tensorflow/tfjs-core";

/**
 * SwiGLU, the gated activation of Llama's MLP: `silu(gate) * up = gate * sigmoid(gate) * up`, as tensor ops
 * (tfjs autodiff backward). `_fused.ts` runs `SWIGLU_KERNEL` (`@wpo/kernels`) instead where the backend has it.
 * @param gate the gate projection [..., I].
 * @param up the up projection, shaped like gate (any tensor broadcasting against it).
 * @returns the gated activations, shaped like gate.
 */
export function swiglu(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(gate, tf.sigmoid(gate)), up);
}
