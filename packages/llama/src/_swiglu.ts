import * as tf from "@tensorflow/tfjs-core";

/**
 * Fused SwiGLU kernel (inputs `gate`, `up`: float32, same shape; output `gate * sigmoid(gate) * up`).
 * `@wpo/backends` registers it on wasm when the native `@wpo/blas` addon loads.
 */
export const SWIGLU_KERNEL = "WpoSwiGLU";
/** Backward of {@linkcode SWIGLU_KERNEL}: inputs `dy`, `gate`, `up`; outputs `[dGate, dUp]`. */
export const SWIGLU_GRAD_KERNEL = "WpoSwiGLUGrad";

/**
 * SwiGLU, the gated activation of Llama's MLP: `silu(gate) * up = gate * sigmoid(gate) * up`, as tensor ops
 * (tfjs autodiff backward). `_fused.ts` runs {@linkcode SWIGLU_KERNEL} instead where the backend has it.
 * @param gate the gate projection [..., I].
 * @param up the up projection, shaped like gate (any tensor broadcasting against it).
 * @returns the gated activations, shaped like gate.
 */
export function swiglu(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(gate, tf.sigmoid(gate)), up);
}
