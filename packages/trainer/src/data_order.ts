import { SeededRng } from "./rng.ts";

/**
 * The pair indices of every micro-batch of an epoch: a seeded Fisher–Yates shuffle of
 * 0..n-1 (a new permutation per epoch, from `seed` and the epoch number alone, so a
 * resumed run needs only the step number to know where it is), cut into batches.
 *
 * @param datasetSize Number of pairs.
 * @param options Batch size, seed, epoch, shuffle.
 * @returns One array of pair indices per micro-batch (the last may be shorter).
 * @example
 * ```ts
 * import { epochBatches } from "@wpo/trainer";
 * const b = epochBatches(5, { batchSize: 2, seed: 1, epoch: 0 });
 * console.assert(b.length === 3 && b.flat().sort().join() === "0,1,2,3,4");
 * ```
 */
export function epochBatches(datasetSize: number, options: EpochBatchesOptions): number[][] {
  const { batchSize, seed, epoch, shuffle = true } = options;
  if (!Number.isInteger(datasetSize) || datasetSize < 1) {
    throw new RangeError(`epochBatches: the dataset must have at least one pair, got ${datasetSize}.`);
  }
  const order = Array.from({ length: datasetSize }, (_, i) => i);
  if (shuffle) {
    const rng = new SeededRng((seed * 1000003 + epoch * 7919) >>> 0);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}

/** Options of {@linkcode epochBatches}. */
export interface EpochBatchesOptions {
  /** Pairs per micro-batch. */
  batchSize: number;
  /** Data-order seed. */
  seed: number;
  /** Epoch number (0-based). */
  epoch: number;
  /** Shuffle (default true); false keeps file order. */
  shuffle?: boolean;
}
