/** Shape of the benchmarked model and batch (shared with tools/reference/bench_step.py). */
export interface BenchConfig {
  /** Vocabulary size. */
  vocab: number;
  /** Hidden size E. */
  dim: number;
  /** Decoder layers. */
  layers: number;
  /** Attention heads. */
  heads: number;
  /** Key/value heads (grouped-query attention). */
  kvHeads: number;
  /** SwiGLU intermediate size. */
  hidden: number;
  /** RMSNorm epsilon. */
  eps: number;
  /** RoPE base. */
  ropeTheta: number;
  /** Preference pairs per step (2x sequences: chosen rows, then rejected rows). */
  pairs: number;
  /** Tokens per sequence. */
  seqLen: number;
  /** Leading tokens of each sequence that are prompt (not scored). */
  promptLen: number;
  /** DPO beta. */
  beta: number;
  /** AdamW learning rate. */
  lr: number;
  /** The LM head is the embedding (no `lm_head.weight`). Default false. */
  tied?: boolean;
  /** Recompute each decoder layer in the backward pass, on both sides. Default false. */
  gradientCheckpointing?: boolean;
}

/**
 * The fixed benchmark: a Llama of ~17M parameters (6 layers, E=384, GQA 6/2 heads,
 * SwiGLU 1024, untied 8192-token head), 2 pairs of 256-token sequences, live
 * reference model. 1024 tokens per step.
 */
export const BENCH_CONFIG: BenchConfig = {
  vocab: 8192,
  dim: 384,
  layers: 6,
  heads: 6,
  kvHeads: 2,
  hidden: 1024,
  eps: 1e-5,
  ropeTheta: 10000,
  pairs: 2,
  seqLen: 256,
  promptLen: 64,
  beta: 0.1,
  lr: 1e-5,
};

/** Number of trainable parameters of a config. */
export function parameterCount(c: BenchConfig): number {
  const kv = c.kvHeads * (c.dim / c.heads);
  const layer = 2 * c.dim + 2 * c.dim * c.dim + 2 * kv * c.dim + 3 * c.hidden * c.dim;
  return (c.tied ? 1 : 2) * c.vocab * c.dim + c.dim + c.layers * layer;
}
