import { existsSync, join, mkdirSync, readFileSync } from "#node-only";
import * as tf from "@tensorflow/tfjs-core";
import { collatePairs, type PairFeatures } from "@wpo/data";
import type { LlamaModel } from "@wpo/llama";
import { chunkedSequenceLogps, detach, type LogpStats, logpStats, splitChosenRejected } from "@wpo/losses";
import { atomicWriteFile } from "./atomic_write.ts";
import { type BatchTensors, batchTensors, disposeBatch } from "./batch_tensors.ts";
import type { ReferenceStats } from "./pair_objective.ts";
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from "./safetensors.ts";

/** Where a micro-batch's reference log-probs come from. */
export interface ReferenceSource {
  /** `live`, `precomputed` or `none`. */
  readonly kind: "live" | "precomputed" | "none";
  /**
   * Reference statistics of a micro-batch (new tensors the caller disposes), or undefined (reference-free).
   * @param batch The micro-batch tensors.
   * @param pairIndices Dataset indices of its pairs (used by the precomputed source).
   */
  forBatch(batch: BatchTensors, pairIndices: readonly number[]): ReferenceStats | undefined;
}

/** Reference log-prob sums and token counts per pair, as precomputed. */
export interface ReferenceTable {
  chosenSum: Float32Array;
  rejectedSum: Float32Array;
  chosenCount: Float32Array;
  rejectedCount: Float32Array;
}

/** tf.tidy for a function returning reference statistics (a nested object of tensors). */
function tidyStats(fn: () => ReferenceStats): ReferenceStats {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as ReferenceStats;
}

/** The sum, mean and count of one side, outside the gradient (the reference is frozen). */
function frozen(side: LogpStats): LogpStats {
  return { sum: detach(side.sum), mean: detach(side.mean), count: side.count };
}

/**
 * Reference log-probs from a live frozen model, run on every micro-batch (TRL's default).
 *
 * @param model The frozen reference (e.g. `policy.clone({ trainable: false })`).
 * @param options lm_head chunk size.
 * @returns A reference source.
 * @example
 * ```ts
 * import { noReference } from "@wpo/trainer";
 * console.assert(noReference().kind === "none");
 * ```
 */
export function liveReference(
  model: LlamaModel,
  options: { chunkSize?: number | undefined } = {},
): ReferenceSource {
  return {
    kind: "live",
    forBatch(batch) {
      return tidyStats(() => {
        const hidden = model.hiddenStates(batch.inputIds, { attentionMask: batch.attentionMask });
        const s = chunkedSequenceLogps(hidden, model.lmHeadWeight(), batch.labels, {
          ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
        });
        const { chosen, rejected } = splitChosenRejected(s);
        return { chosen: frozen(chosen), rejected: frozen(rejected) };
      });
    },
  };
}

/**
 * No reference model: reference log-probs are 0 (TRL's `reference_free`; SimPO/ORPO/CPO need none).
 *
 * @returns A reference source that returns undefined.
 * @example
 * ```ts
 * import { noReference } from "@wpo/trainer";
 * console.assert(noReference().forBatch({} as never, []) === undefined);
 * ```
 */
export function noReference(): ReferenceSource {
  return { kind: "none", forBatch: () => undefined };
}

/**
 * Reference log-probs looked up from a precomputed table by pair index.
 *
 * @param table Sums and counts per pair.
 * @returns A reference source.
 * @example
 * ```ts
 * import { precomputedReference } from "@wpo/trainer";
 * const one = new Float32Array([1]);
 * console.assert(precomputedReference({ chosenSum: one, rejectedSum: one, chosenCount: one, rejectedCount: one }).kind === "precomputed");
 * ```
 */
export function precomputedReference(table: ReferenceTable): ReferenceSource {
  return {
    kind: "precomputed",
    forBatch(_batch, pairIndices) {
      const pick = (a: Float32Array) =>
        pairIndices.map((i) => {
          const v = a[i];
          if (v === undefined)
            throw new RangeError(`Precomputed reference has no pair ${i} (table of ${a.length}).`);
          return v;
        });
      return {
        chosen: logpStats(pick(table.chosenSum), pick(table.chosenCount)),
        rejected: logpStats(pick(table.rejectedSum), pick(table.rejectedCount)),
      };
    },
  };
}

/** Options of {@linkcode precomputeReferenceTable}. */
export interface PrecomputeOptions {
  /** The tokenised pairs. */
  features: readonly PairFeatures[];
  /** Pad id for collation. */
  padTokenId: number;
  /** Pairs per forward pass. Default 8. */
  batchSize?: number;
  /** lm_head chunk size. */
  chunkSize?: number | undefined;
  /** Folder of the on-disk cache; with `fingerprint`, a hit skips the computation. */
  cacheDir?: string | undefined;
  /** Cache key (see `referenceFingerprint`). */
  fingerprint?: string | undefined;
  /** Told whether the cache was hit. */
  onCache?: (hit: boolean, path: string) => void;
}

/**
 * Runs the reference model once over every pair (TRL's `precompute_ref_log_probs`) and
 * returns the table; with a cache folder and fingerprint the table is stored as
 * `ref-logps-<fingerprint>.safetensors` and reused by later runs with the same model,
 * data and settings.
 *
 * @param model The reference model.
 * @param options The pairs, pad id, batch size, cache.
 * @returns Sums and counts per pair.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const config = parseLlamaConfig({ vocab_size: 16, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1,
 *   num_attention_heads: 2 });
 * import { buildPairFeatures } from "@wpo/data";
 * import { precomputeReferenceTable } from "@wpo/trainer";
 * const model = randomLlama(config, { seed: 1 });
 * const features = [buildPairFeatures({ promptIds: [5], chosenIds: [6, 7], rejectedIds: [8] }, { bosId: 1, eosId: 2 })];
 * const table = await precomputeReferenceTable(model, { features, padTokenId: 0 });
 * console.assert(table.chosenCount[0] === 3 && table.rejectedCount[0] === 2 && table.chosenSum[0]! < 0);
 * model.dispose();
 * ```
 */
export async function precomputeReferenceTable(
  model: LlamaModel,
  options: PrecomputeOptions,
): Promise<ReferenceTable> {
  const { features } = options;
  const path =
    options.cacheDir && options.fingerprint
      ? join(options.cacheDir, `ref-logps-${options.fingerprint}.safetensors`)
      : undefined;
  if (path && existsSync(path)) {
    const table = referenceTableFromBytes(new Uint8Array(readFileSync(path)));
    if (table.chosenSum.length === features.length) {
      options.onCache?.(true, path);
      return table;
    }
  }
  const n = features.length;
  const table: ReferenceTable = {
    chosenSum: new Float32Array(n),
    rejectedSum: new Float32Array(n),
    chosenCount: new Float32Array(n),
    rejectedCount: new Float32Array(n),
  };
  const source = liveReference(model, { chunkSize: options.chunkSize });
  const bs = options.batchSize ?? 8;
  for (let start = 0; start < n; start += bs) {
    const idx = Array.from({ length: Math.min(bs, n - start) }, (_, k) => start + k);
    const batch = batchTensors(
      collatePairs(
        idx.map((i) => features[i]!),
        { padTokenId: options.padTokenId },
      ),
    );
    const stats = source.forBatch(batch, idx)!;
    const [cs, rs, cc, rc] = await Promise.all([
      stats.chosen.sum.data(),
      stats.rejected.sum.data(),
      stats.chosen.count.data(),
      stats.rejected.count.data(),
    ]);
    idx.forEach((i, k) => {
      table.chosenSum[i] = cs[k]!;
      table.rejectedSum[i] = rs[k]!;
      table.chosenCount[i] = cc[k]!;
      table.rejectedCount[i] = rc[k]!;
    });
    tf.dispose([stats.chosen, stats.rejected] as unknown as tf.Tensor[]);
    disposeBatch(batch);
  }
  if (path) {
    mkdirSync(options.cacheDir!, { recursive: true });
    atomicWriteFile(path, referenceTableToBytes(table));
    options.onCache?.(false, path);
  }
  return table;
}

/**
 * Serialises a reference table as safetensors.
 *
 * @param table The table.
 * @returns File bytes.
 * @example
 * ```ts
 * import { referenceTableFromBytes, referenceTableToBytes } from "@wpo/trainer";
 * const a = new Float32Array([1, 2]);
 * const t = referenceTableFromBytes(referenceTableToBytes({ chosenSum: a, rejectedSum: a, chosenCount: a, rejectedCount: a }));
 * console.assert(t.chosenSum[1] === 2);
 * ```
 */
export function referenceTableToBytes(table: ReferenceTable): Uint8Array {
  const m = new Map<string, StoredTensor>();
  for (const [k, v] of Object.entries(table)) m.set(k, { dtype: "float32", shape: [v.length], data: v });
  return encodeSafetensors(m, { format: "wpo-reference-logps" });
}

/**
 * Reads a reference table written by {@linkcode referenceTableToBytes}.
 *
 * @param bytes File bytes.
 * @returns The table.
 * @throws {TypeError} when a column is missing.
 * @example
 * ```ts
 * import { referenceTableFromBytes, referenceTableToBytes } from "@wpo/trainer";
 * const a = new Float32Array([3]);
 * console.assert(referenceTableFromBytes(referenceTableToBytes({ chosenSum: a, rejectedSum: a, chosenCount: a, rejectedCount: a })).rejectedCount[0] === 3);
 * ```
 */
export function referenceTableFromBytes(bytes: Uint8Array): ReferenceTable {
  const { tensors } = decodeSafetensors(bytes);
  const col = (k: string): Float32Array => {
    const t = tensors.get(k);
    if (!t || t.dtype !== "float32")
      throw new TypeError(`Reference log-prob table lacks the float32 column '${k}'.`);
    return t.data as Float32Array;
  };
  return {
    chosenSum: col("chosenSum"),
    rejectedSum: col("rejectedSum"),
    chosenCount: col("chosenCount"),
    rejectedCount: col("rejectedCount"),
  };
}
