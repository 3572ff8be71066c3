import * as tf from "@tensorflow/tfjs-core";
import { fusedLogitRowStats } from "./logit_row_stats.ts";
import type { WpoAlignment } from "./logps_types.ts";

/** Per-position statistics of one [C, V] logits slice. */
export interface PositionStats {
  /** log p(target) = x[target] − lse(x), shape [C]. */
  logp: tf.Tensor1D;
  /** (log p(target) − logZ), shape [C]; only when an alignment was asked for. */
  wpoTerm?: tf.Tensor1D;
  /** Σ_v x[p, v], shape [C], for TRL's `logits/*` metrics. */
  logitSum: tf.Tensor1D;
  /** softmax(x), [C, V] (the backward pass may reuse it). */
  probs: tf.Tensor2D;
}

/** Flat indices p·V + target_p that pick each row's target logit out of a flattened [C, V] slice. */
function targetIndices(targets: tf.Tensor1D, vocab: number): tf.Tensor1D {
  const rows = targets.shape[0];
  return tf.add(tf.mul(tf.range(0, rows, 1, "int32"), tf.scalar(vocab, "int32")), targets) as tf.Tensor1D;
}

/**
 * Forward statistics of a [C, V] logits slice whose targets are in [0, V) (unscored rows use a dummy 0).
 * One softmax kernel serves everything (on wasm it is several times faster than a separate exp):
 * with m = max x and p = softmax(x), Σ exp(x − m) = 1 / max p, so lse(x) = m − log max p (max p ≥ 1/V, no
 * underflow); the "sampled" logZ = lse(2x) − 2·lse(x) = log Σ p²; the "greedy" logZ = log max p.
 * Runs inside the caller's tidy; callers wrap it in customGrad (no autodiff through here).
 */
export function positionStats(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  alignment: WpoAlignment | undefined,
): PositionStats {
  const vocab = logits.shape[1];
  const picked = () => tf.gather(tf.reshape(logits, [-1]), targetIndices(targets, vocab));
  const fused = fusedLogitRowStats(logits);
  if (fused) {
    // the backend's one-pass kernel (LOGIT_ROW_STATS_KERNEL): same quantities, computed directly
    const logp = tf.sub(picked(), fused.lse) as tf.Tensor1D;
    const out = { logp, logitSum: fused.logitSum, probs: fused.probs };
    if (alignment === undefined) return out;
    const logZ =
      alignment === "sampled"
        ? fused.logSumP2
        : alignment === "greedy"
          ? fused.logMaxP
          : tf.zerosLike(fused.lse);
    return { ...out, wpoTerm: tf.sub(logp, logZ) as tf.Tensor1D };
  }
  const probs = tf.softmax(logits) as tf.Tensor2D;
  const logMaxP = tf.log(tf.max(probs, 1));
  const lse = tf.sub(tf.max(logits, 1), logMaxP);
  const logp = tf.sub(picked(), lse) as tf.Tensor1D;
  const logitSum = tf.sum(logits, 1) as tf.Tensor1D;
  if (alignment === undefined) return { logp, logitSum, probs };
  let logZ: tf.Tensor;
  if (alignment === "sampled") {
    logZ = tf.log(tf.sum(tf.square(probs), 1));
  } else if (alignment === "greedy") {
    logZ = logMaxP;
  } else {
    logZ = tf.zerosLike(lse);
  }
  return { logp, logitSum, probs, wpoTerm: tf.sub(logp, logZ) as tf.Tensor1D };
}

/**
 * Gradient of Σ_p g_p · log p(target_p) with respect to a [C, V] logits slice:
 * g_p · (onehot(target_p) − softmax(x_p)).
 */
export function positionLogitsGrad(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  rowGrad: tf.Tensor1D,
): tf.Tensor2D {
  const vocab = logits.shape[1];
  const probs = tf.softmax(logits);
  const diff = tf.sub(tf.oneHot(targets, vocab, 1, 0, "float32"), probs);
  return tf.mul(diff, tf.expandDims(rowGrad, 1)) as tf.Tensor2D;
}

/**
 * Targets aligned with the positions that predict them: targets[n, t] = labels[n, t+1] (0 where unscored) and
 * mask[n, t] = 1 where that label is scored, both [N, T]; the last position predicts nothing (mask 0).
 */
export function shiftedTargets(
  labels: tf.Tensor2D,
  ignoreIndex: number,
): { targets: tf.Tensor2D; mask: tf.Tensor2D } {
  const [n, t] = labels.shape;
  const next = tf.concat([tf.slice(labels, [0, 1], [n, t - 1]), tf.fill([n, 1], ignoreIndex, "int32")], 1);
  const scored = tf.notEqual(next, tf.scalar(ignoreIndex, "int32"));
  const targets = tf.where(scored, next, tf.zerosLike(next)) as tf.Tensor2D;
  return { targets, mask: tf.cast(scored, "float32") as tf.Tensor2D };
}
