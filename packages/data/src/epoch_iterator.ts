import { epochSeed, mulberry32, permutation } from "./_rng.ts";

/** Options of {@linkcode EpochIterator}. */
export interface EpochIteratorOptions {
  /** Number of pairs in the dataset. */
  size: number;
  /** Pairs per batch. */
  batchSize: number;
  /** Shuffle seed. Default 42. */
  seed?: number;
  /** Shuffle each epoch. Default true; false keeps file order. */
  shuffle?: boolean;
  /** Drop a last incomplete batch. Default false (the last batch may be smaller). */
  dropLast?: boolean;
}

/** A resumable position: the options plus where iteration stands. Plain JSON. */
export interface EpochIteratorState {
  size: number;
  batchSize: number;
  seed: number;
  shuffle: boolean;
  dropLast: boolean;
  /** 0-based epoch of the next batch. */
  epoch: number;
  /** Batches already taken in that epoch. */
  batchInEpoch: number;
}

/** One batch of pair indices and where it sits. */
export interface EpochBatch {
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch number within the epoch. */
  batchInEpoch: number;
  /** 0-based batch number since the start of training. */
  step: number;
  /** Indices into the dataset. */
  indices: number[];
}

/**
 * Endless iteration over a dataset in batches of pair indices, reshuffled every epoch with a seeded,
 * platform-independent RNG: epoch e uses a Fisher–Yates shuffle driven by mulberry32 seeded with a 32-bit hash of
 * (seed, e). `state()` / `restore()` save and resume the exact position, so a resumed run yields exactly the
 * batches the uninterrupted run would have.
 *
 * @example
 * ```ts
 * import { EpochIterator } from "@wpo/data";
 * const it = new EpochIterator({ size: 10, batchSize: 4, seed: 1 });
 * const first = it.next();
 * const saved = it.state();
 * const rest = [it.next(), it.next()];
 * const resumed = new EpochIterator({ size: 10, batchSize: 4, seed: 1 });
 * resumed.restore(saved);
 * console.assert(resumed.next().indices.join() === rest[0]?.indices.join() && first.indices.length === 4);
 * console.assert(rest[1]?.indices.length === 2 && it.next().epoch === 1);
 * ```
 */
export class EpochIterator {
  readonly #options: Required<EpochIteratorOptions>;
  #epoch = 0;
  #batchInEpoch = 0;
  #order: number[] | undefined;

  /**
   * Creates the iterator at epoch 0, batch 0.
   *
   * @param options Dataset size, batch size, seed, shuffle and dropLast.
   * @throws {RangeError} for a non-positive size or batch size, or dropLast with batchSize > size.
   */
  constructor(options: EpochIteratorOptions) {
    const { size, batchSize } = options;
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`size must be a positive integer, got ${size}.`);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}.`);
    }
    const seed = options.seed ?? 42;
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}.`);
    const dropLast = options.dropLast ?? false;
    if (dropLast && batchSize > size) {
      throw new RangeError(
        `batchSize ${batchSize} > size ${size} with dropLast leaves no batch: lower batchSize.`,
      );
    }
    this.#options = { size, batchSize, seed, shuffle: options.shuffle ?? true, dropLast };
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    const { size, batchSize, dropLast } = this.#options;
    return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
  }

  /**
   * The dataset order of an epoch.
   *
   * @param epoch 0-based epoch.
   * @returns A permutation of 0..size-1 (identity without shuffle).
   */
  order(epoch: number): number[] {
    const { size, seed, shuffle } = this.#options;
    if (!shuffle) return Array.from({ length: size }, (_, i) => i);
    return permutation(size, mulberry32(epochSeed(seed, epoch)));
  }

  /**
   * Takes the next batch, moving to the next epoch after the last batch.
   *
   * @returns The batch's indices and position.
   */
  next(): EpochBatch {
    if (this.#batchInEpoch >= this.batchesPerEpoch) {
      this.#epoch++;
      this.#batchInEpoch = 0;
      this.#order = undefined;
    }
    this.#order ??= this.order(this.#epoch);
    const { batchSize } = this.#options;
    const start = this.#batchInEpoch * batchSize;
    const batch: EpochBatch = {
      epoch: this.#epoch,
      batchInEpoch: this.#batchInEpoch,
      step: this.#epoch * this.batchesPerEpoch + this.#batchInEpoch,
      indices: this.#order.slice(start, start + batchSize),
    };
    this.#batchInEpoch++;
    return batch;
  }

  /**
   * The current position, as plain JSON for a checkpoint.
   *
   * @returns Options, epoch and batches taken in it.
   */
  state(): EpochIteratorState {
    return { ...this.#options, epoch: this.#epoch, batchInEpoch: this.#batchInEpoch };
  }

  /**
   * Resumes from a saved state.
   *
   * @param state A value returned by {@linkcode EpochIterator.state}.
   * @throws {RangeError} when the state was saved with different options (another dataset size, seed, ...).
   */
  restore(state: EpochIteratorState): void {
    for (const key of ["size", "batchSize", "seed", "shuffle", "dropLast"] as const) {
      if (state[key] !== this.#options[key]) {
        throw new RangeError(
          `Cannot restore: the state has ${key} ${state[key]} but this iterator has ${this.#options[key]}; build the iterator with the saved options.`,
        );
      }
    }
    if (!Number.isInteger(state.epoch) || state.epoch < 0 || !Number.isInteger(state.batchInEpoch)) {
      throw new RangeError(
        `Cannot restore: invalid position epoch ${state.epoch}, batch ${state.batchInEpoch}.`,
      );
    }
    if (state.batchInEpoch < 0 || state.batchInEpoch > this.batchesPerEpoch) {
      throw new RangeError(
        `Cannot restore: batchInEpoch ${state.batchInEpoch} is outside 0..${this.batchesPerEpoch}.`,
      );
    }
    this.#epoch = state.epoch;
    this.#batchInEpoch = state.batchInEpoch;
    this.#order = undefined;
  }
}
