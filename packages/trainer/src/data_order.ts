import { permutation, SeededRng } from "@wpo/random";

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
  const order = shuffle
    ? permutation(datasetSize, new SeededRng((seed * 1000003 + epoch * 7919) >>> 0).asFunction())
    : Array.from({ length: datasetSize }, (_, i) => i);
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

/** Where optimizer steps fall in the data: the settings {@linkcode stepMicroBatches} needs. */
export interface StepMicroBatchesOptions {
  datasetSize: number;
  /** Optimizer steps per epoch. */
  updatesPerEpoch: number;
  batchSize: number;
  gradientAccumulationSteps: number;
  seed: number;
  shuffle: boolean;
}

/**
 * The dataset indices of the micro-batches of 0-based optimizer step `step`: its epoch's order
 * ({@linkcode epochBatches}), then that step's `gradientAccumulationSteps` consecutive batches (all of them
 * when the epoch has fewer).
 *
 * @param step 0-based optimizer step.
 * @param options Dataset size, steps per epoch, batch size, accumulation, seed, shuffle.
 * @returns One index list per micro-batch.
 * @example
 * ```ts
 * import { stepMicroBatches } from "@wpo/trainer";
 * const step1 = stepMicroBatches(1, { datasetSize: 8, updatesPerEpoch: 2, batchSize: 2,
 *   gradientAccumulationSteps: 2, seed: 0, shuffle: false });
 * console.assert(JSON.stringify(step1) === "[[4,5],[6,7]]");
 * ```
 */
export function stepMicroBatches(step: number, options: StepMicroBatchesOptions): number[][] {
  const epoch = Math.floor(step / options.updatesPerEpoch);
  const u = step % options.updatesPerEpoch;
  const batches = epochBatches(options.datasetSize, {
    batchSize: options.batchSize,
    seed: options.seed,
    epoch,
    shuffle: options.shuffle,
  });
  const k = options.gradientAccumulationSteps;
  if (batches.length < k) return batches;
  return batches.slice(u * k, u * k + k);
}
