import { type CheckpointDtype, writeCheckpoint } from "./_write_checkpoint.ts";
import type { LlamaModel } from "./llama_model.ts";

/** Options of {@linkcode saveLlama}. */
export interface SaveLlamaOptions {
  /** Split the weights into shards of at most this many bytes, with an index file. Default: one file. */
  maxShardBytes?: number;
  /** Stored precision: "float32" (default, bit-exact) or "bfloat16" (rounded to nearest even, half the size). */
  dtype?: CheckpointDtype;
}

/**
 * Saves a model as a Hugging Face checkpoint: `config.json` and `model.safetensors`
 * (or `model-0000i-of-0000n.safetensors` shards plus `model.safetensors.index.json`),
 * with the transformers tensor names and `[out, in]` layout, so
 * `LlamaForCausalLM.from_pretrained(dir)` and {@linkcode loadLlama} read it back
 * (bit-identically in float32). Weights are streamed to disk one tensor at a time, so
 * files over 2 GiB are written without holding the whole file in memory. Tied models
 * have no `lm_head.weight`.
 *
 * @param model The model.
 * @param dir The directory (created if needed).
 * @param options Sharding and stored dtype.
 * @returns The names of the files written.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { initBackend } from "@wpo/backends";
 * import { loadLlama, parseLlamaConfig, randomLlama, saveLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * const dir = await mkdtemp(join(tmpdir(), "llama-"));
 * const files = await saveLlama(m, dir, { dtype: "bfloat16" });
 * console.assert(files.includes("model.safetensors"));
 * (await loadLlama(dir)).dispose();
 * m.dispose();
 * ```
 */
export async function saveLlama(
  model: LlamaModel,
  dir: string,
  options: SaveLlamaOptions = {},
): Promise<string[]> {
  const vars = model.variables();
  const shapes = new Map([...vars].map(([name, v]) => [name, [...v.shape]]));
  async function* values(name: string): AsyncGenerator<Float32Array> {
    yield (await vars.get(name)!.data()) as Float32Array;
  }
  return writeCheckpoint(dir, model.config, shapes, values, options);
}
