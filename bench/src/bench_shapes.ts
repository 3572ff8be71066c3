import { namedShape, parseLlamaConfig } from "@wpo/llama";
import type { BenchConfig } from "./bench_config.ts";

/** Options of {@linkcode benchShapeConfig}. */
export interface BenchShapeOptions {
  /** Tokens per sequence. Default 1024. */
  seqLen?: number;
  /** Preference pairs per step. Default 1. */
  pairs?: number;
  /** Recompute each layer in the backward pass (both sides). Default true. */
  gradientCheckpointing?: boolean;
}

/**
 * The bench step on a real model shape from `@wpo/llama`'s named shapes (`smollm2-135m`, `llama3.2-1b`, ...):
 * random weights of that architecture, one pair of `seqLen`-token sequences by default, a quarter of each
 * sequence prompt, live reference model.
 */
export function benchShapeConfig(name: string, options: BenchShapeOptions = {}): BenchConfig {
  const c = parseLlamaConfig(namedShape(name).config);
  const seqLen = options.seqLen ?? 1024;
  return {
    vocab: c.vocabSize,
    dim: c.hiddenSize,
    layers: c.numHiddenLayers,
    heads: c.numAttentionHeads,
    kvHeads: c.numKeyValueHeads,
    hidden: c.intermediateSize,
    eps: c.rmsNormEps,
    ropeTheta: c.ropeTheta,
    pairs: options.pairs ?? 1,
    seqLen,
    promptLen: Math.floor(seqLen / 4),
    beta: 0.1,
    lr: 1e-5,
    tied: c.tieWordEmbeddings,
    gradientCheckpointing: options.gradientCheckpointing ?? true,
  };
}
