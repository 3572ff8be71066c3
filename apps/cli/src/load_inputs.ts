import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type LlamaModel, loadAdapter, loadLlama, loadLlama2c } from "@wpo/llama";
import { Tokenizer } from "@wpo/tokenizer";
import { CHECKPOINT_MANIFEST, verifyCheckpoint } from "@wpo/trainer";
import { assertRegularFile } from "./_regular_file.ts";
import { resolveAsset } from "./assets_path.ts";

/**
 * Loads a model: a folder with config.json + model.safetensors (Hugging Face layout),
 * a llama2.c `.bin` file, or (undefined) the bundled stories260K.
 *
 * @param path Folder or file, or undefined for the bundled model.
 * @param options `trainable`: whether the weights are trainable variables (default true);
 *   `adapter`: a PEFT LoRA adapter folder to attach (base frozen).
 * @returns The model.
 * @throws {Error} saying what is missing when the path is not a model.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { loadModel } from "@wpo/cli";
 * await initBackend("cpu");
 * const model = await loadModel(undefined);
 * console.assert(model.config.vocabSize === 512 && model.config.numHiddenLayers === 5);
 * model.dispose();
 * ```
 */
export async function loadModel(
  path: string | undefined,
  options: { trainable?: boolean; adapter?: string | undefined } = {},
): Promise<LlamaModel> {
  const model = await loadBase(path, options.trainable === undefined ? {} : { trainable: options.trainable });
  if (options.adapter !== undefined) {
    try {
      await loadAdapter(model, options.adapter);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }
  return model;
}

async function loadBase(path: string | undefined, options: { trainable?: boolean }): Promise<LlamaModel> {
  const p = path ?? resolveAsset("stories260K.bin");
  if (!existsSync(p))
    throw new Error(`Model '${p}' does not exist: pass --model with a model folder or a llama2.c .bin file.`);
  if (statSync(p).isDirectory()) {
    if (!existsSync(join(p, "config.json"))) {
      throw new Error(
        `Model folder '${p}' has no config.json: it must hold config.json and model.safetensors.`,
      );
    }
    // A trainer checkpoint carries a manifest with each file's sha256: check it before loading.
    if (existsSync(join(p, CHECKPOINT_MANIFEST))) verifyCheckpoint(p);
    return loadLlama(p, options);
  }
  assertRegularFile(p, "Model file");
  return loadLlama2c(p, options);
}

/**
 * Loads a tokenizer: a `tokenizer.json` (with `tokenizer_config.json` beside it when
 * present), a llama2.c tokenizer `.bin`, the model folder's tokenizer.json, or the
 * bundled tok512.bin when the model is the bundled one.
 *
 * @param path Tokenizer file, or undefined.
 * @param modelPath The model path, used to find a tokenizer beside it.
 * @returns The tokenizer.
 * @throws {Error} when none can be found.
 * @example
 * ```ts
 * import { loadTokenizer } from "@wpo/cli";
 * console.assert((await loadTokenizer(undefined, undefined)).vocabSize === 512);
 * ```
 */
export async function loadTokenizer(
  path: string | undefined,
  modelPath: string | undefined,
): Promise<Tokenizer> {
  const p = resolveTokenizerPath(path, modelPath);
  assertRegularFile(p, "Tokenizer file", 1024 * 1024 * 1024);
  if (p.endsWith(".json")) return Tokenizer.fromFile(p);
  return Tokenizer.fromLlama2c(new Uint8Array(readFileSync(p)));
}

/**
 * The tokenizer file {@linkcode loadTokenizer} reads: `path`, else the model folder's tokenizer.json, else
 * the bundled tok512.bin when the model is the bundled one.
 *
 * @param path Tokenizer file, or undefined.
 * @param modelPath The model path.
 * @returns The file path.
 * @throws {Error} when none can be found.
 * @example
 * ```ts
 * import { resolveTokenizerPath } from "@wpo/cli";
 * console.assert(resolveTokenizerPath(undefined, undefined).endsWith("tok512.bin"));
 * ```
 */
export function resolveTokenizerPath(path: string | undefined, modelPath: string | undefined): string {
  let p = path;
  if (
    p === undefined &&
    modelPath !== undefined &&
    existsSync(modelPath) &&
    statSync(modelPath).isDirectory()
  ) {
    p = join(modelPath, "tokenizer.json");
  }
  if (p === undefined && modelPath === undefined) p = resolveAsset("tok512.bin");
  if (p === undefined || !existsSync(p)) {
    throw new Error(
      `No tokenizer found${p ? ` at '${p}'` : ""}: pass --tokenizer (tokenizer.json or a llama2.c .bin).`,
    );
  }
  return p;
}
