import { access, isAbsolute, join, readFile, relative, resolve } from "#node-only";
import { SafetensorsReader } from "./safetensors_file.ts";

/** The safetensors files of a checkpoint folder, opened (headers only). */
export interface OpenShards {
  /** Which open file holds each tensor. */
  owner: Map<string, SafetensorsReader>;
  /** Closes every file. */
  close(): Promise<void>;
}

/** Reads and parses a JSON file, with the path in every error. */
export async function readJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not a JSON object");
    return value as Record<string, unknown>;
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

/** The shard file names of an index's weight_map, refusing paths that leave the folder. */
function shardFiles(dir: string, indexPath: string, map: unknown): [Record<string, string>, string[]] {
  if (!map || typeof map !== "object" || Array.isArray(map)) {
    throw new TypeError(`${indexPath} has no 'weight_map' object.`);
  }
  const files = new Set<string>();
  for (const [name, file] of Object.entries(map)) {
    if (typeof file !== "string" || file === "") {
      throw new TypeError(
        `${indexPath}: weight_map['${name}'] must be a file name, got ${JSON.stringify(file)}.`,
      );
    }
    const rel = relative(resolve(dir), resolve(dir, file));
    if (isAbsolute(file) || rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
      throw new RangeError(
        `${indexPath}: weight_map['${name}'] = '${file}' points outside ${dir}; shards must be files inside the checkpoint folder.`,
      );
    }
    files.add(file);
  }
  return [map as Record<string, string>, [...files]];
}

/**
 * Opens `model.safetensors`, or every shard named by `model.safetensors.index.json`,
 * reading headers only. Checks that no tensor is in two shards and that the index maps
 * each tensor to the shard that holds it.
 */
export async function openShards(dir: string): Promise<OpenShards> {
  const indexPath = join(dir, "model.safetensors.index.json");
  let weightMap: Record<string, string> = {};
  let files: string[];
  if (await exists(indexPath)) {
    [weightMap, files] = shardFiles(dir, indexPath, (await readJson(indexPath)).weight_map);
  } else if (await exists(join(dir, "model.safetensors"))) {
    files = ["model.safetensors"];
  } else {
    throw new Error(`No weights in ${dir}: expected model.safetensors or model.safetensors.index.json.`);
  }
  const readers: SafetensorsReader[] = [];
  const close = async () => {
    for (const r of readers) await r.close();
  };
  const owner = new Map<string, SafetensorsReader>();
  try {
    for (const file of files) {
      const path = join(dir, file);
      let reader: SafetensorsReader;
      try {
        reader = await SafetensorsReader.open(path);
      } catch (error) {
        if ((error as Error).message.startsWith("Cannot read"))
          throw new Error(`${(error as Error).message} (listed for ${dir})`);
        throw error;
      }
      readers.push(reader);
      for (const name of reader.tensors.keys()) {
        const other = owner.get(name);
        if (other) throw new RangeError(`Tensor '${name}' is in two shards: ${other.path} and ${path}.`);
        owner.set(name, reader);
      }
    }
    for (const [name, file] of Object.entries(weightMap)) {
      if (owner.get(name)?.path !== join(dir, file))
        throw new TypeError(`${indexPath} maps '${name}' to ${file}, which does not contain it.`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { owner, close };
}
