import * as tf from "@tensorflow/tfjs-core";

/** A collated micro-batch as plain arrays (the shape `collatePairs` of `@wpo/data` returns). */
export interface CollatedBatch {
  /** [2B·T] token ids, rows [chosen_0..chosen_{B-1}; rejected_0..]. */
  inputIds: Int32Array;
  /** [2B·T] 1 on tokens, 0 on padding. */
  attentionMask: Int32Array;
  /** [2B·T] ids on response positions, -100 elsewhere. */
  labels: Int32Array;
  /** Rows, 2B. */
  batchSize: number;
  /** Columns T. */
  seqLen: number;
}

/** The tensors of one micro-batch (int32 [2B, T] each) and its pair count B. */
export interface BatchTensors {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  labels: tf.Tensor2D;
  numPairs: number;
  /** Number of non-padding tokens (for tokens/s). */
  numTokens: number;
}

/**
 * Turns a collated micro-batch into int32 tensors; dispose them with {@linkcode disposeBatch}.
 *
 * @param batch The collated arrays.
 * @returns Tensors `[2B, T]` plus B and the token count.
 * @throws {TypeError} when the arrays do not match `batchSize × seqLen` or the row count is odd.
 * @example
 * ```ts
 * import { batchTensors, disposeBatch } from "@wpo/trainer";
 * import { initBackend } from "@wpo/backends";
 * await initBackend("cpu");
 * const t = batchTensors({ inputIds: new Int32Array([1, 2, 1, 3]), attentionMask: new Int32Array([1, 1, 1, 1]),
 *   labels: new Int32Array([-100, 2, -100, 3]), batchSize: 2, seqLen: 2 });
 * console.assert(t.numPairs === 1 && t.inputIds.shape[1] === 2);
 * disposeBatch(t);
 * ```
 */
export function batchTensors(batch: CollatedBatch): BatchTensors {
  const { batchSize: n, seqLen: t } = batch;
  if (n % 2 !== 0 || n < 2)
    throw new TypeError(`Batch has ${n} rows; expected an even number [chosen; rejected].`);
  for (const key of ["inputIds", "attentionMask", "labels"] as const) {
    if (batch[key].length !== n * t) {
      throw new TypeError(
        `Batch field '${key}' has ${batch[key].length} values; expected ${n}×${t} = ${n * t}.`,
      );
    }
  }
  let numTokens = 0;
  for (const m of batch.attentionMask) numTokens += m;
  return {
    inputIds: tf.tensor2d(batch.inputIds, [n, t], "int32"),
    attentionMask: tf.tensor2d(batch.attentionMask, [n, t], "int32"),
    labels: tf.tensor2d(batch.labels, [n, t], "int32"),
    numPairs: n / 2,
    numTokens,
  };
}

/**
 * Disposes the tensors of a micro-batch.
 *
 * @param batch Tensors from {@linkcode batchTensors}.
 * @example
 * ```ts
 * import { batchTensors, disposeBatch } from "@wpo/trainer";
 * import { initBackend } from "@wpo/backends";
 * await initBackend("cpu");
 * disposeBatch(batchTensors({ inputIds: new Int32Array(2), attentionMask: new Int32Array(2),
 *   labels: new Int32Array(2), batchSize: 2, seqLen: 1 }));
 * ```
 */
export function disposeBatch(batch: BatchTensors): void {
  tf.dispose([batch.inputIds, batch.attentionMask, batch.labels]);
}
