import { access, join, readFile } from "#node-only";
import { parseLlamaConfig } from "./config.ts";
import { LlamaModel, type LlamaModelOptions } from "./llama_model.ts";
import { decodeSafetensors, type SafetensorsTensor } from "./safetensors.ts";

/** Options of {@linkcode loadLlama}. */
export type LoadLlamaOptions = LlamaModelOptions;

async function readJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`${path} is not valid JSON (${(error as Error).message}).`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readShards(dir: string): Promise<Map<string, SafetensorsTensor>> {
  const single = join(dir, "model.safetensors");
  const indexPath = join(dir, "model.safetensors.index.json");
  const files: string[] = [];
  let weightMap: Record<string, string> | undefined;
  if (await exists(indexPath)) {
    const index = await readJson(indexPath);
    const map = index.weight_map as Record<string, string> | undefined;
    if (!map || typeof map !== "object") throw new TypeError(`${indexPath} has no 'weight_map' object.`);
    weightMap = map;
    files.push(...new Set(Object.values(map)));
  } else if (await exists(single)) {
    files.push("model.safetensors");
  } else {
    throw new Error(`No weights in ${dir}: expected model.safetensors or model.safetensors.index.json.`);
  }
  const all = new Map<string, SafetensorsTensor>();
  for (const file of files) {
    const path = join(dir, file);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (error) {
      throw new Error(`Cannot read ${path} (listed for ${dir}): ${(error as Error).message}`);
    }
    const { tensors } = decodeSafetensors(bytes, { source: path });
    for (const [name, t] of tensors) {
      if (all.has(name)) throw new RangeError(`Tensor '${name}' appears in more than one shard (${path}).`);
      all.set(name, t);
    }
  }
  for (const [name, file] of Object.entries(weightMap ?? {})) {
    if (!all.has(name))
      throw new TypeError(`${indexPath} maps '${name}' to ${file}, which does not contain it.`);
  }
  return all;
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Loads a Hugging Face Llama checkpoint directory: `config.json` plus
 * `model.safetensors` or a sharded `model.safetensors.index.json`. F16/BF16 weights
 * are widened to float32. A tied model may carry an `lm_head.weight` equal to the
 * embedding (older transformers saved one); it is dropped. Rotary `inv_freq` buffers
 * are ignored.
 *
 * @param dir The checkpoint directory.
 * @param options Whether the weights are trainable.
 * @returns The model.
 * @throws {TypeError} naming every missing, unexpected or mis-shaped tensor; errors of {@linkcode decodeSafetensors}.
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
  const config = parseLlamaConfig(await readJson(join(dir, "config.json")));
  const tensors = await readShards(dir);
  const weights = new Map<string, Float32Array>();
  const problems: string[] = [];
  for (const [name, t] of tensors) {
    if (name.endsWith("rotary_emb.inv_freq")) continue;
    if (!(t.data instanceof Float32Array)) {
      problems.push(`'${name}' has integer dtype ${t.dtype}`);
      continue;
    }
    weights.set(name, t.data);
  }
  if (problems.length) throw new TypeError(`Cannot load ${dir}: ${problems.join("; ")}.`);
  const head = weights.get("lm_head.weight");
  const embed = weights.get("model.embed_tokens.weight");
  if (config.tieWordEmbeddings && head && embed && sameValues(head, embed)) weights.delete("lm_head.weight");
  const shapes = new Map([...tensors].map(([n, t]) => [n, t.shape]));
  try {
    return LlamaModel.fromTensors(config, withShapes(weights, shapes), options);
  } catch (error) {
    if (error instanceof TypeError) throw new TypeError(`${dir}: ${error.message}`);
    throw error;
  }
}

/** Shape-carrying view so mis-shaped tensors are reported with both shapes. */
function withShapes(
  weights: Map<string, Float32Array>,
  shapes: Map<string, number[]>,
): Map<string, { shape: number[]; data: Float32Array }> {
  return new Map([...weights].map(([n, d]) => [n, { shape: shapes.get(n)!, data: d }]));
}
