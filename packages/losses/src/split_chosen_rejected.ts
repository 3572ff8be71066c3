import * as tf from "@tensorflow/tfjs-core";
import { tidyRecord } from "./_tidy.ts";
import { expectTensor } from "./_validate.ts";
import type { SequenceLogps } from "./logps_types.ts";

/** The chosen and rejected halves of a batch laid out as rows [chosen_0..B-1; rejected_0..B-1]. */
export interface ChosenRejected {
  chosen: SequenceLogps;
  rejected: SequenceLogps;
}

/**
 * Splits per-row statistics of a stacked batch (rows [chosen; rejected], as TRL's `concatenated_inputs` and
 * `collatePairs`) into the chosen and rejected halves; each half is a {@linkcode SequenceLogps} and so also a
 * `LogpStats` for the losses. Gradients flow through the slices.
 *
 * @param stats Output of `sequenceLogps` / `chunkedSequenceLogps` for 2B rows.
 * @returns `{ chosen, rejected }`, each with [B] tensors (new tensors, owned by the caller).
 * @throws {RangeError} when the number of rows is odd.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { sequenceLogps, splitChosenRejected } from "@wpo/losses";
 * await initBackend("cpu");
 * const labels = tf.tensor2d([[-100, 1], [-100, 2], [-100, 0], [-100, 3]], [4, 2], "int32");
 * const { chosen, rejected } = splitChosenRejected(sequenceLogps(tf.zeros([4, 2, 4]) as tf.Tensor3D, labels));
 * console.assert(chosen.sum.shape[0] === 2 && rejected.count.shape[0] === 2);
 * ```
 */
export function splitChosenRejected(stats: SequenceLogps): ChosenRejected {
  expectTensor(stats?.sum, "stats.sum", 1);
  const rows = stats.sum.shape[0];
  if (rows % 2 !== 0) {
    throw new RangeError(`Expected an even number of rows [chosen; rejected], got ${rows}.`);
  }
  const b = rows / 2;
  const half = (i: number): SequenceLogps => {
    const pick = (x: tf.Tensor1D) => tf.slice(x, [i * b], [b]) as tf.Tensor1D;
    const out: SequenceLogps = {
      sum: pick(stats.sum),
      mean: pick(stats.mean),
      count: pick(stats.count),
      logitsSum: pick(stats.logitsSum),
    };
    if (stats.wpoLogWeight !== undefined) out.wpoLogWeight = pick(stats.wpoLogWeight);
    return out;
  };
  return tidyRecord(() => ({ chosen: half(0), rejected: half(1) }));
}
