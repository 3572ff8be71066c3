import * as tf from "@tensorflow/tfjs-core";
import { ADAMW_UPDATE_KERNEL, type AdamWUpdateAttrs } from "@wpo/kernels";

/** True when the active backend registers {@linkcode ADAMW_UPDATE_KERNEL}. */
export function fusedAdamWAvailable(): boolean {
  return tf.getKernel(ADAMW_UPDATE_KERNEL, tf.getBackend()) !== undefined;
}

/** One update through the fused kernel: returns `[param', m', v']` (new tensors). */
export function fusedAdamWUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  attrs: AdamWUpdateAttrs,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const out = tf
    .engine()
    .runKernel(ADAMW_UPDATE_KERNEL, { param, grad, m, v }, attrs as unknown as tf.NamedAttrMap);
  return out as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}
