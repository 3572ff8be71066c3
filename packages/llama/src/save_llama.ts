import { join, mkdir, writeFile } from "#node-only";
import { llamaConfigToJson } from "./config.ts";
import type { LlamaModel } from "./llama_model.ts";
import { encodeSafetensors, type SafetensorsTensor } from "./safetensors.ts";

/** Options of {@linkcode saveLlama}. */
export interface SaveLlamaOptions {
  /** Split the weights into shards of at most this many bytes, with an index file. Default: one file. */
  maxShardBytes?: number;
}

/**
 * Saves a model as a Hugging Face checkpoint: `config.json` and float32
 * `model.safetensors` (or `model-0000i-of-0000n.safetensors` shards plus
 * `model.safetensors.index.json`), with the transformers tensor names and `[out, in]`
 * layout, so `LlamaForCausalLM.from_pretrained(dir)` and {@linkcode loadLlama} read it
 * back bit-identically. Tied models have no `lm_head.weight`.
 *
 * @param model The model.
 * @param dir The directory (created if needed).
 * @param options Sharding.
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
 * const files = await saveLlama(m, dir);
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
  await mkdir(dir, { recursive: true });
  const tensors: [string, SafetensorsTensor][] = [];
  for (const [name, v] of model.variables()) {
    tensors.push([name, { dtype: "F32", shape: [...v.shape], data: (await v.data()) as Float32Array }]);
  }
  const files = ["config.json"];
  await writeFile(join(dir, "config.json"), `${JSON.stringify(llamaConfigToJson(model.config), null, 2)}\n`);
  const metadata = { format: "pt" };
  const max = options.maxShardBytes;
  const total = tensors.reduce((a, [, t]) => a + t.data.byteLength, 0);
  if (max === undefined || total <= max) {
    await writeFile(join(dir, "model.safetensors"), encodeSafetensors(new Map(tensors), { metadata }));
    files.push("model.safetensors");
    return files;
  }
  if (!(max > 0)) throw new RangeError(`maxShardBytes must be positive, got ${max}.`);
  const shards: [string, SafetensorsTensor][][] = [[]];
  let size = 0;
  for (const entry of tensors) {
    if (size > 0 && size + entry[1].data.byteLength > max) {
      shards.push([]);
      size = 0;
    }
    shards[shards.length - 1]!.push(entry);
    size += entry[1].data.byteLength;
  }
  const n = String(shards.length).padStart(5, "0");
  const weightMap: Record<string, string> = {};
  for (let i = 0; i < shards.length; i++) {
    const file = `model-${String(i + 1).padStart(5, "0")}-of-${n}.safetensors`;
    await writeFile(join(dir, file), encodeSafetensors(new Map(shards[i]), { metadata }));
    for (const [name] of shards[i]!) weightMap[name] = file;
    files.push(file);
  }
  const index = { metadata: { total_size: total }, weight_map: weightMap };
  await writeFile(join(dir, "model.safetensors.index.json"), `${JSON.stringify(index, null, 2)}\n`);
  files.push("model.safetensors.index.json");
  return files;
}
