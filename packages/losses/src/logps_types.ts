import type * as tf from "@tensorflow/tfjs-core";

/**
 * How the WPO per-token log-normaliser is chosen (arXiv 2406.11827, §3 of the spec):
 * `sampled` uses log Σ_v p_v² (the paper's default), `greedy` log max_v p_v, `none` 0.
 */
export type WpoAlignment = "sampled" | "greedy" | "none";

/** Options shared by {@linkcode sequenceLogps} and {@linkcode chunkedSequenceLogps}. */
export interface SequenceLogpsOptions {
  /** Label value of positions that are not scored. Default -100 (PyTorch / TRL convention). */
  ignoreIndex?: number;
  /** When set, also return the detached WPO per-sequence log weight `wpoLogWeight` with this alignment. */
  alignment?: WpoAlignment;
}

/**
 * Per-sequence log-probability statistics, every field a float32 tensor of shape [N].
 * `sum` carries the gradient; `mean` is `sum / count` (also differentiable); `count`,
 * `logitsSum` and `wpoLogWeight` are outside the gradient.
 */
export interface SequenceLogps {
  /** Σ_t log p(label_{t+1} | ≤t) over scored positions. */
  sum: tf.Tensor1D;
  /** `sum / count` (0/0 = NaN when a row has no scored token, as in TRL 0.9.6). */
  mean: tf.Tensor1D;
  /** Number of scored tokens per row. */
  count: tf.Tensor1D;
  /** Sum of every logit of the row (all T positions, all V entries), for TRL's `logits/*` metric. */
  logitsSum: tf.Tensor1D;
  /** WPO log weight a = mean over scored tokens of (log p − logZ); present when `alignment` is given. */
  wpoLogWeight?: tf.Tensor1D;
}
