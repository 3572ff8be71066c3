import * as tf from "@tensorflow/tfjs-core";
import { LOGIT_ROW_STATS_KERNEL } from "@wpo/kernels";

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
