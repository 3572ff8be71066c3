import { join, mkdir, writeFile } from "#node-only";
import { type LlamaConfig, llamaConfigToJson } from "./config.ts";
import { type TensorValues, writeSafetensorsFile } from "./safetensors_file.ts";

/** Stored precision of a checkpoint written by this package. */
export type CheckpointDtype = "float32" | "bfloat16";

/** Options of {@linkcode writeCheckpoint}. */
export interface WriteCheckpointOptions {
  /** Stored dtype. Default "float32". */
  dtype?: CheckpointDtype;
  /** Split into shards of at most this many bytes, with an index file. Default: one file. */
  maxShardBytes?: number;
}

/**
 * Writes `config.json` and the weights (one file or shards + index), tensor by tensor.
 * Shards are filled in model order; inside a file, tensors are sorted by name as the
 * reference writer does.
 */
export async function writeCheckpoint(
  dir: string,
  config: LlamaConfig,
  shapes: Map<string, number[]>,
  values: (name: string) => TensorValues,
  options: WriteCheckpointOptions = {},
): Promise<string[]> {
  const dtype = options.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "bfloat16") {
    throw new RangeError(`dtype must be "float32" or "bfloat16", got ${JSON.stringify(dtype)}.`);
  }
  const st = dtype === "float32" ? "F32" : "BF16";
  const item = dtype === "float32" ? 4 : 2;
  await mkdir(dir, { recursive: true });
  const files = ["config.json"];
  const json = { ...llamaConfigToJson(config), torch_dtype: dtype };
  await writeFile(join(dir, "config.json"), `${JSON.stringify(json, null, 2)}\n`);
  const metadata = { format: "pt" };
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1) * item;
  const entries = [...shapes].map(([name, shape]) => ({ name, dtype: st, shape }) as const);
  const total = entries.reduce((a, e) => a + size(e.shape), 0);
  const max = options.maxShardBytes;
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  if (max === undefined || total <= max) {
    await writeSafetensorsFile(join(dir, "model.safetensors"), entries.sort(byName), values, { metadata });
    files.push("model.safetensors");
    return files;
  }
  if (!(max > 0)) throw new RangeError(`maxShardBytes must be positive, got ${max}.`);
  const shards: (typeof entries)[] = [[]];
  let used = 0;
  for (const e of entries) {
    if (used > 0 && used + size(e.shape) > max) {
      shards.push([]);
      used = 0;
    }
    shards[shards.length - 1]!.push(e);
    used += size(e.shape);
  }
  const n = String(shards.length).padStart(5, "0");
  const weightMap: Record<string, string> = {};
  for (let i = 0; i < shards.length; i++) {
    const file = `model-${String(i + 1).padStart(5, "0")}-of-${n}.safetensors`;
    await writeSafetensorsFile(join(dir, file), shards[i]!.sort(byName), values, { metadata });
    for (const e of shards[i]!) weightMap[e.name] = file;
    files.push(file);
  }
  const index = { metadata: { total_size: total }, weight_map: weightMap };
  await writeFile(join(dir, "model.safetensors.index.json"), `${JSON.stringify(index, null, 2)}\n`);
  files.push("model.safetensors.index.json");
  return files;
}
