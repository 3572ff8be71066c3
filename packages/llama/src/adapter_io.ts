import { access, join, mkdir, readFile, writeFile } from "#node-only";
import { PEFT_KEY_PREFIX, parsePeftAdapterConfig, peftAdapterConfig } from "./adapter_config.ts";
import type { LlamaModel } from "./llama_model.ts";
import type { LoraConfig } from "./lora_config.ts";
import { loraWeightShapes } from "./lora_shapes.ts";
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from "./safetensors.ts";

/** File names of a PEFT adapter folder. */
export const ADAPTER_CONFIG_FILE = "adapter_config.json";
/** The adapter weights file of a PEFT adapter folder. */
export const ADAPTER_WEIGHTS_FILE = "adapter_model.safetensors";

/** Options of {@linkcode saveAdapter}. */
export interface SaveAdapterOptions {
  /** `base_model_name_or_path` written into the config. */
  baseModelNameOrPath?: string;
}

/**
 * The adapter tensors of a model under PEFT's key names
 * (`base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`, ...).
 *
 * @param model A model with an adapter.
 * @returns PEFT name -> float32 tensor.
 * @throws {Error} when the model has no adapter.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { addLora, adapterTensors, parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * addLora(m, { r: 2, targetModules: "q_proj" }, { seed: 1 });
 * const t = await adapterTensors(m);
 * console.assert(t.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")!.shape.join() === "2,4");
 * m.dispose();
 * ```
 */
export async function adapterTensors(model: LlamaModel): Promise<Map<string, SafetensorsTensor>> {
  if (!model.loraConfig()) throw new Error("The model has no LoRA adapter to save.");
  const out = new Map<string, SafetensorsTensor>();
  for (const [name, v] of model.adapterVariables()) {
    out.set(`${PEFT_KEY_PREFIX}${name}`, {
      dtype: "F32",
      shape: [...v.shape],
      data: Float32Array.from((await v.data()) as Float32Array),
    });
  }
  return out;
}

/**
 * Writes a model's adapter as PEFT does: `adapter_config.json` and `adapter_model.safetensors`
 * (float32, PEFT key names), readable by `PeftModel.from_pretrained` and {@linkcode loadAdapter}.
 *
 * @param model A model with an adapter.
 * @param dir The folder (created if needed).
 * @param options `baseModelNameOrPath`.
 * @returns The names of the files written.
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { initBackend } from "@wpo/backends";
 * import { addLora, loadAdapter, parseLlamaConfig, randomLlama, saveAdapter } from "@wpo/llama";
 * await initBackend("cpu");
 * const c = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 });
 * const m = randomLlama(c, { seed: 1 });
 * addLora(m, { r: 2 }, { seed: 1 });
 * const dir = await mkdtemp(join(tmpdir(), "adapter-"));
 * await saveAdapter(m, dir);
 * const other = randomLlama(c, { seed: 1 });
 * await loadAdapter(other, dir);
 * console.assert(other.adapterVariables().size === m.adapterVariables().size);
 * other.dispose();
 * m.dispose();
 * ```
 */
export async function saveAdapter(
  model: LlamaModel,
  dir: string,
  options: SaveAdapterOptions = {},
): Promise<string[]> {
  const lora = model.loraConfig();
  if (!lora) throw new Error(`Cannot save an adapter to ${dir}: the model has no LoRA adapter.`);
  const tensors = await adapterTensors(model);
  await mkdir(dir, { recursive: true });
  const json = peftAdapterConfig(lora, { baseModelNameOrPath: options.baseModelNameOrPath ?? null });
  await writeFile(join(dir, ADAPTER_CONFIG_FILE), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(
    join(dir, ADAPTER_WEIGHTS_FILE),
    encodeSafetensors(tensors, { metadata: { format: "pt" } }),
  );
  return [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE];
}

/** A PEFT adapter read from disk, not yet attached. */
export interface AdapterFiles {
  /** The LoRA config from `adapter_config.json`. */
  config: LoraConfig;
  /** `base_model_name_or_path`, when present. */
  baseModelNameOrPath: string | undefined;
  /** Adapter tensors by model name (PEFT prefix and adapter name removed). */
  weights: Map<string, { shape: number[]; data: Float32Array }>;
}

/**
 * Reads a PEFT adapter folder: `adapter_config.json` and `adapter_model.safetensors`
 * (PEFT key names; an `.default` adapter name in the key is accepted).
 *
 * @param dir The adapter folder.
 * @returns Config and tensors.
 * @throws {Error} naming the missing file, or the file and tensor that is wrong.
 * @example
 * ```ts
 * import { readAdapter } from "@wpo/llama";
 * let message = "";
 * try { await readAdapter("/definitely/missing"); } catch (e) { message = (e as Error).message; }
 * console.assert(message.includes("adapter_config.json"));
 * ```
 */
export async function readAdapter(dir: string): Promise<AdapterFiles> {
  const configPath = join(dir, ADAPTER_CONFIG_FILE);
  const weightsPath = join(dir, ADAPTER_WEIGHTS_FILE);
  try {
    await access(configPath);
  } catch {
    throw new Error(`${configPath} is missing: ${dir} is not a PEFT adapter folder.`);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`${configPath} is not valid JSON (${(error as Error).message}).`);
  }
  const { config, baseModelNameOrPath } = parsePeftAdapterConfig(json, configPath);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(weightsPath));
  } catch (error) {
    throw new Error(`Cannot read ${weightsPath}: ${(error as Error).message}`);
  }
  const file = decodeSafetensors(bytes, { source: weightsPath });
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [key, t] of file.tensors) {
    if (!key.startsWith(PEFT_KEY_PREFIX))
      throw new TypeError(`${weightsPath}: tensor '${key}' does not start with '${PEFT_KEY_PREFIX}'.`);
    const name = key.slice(PEFT_KEY_PREFIX.length).replace(/\.(lora_[AB])\.default\.weight$/, ".$1.weight");
    if (!(t.data instanceof Float32Array))
      throw new TypeError(`${weightsPath}: tensor '${key}' has integer dtype ${t.dtype}.`);
    weights.set(name, { shape: t.shape, data: t.data });
  }
  return { config, baseModelNameOrPath, weights };
}

/**
 * Loads a PEFT adapter folder onto a model (base frozen, adapter trainable). Every tensor
 * is checked against the model's shapes first.
 *
 * @param model The base model (changed in place).
 * @param dir The adapter folder.
 * @returns What was read (config, base name).
 * @throws {Error} naming the file and the tensor that does not match the model.
 * @example
 * ```ts
 * import { mkdtemp, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { initBackend } from "@wpo/backends";
 * import { loadAdapter, parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * const dir = await mkdtemp(join(tmpdir(), "adapter-"));
 * await writeFile(join(dir, "adapter_config.json"), JSON.stringify({ peft_type: "LORA", r: 0, target_modules: ["q_proj"] }));
 * let message = "";
 * try { await loadAdapter(m, dir); } catch (e) { message = (e as Error).message; }
 * console.assert(message.includes("adapter_config.json") && message.includes("r must be"));
 * m.dispose();
 * ```
 */
export async function loadAdapter(model: LlamaModel, dir: string): Promise<AdapterFiles> {
  const files = await readAdapter(dir);
  const where = join(dir, ADAPTER_WEIGHTS_FILE);
  const shapes = loraWeightShapes(model.config, files.config);
  for (const [name, t] of files.weights) {
    const want = shapes.get(name);
    if (!want)
      throw new TypeError(
        `${where}: tensor '${PEFT_KEY_PREFIX}${name}' is not an adapter of this model's target modules ` +
          `(${files.config.targetModules.join(", ")}, ${model.config.numHiddenLayers} layers).`,
      );
    if (want.join() !== t.shape.join())
      throw new TypeError(
        `${where}: tensor '${PEFT_KEY_PREFIX}${name}' has shape [${t.shape.join(", ")}], ` +
          `the model needs [${want.join(", ")}] (r ${files.config.r}).`,
      );
  }
  for (const name of shapes.keys())
    if (!files.weights.has(name))
      throw new TypeError(`${where}: tensor '${PEFT_KEY_PREFIX}${name}' is missing.`);
  model.attachLora(files.config, files.weights);
  return files;
}
