import { decodeSafetensors, LlamaModel, loadLlama2c, parseLlamaConfig, type WeightSource } from "@wpo/llama";
import { Tokenizer } from "@wpo/tokenizer";
import type { PickedFiles } from "./file_sources.ts";

/** A model and its tokenizer, ready to train. */
export interface Loaded {
  /** The policy. */
  model: LlamaModel;
  /** Its tokenizer. */
  tokenizer: Tokenizer;
  /** Where they came from, for the page. */
  label: string;
}

/**
 * Fetches the embedded demo (stories260K in llama2.c format and its 512-token tokenizer)
 * served beside the page.
 *
 * @param baseUrl Page URL the `demo/` folder is relative to.
 * @returns Model and tokenizer.
 */
export async function loadDemo(baseUrl: string): Promise<Loaded> {
  const get = async (name: string) => {
    const res = await fetch(new URL(`demo/${name}`, baseUrl));
    if (!res.ok) throw new Error(`Could not fetch demo/${name}: HTTP ${res.status}.`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const [modelBytes, tokBytes] = await Promise.all([get("stories260K.bin"), get("tok512.bin")]);
  return {
    model: await loadLlama2c(modelBytes),
    tokenizer: Tokenizer.fromLlama2c(tokBytes),
    label: "stories260K (embedded demo)",
  };
}

function json(files: PickedFiles, name: string): unknown {
  const bytes = files.get(name);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new SyntaxError(`${name} in the picked folder is not valid JSON (${(error as Error).message}).`);
  }
}

/**
 * Builds a model and tokenizer from a picked folder: Hugging Face layout (`config.json`,
 * `model.safetensors`, `tokenizer.json`, optional `tokenizer_config.json`), or a llama2.c
 * pair (`*.bin` model and `tok*.bin` tokenizer).
 *
 * @param files The folder's files.
 * @returns Model and tokenizer.
 * @throws {TypeError} naming what is missing.
 */
export async function loadFromFiles(files: PickedFiles): Promise<Loaded> {
  const names = [...files.keys()];
  const config = json(files, "config.json");
  if (config !== undefined) {
    const weights = files.get("model.safetensors");
    const tokJson = json(files, "tokenizer.json");
    if (!weights || tokJson === undefined) {
      throw new TypeError(
        `The picked folder has config.json but lacks ${weights ? "" : "model.safetensors "}${tokJson === undefined ? "tokenizer.json" : ""}` +
          " (sharded checkpoints are not supported in the browser yet).",
      );
    }
    const cfg = parseLlamaConfig(config as Record<string, unknown>);
    const tensors = new Map<string, WeightSource>();
    for (const [name, t] of decodeSafetensors(weights, { source: "model.safetensors" }).tensors) {
      tensors.set(name, {
        shape: t.shape,
        data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data),
      });
    }
    const model = LlamaModel.fromTensors(cfg, tensors);
    return {
      model,
      tokenizer: Tokenizer.fromJSON(tokJson, json(files, "tokenizer_config.json")),
      label: "picked folder (HF layout)",
    };
  }
  const tokName = names.find((n) => /^tok.*\.bin$/.test(n));
  const modelName = names.find((n) => n.endsWith(".bin") && n !== tokName);
  if (tokName && modelName) {
    return {
      model: await loadLlama2c(files.get(modelName)!),
      tokenizer: Tokenizer.fromLlama2c(files.get(tokName)!),
      label: `picked folder (llama2.c: ${modelName})`,
    };
  }
  throw new TypeError(
    `The picked folder (${names.slice(0, 8).join(", ") || "empty"}) has neither config.json + model.safetensors + ` +
      "tokenizer.json nor a llama2.c model .bin with a tok*.bin tokenizer.",
  );
}
