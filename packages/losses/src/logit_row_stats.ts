import * as tf from "@tensorflow/tfjs-core";

/**
 * Name of the optional fused kernel behind the log-prob statistics. A backend may register it
 * (`tf.registerKernel`) to compute, per row of a [C, V] float32 logits slice and in one pass over
 * memory, what the tensor-op path computes with ~8 kernels: outputs `[probs [C, V] (softmax), lse [C]
 * (log Σ exp), logitSum [C] (Σ logits), logMaxP [C] (log max softmax), logSumP2 [C] (log Σ softmax²)]`.
 * `@wpo/backends` registers it on wasm when the native `@wpo/blas` addon loads.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { LOGIT_ROW_STATS_KERNEL } from "@wpo/losses";
 * await initBackend("cpu");
 * console.assert(tf.getKernel(LOGIT_ROW_STATS_KERNEL, "cpu") === undefined); // cpu runs tensor ops
 * ```
 */
export const LOGIT_ROW_STATS_KERNEL = "WpoLogitRowStats";

/** The fused kernel's outputs for one [C, V] slice. */
export interface LogitRowStats {
  probs: tf.Tensor2D;
  lse: tf.Tensor1D;
  logitSum: tf.Tensor1D;
  logMaxP: tf.Tensor1D;
  logSumP2: tf.Tensor1D;
}

/**
 * Runs {@linkcode LOGIT_ROW_STATS_KERNEL} on a float32 [C, V] slice when the active backend registers
 * it; returns undefined otherwise (the caller runs its tensor ops).
 */
export function fusedLogitRowStats(logits: tf.Tensor2D): LogitRowStats | undefined {
  if (logits.dtype !== "float32" || tf.getKernel(LOGIT_ROW_STATS_KERNEL, tf.getBackend()) === undefined)
    return undefined;
  const out = tf.engine().runKernel(LOGIT_ROW_STATS_KERNEL, { logits }, {}) as unknown as tf.Tensor[];
  const [probs, lse, logitSum, logMaxP, logSumP2] = out;
  return {
    probs: probs as tf.Tensor2D,
    lse: lse as tf.Tensor1D,
    logitSum: logitSum as tf.Tensor1D,
    logMaxP: logMaxP as tf.Tensor1D,
    logSumP2: logSumP2 as tf.Tensor1D,
  };
}
