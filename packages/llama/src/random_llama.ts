import type { LlamaConfig } from "./config.ts";
import { SeededRng } from "@wpo/random";
import { fillNormal } from "./_fill_normal.ts";
import { LlamaModel, type LlamaModelOptions } from "./llama_model.ts";
import { llamaWeightShapes } from "./weight_shapes.ts";

/** Options of {@linkcode randomLlama}. */
export interface RandomLlamaOptions extends LlamaModelOptions {
  /** Seed of the deterministic generator. */
  seed: number;
  /** Standard deviation of the matrices. Default `config.initializerRange` (0.02 in HF). */
  std?: number;
}

/**
 * A randomly initialised Llama as transformers initialises one: matrices from
 * N(0, std²), RMSNorm weights 1. Deterministic for a given seed on every backend.
 *
 * @param config The model config.
 * @param options Seed, std and trainability.
 * @returns A new model.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const c = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 });
 * const a = randomLlama(c, { seed: 3 });
 * const b = randomLlama(c, { seed: 3 });
 * const x = await a.variables().get("lm_head.weight")!.data();
 * const y = await b.variables().get("lm_head.weight")!.data();
 * console.assert(x.every((v, i) => v === y[i]));
 * a.dispose(); b.dispose();
 * ```
 */
export function randomLlama(config: LlamaConfig, options: RandomLlamaOptions): LlamaModel {
  const rng = new SeededRng(options.seed).asFunction();
  const std = options.std ?? config.initializerRange;
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, shape] of llamaWeightShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (shape.length === 1) data.fill(1);
    else fillNormal(data, std, rng);
    weights.set(name, { shape, data });
  }
  return LlamaModel.fromTensors(config, weights, options);
}
