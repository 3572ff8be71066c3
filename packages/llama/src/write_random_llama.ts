import { type CheckpointDtype, writeCheckpoint } from "./_write_checkpoint.ts";
import { SeededRng } from "@wpo/random";
import { fillNormal } from "./_fill_normal.ts";
import type { LlamaConfig } from "./config.ts";
import { llamaWeightShapes } from "./weight_shapes.ts";

/** Options of {@linkcode writeRandomLlama}. */
export interface WriteRandomLlamaOptions {
  /** Seed of the deterministic generator (the same stream as {@linkcode randomLlama}). */
  seed: number;
  /** Standard deviation of the matrices. Default `config.initializerRange` (0.02 in HF). */
  std?: number;
  /** Stored precision. Default "bfloat16", as released checkpoints. */
  dtype?: CheckpointDtype;
  /** Split into shards of at most this many bytes. Default: one file. */
  maxShardBytes?: number;
}

/** Values generated per piece (even, so Box–Muller pairs never straddle two pieces). */
const PIECE = 1 << 22;

/**
 * Writes a randomly initialised Llama as a Hugging Face checkpoint without building it
 * in memory: each tensor is generated in pieces of 4M values and streamed to disk, so a
 * 1B-parameter model is written with a few tens of MB. Matrices are N(0, std²), RMSNorm
 * weights 1. Deterministic: in float32 the files equal `saveLlama(randomLlama(config,
 * { seed }))` bit for bit.
 *
 * @param config The model config.
 * @param dir The directory (created if needed).
 * @param options Seed, std, stored dtype, sharding.
 * @returns The names of the files written.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { initBackend } from "@wpo/backends";
 * import { loadLlama, parseLlamaConfig, writeRandomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const dir = await mkdtemp(join(tmpdir(), "rand-"));
 * await writeRandomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), dir, { seed: 1 });
 * const m = await loadLlama(dir);
 * console.assert(m.variables().size === 12);
 * m.dispose();
 * ```
 */
export async function writeRandomLlama(
  config: LlamaConfig,
  dir: string,
  options: WriteRandomLlamaOptions,
): Promise<string[]> {
  const shapes = llamaWeightShapes(config);
  const std = options.std ?? config.initializerRange;
  // Where each tensor starts in the single random stream of randomLlama (model order).
  const start = new Map<string, number>();
  let draws = 0;
  for (const [name, shape] of shapes) {
    start.set(name, draws);
    const n = shape.reduce((a, b) => a * b, 1);
    if (shape.length > 1) draws += 2 * Math.ceil(n / 2);
  }
  function* values(name: string): Generator<Float32Array> {
    const shape = shapes.get(name)!;
    const n = shape.reduce((a, b) => a * b, 1);
    const skip = start.get(name)! % 2 ** 32;
    const rng = new SeededRng(options.seed).jump(skip).asFunction();
    const piece = new Float32Array(Math.min(n, PIECE));
    for (let at = 0; at < n; at += PIECE) {
      const out = piece.subarray(0, Math.min(PIECE, n - at));
      if (shape.length === 1) out.fill(1);
      else fillNormal(out, std, rng);
      yield out;
    }
  }
  return writeCheckpoint(dir, config, shapes, values, {
    dtype: options.dtype ?? "bfloat16",
    maxShardBytes: options.maxShardBytes,
  });
}
