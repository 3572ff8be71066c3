import { join } from "#node-only";
import * as tf from "@tensorflow/tfjs-core";
import { planWeights } from "./_check_weights.ts";
import { openShards, readJson } from "./_shards.ts";
import { type LlamaConfig, parseLlamaConfig } from "./config.ts";
import { LlamaModel, type LlamaModelOptions } from "./llama_model.ts";

/** Options of {@linkcode loadLlama}. */
export type LoadLlamaOptions = LlamaModelOptions;

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses a checkpoint's `config.json`, naming the file in every error.
 * @param dir The checkpoint folder.
 * @returns The config.
 */
async function readConfig(dir: string): Promise<LlamaConfig> {
  const path = join(dir, "config.json");
  const json = await readJson(path);
  try {
    return parseLlamaConfig(json);
  } catch (error) {
    const e = error as Error;
    const Kind = e instanceof RangeError ? RangeError : e instanceof TypeError ? TypeError : Error;
    throw new Kind(`${path}: ${e.message}`);
  }
}

/**
 * Loads a Hugging Face Llama checkpoint directory: `config.json` plus
 * `model.safetensors` or a sharded `model.safetensors.index.json`. Files of any size
 * are streamed: headers are read and checked against the config first (layer count,
 * names, shapes, dtypes), then one tensor at a time is read, widened from F16/BF16 to
 * float32 and handed to the backend, so loading bf16 weights peaks near the float32
 * model plus one tensor. Weights must be finite (NaN/Inf are refused by tensor name).
 * A tied model may carry an `lm_head.weight` equal to the embedding (older
 * transformers saved one); it is dropped. Rotary `inv_freq` buffers are ignored.
 *
 * @param dir The checkpoint directory.
 * @param options Whether the weights are trainable.
 * @returns The model.
 * @throws {TypeError} naming every missing, unexpected or mis-shaped tensor and its file; {RangeError}
 *   for a non-finite weight, an invalid config value or a shard path outside `dir`; header errors of
 *   {@linkcode decodeSafetensors}.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { loadLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = await loadLlama("fixtures/gqa_untied");
 * console.assert(m.config.numKeyValueHeads === 2);
 * m.dispose();
 * ```
 */
export async function loadLlama(dir: string, options: LoadLlamaOptions = {}): Promise<LlamaModel> {
  const config = await readConfig(dir);
  const shards = await openShards(dir);
  const weights = new Map<string, tf.Tensor>();
  try {
    const plan = planWeights(dir, config, shards.owner);
    for (const { name, shape, file } of plan.tensors) {
      const data = (await file.read(name, { finite: true })) as Float32Array;
      if (name === "model.embed_tokens.weight" && plan.tiedHead) {
        const head = await plan.tiedHead.read("lm_head.weight");
        if (!sameValues(head, data)) {
          throw new TypeError(
            `${dir}: config.json ties the embeddings but 'lm_head.weight' (${plan.tiedHead.path}) differs from 'model.embed_tokens.weight'; set tie_word_embeddings to false or drop lm_head.weight.`,
          );
        }
      }
      // The backend takes the values now (the cpu backend keeps this array, wasm copies it),
      // so at most one tensor is held twice while loading.
      weights.set(name, tf.tensor(data, shape, "float32"));
    }
    return LlamaModel.fromTensors(config, weights, options);
  } finally {
    for (const t of weights.values()) t.dispose();
    await shards.close();
  }
}
