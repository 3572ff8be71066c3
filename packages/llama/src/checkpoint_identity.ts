import { createHash, join, open, readFile, readdir, stat } from "#node-only";

/** The identity of a checkpoint folder: its path and a cheap hash. */
export interface CheckpointIdentity {
  /** The folder as given. */
  path: string;
  /** sha256 (16 hex chars) of config.json, and each safetensors file's name, size and header. */
  hash: string;
}

async function readHeader(path: string): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const len = new Uint8Array(8);
    await handle.read(len, 0, 8, 0);
    const n = Number(new DataView(len.buffer).getBigUint64(0, true));
    const header = new Uint8Array(Math.min(n, 100_000_000));
    await handle.read(header, 0, header.length, 8);
    return header;
  } finally {
    await handle.close();
  }
}

/**
 * A cheap identity of a Hugging Face checkpoint folder, without reading its weights:
 * `config.json`, and the name, byte size and header (names, dtypes, shapes, offsets) of
 * every `*.safetensors` file. Used to check that a LoRA checkpoint resumes on its base.
 *
 * @param dir The checkpoint folder.
 * @returns Path and hash.
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { initBackend } from "@wpo/backends";
 * import { checkpointIdentity, parseLlamaConfig, randomLlama, saveLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * const dir = await mkdtemp(join(tmpdir(), "llama-"));
 * await saveLlama(m, dir);
 * const id = await checkpointIdentity(dir);
 * console.assert(id.hash.length === 16 && id.hash === (await checkpointIdentity(dir)).hash);
 * m.dispose();
 * ```
 */
export async function checkpointIdentity(dir: string): Promise<CheckpointIdentity> {
  const h = createHash("sha256");
  h.update(await readFile(join(dir, "config.json")));
  const files = (await readdir(dir)).filter((f) => f.endsWith(".safetensors")).sort();
  for (const f of files) {
    const path = join(dir, f);
    h.update(`|${f}|${(await stat(path)).size}|`);
    h.update(await readHeader(path));
  }
  return { path: dir, hash: h.digest("hex").slice(0, 16) };
}
