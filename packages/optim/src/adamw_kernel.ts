import * as tf from "@tensorflow/tfjs-core";

/**
 * Name of the optional fused AdamW kernel. A backend may register it (`tf.registerKernel`) to run one
 * parameter's update in one pass; {@linkcode AdamW} then uses it instead of ~13 tensor ops. Contract:
 * inputs `param`, `grad`, `m`, `v` (float32, one shape); attrs `decay` (`1 - lr*wd`), `beta1`, `beta2`,
 * `bc2Sqrt` (`sqrt(1 - beta2^t)`), `eps`, `stepSize` (`lr / (1 - beta1^t)`); outputs `[param', m', v']`
 * with every float32 operation rounded as in the op-by-op update:
 * `m' = m*b1 + g*(1-b1)`, `v' = v*b2 + (g*(1-b2))*g`, `p' = p*decay + (m'*(-stepSize)) / (sqrt(v')/bc2Sqrt + eps)`.
 * `@wpo/backends` registers it on wasm when the native `@wpo/blas` addon loads.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { ADAMW_UPDATE_KERNEL } from "@wpo/optim";
 * await initBackend("cpu");
 * console.log(tf.getKernel(ADAMW_UPDATE_KERNEL, "cpu") === undefined); // true: cpu runs tensor ops
 * ```
 */
export const ADAMW_UPDATE_KERNEL = "WpoAdamWUpdate";

/** Scalars of one parameter's update, as the kernel's attrs. */
export interface AdamWUpdateAttrs {
  decay: number;
  beta1: number;
  beta2: number;
  bc2Sqrt: number;
  eps: number;
  stepSize: number;
}

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
