import type { LlamaConfig } from "./config.ts";
import type { SafetensorsReader } from "./safetensors_file.ts";
import { llamaWeightShapes } from "./weight_shapes.ts";

/** What to read: each model tensor with its file, and whether a redundant tied lm_head is present. */
export interface WeightPlan {
  /** Model tensors in model order, with the file holding each. */
  tensors: { name: string; shape: number[]; file: SafetensorsReader }[];
  /** A tied model's `lm_head.weight` found in the files (dropped if equal to the embedding). */
  tiedHead?: SafetensorsReader;
}

const LAYER = /^model\.layers\.(\d+)\./;

/**
 * Compares the tensors in the files' headers with what the config needs, before any
 * data is read: the number of layers first (so a config claiming 10^7 layers fails at
 * once instead of listing 9·10^7 missing tensors), then every missing, unexpected, integer or mis-shaped tensor by name and file.
 */
export function planWeights(
  dir: string,
  config: LlamaConfig,
  owner: Map<string, SafetensorsReader>,
): WeightPlan {
  const layers = new Set<number>();
  for (const name of owner.keys()) {
    const m = LAYER.exec(name);
    if (m) layers.add(Number(m[1]));
  }
  const found = layers.size === 0 ? 0 : Math.max(...layers) + 1;
  if (config.numHiddenLayers > found) {
    throw new TypeError(
      `${dir}: config.json has num_hidden_layers = ${config.numHiddenLayers} but the weights hold ${
        found === 0 ? "no layers" : `layers 0..${found - 1} (${found})`
      }.`,
    );
  }
  const problems: string[] = [];
  const shapes = llamaWeightShapes(config);
  const tensors: WeightPlan["tensors"] = [];
  for (const [name, shape] of shapes) {
    const file = owner.get(name);
    if (!file) {
      problems.push(`missing '${name}' (shape [${shape.join(", ")}])`);
      continue;
    }
    const entry = file.tensors.get(name)!;
    if (entry.dtype === "I32") problems.push(`'${name}' has integer dtype I32 (${file.path})`);
    else if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
      problems.push(
        `'${name}': expected shape [${shape.join(", ")}], got [${entry.shape.join(", ")}] (${file.path})`,
      );
    } else tensors.push({ name, shape, file });
  }
  let tiedHead: SafetensorsReader | undefined;
  for (const [name, file] of owner) {
    if (shapes.has(name) || name.endsWith("rotary_emb.inv_freq")) continue;
    const e = file.tensors.get(name)!;
    const embed = shapes.get("model.embed_tokens.weight")!;
    if (name === "lm_head.weight" && config.tieWordEmbeddings && e.shape.join() === embed.join()) {
      tiedHead = file;
    } else problems.push(`unexpected '${name}' (${file.path})`);
  }
  if (problems.length > 0)
    throw new TypeError(`${dir}: Cannot build the Llama model: ${problems.join("; ")}.`);
  return { tensors, tiedHead };
}
