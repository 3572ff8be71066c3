import * as tf from "@tensorflow/tfjs-core";
import { finishSequenceLogps } from "./_finish.ts";
import { tidyRecord } from "./_tidy.ts";
import { chunkedBackward, chunkedForward, planChunks } from "./_chunked_passes.ts";
import { expectLabels, expectTensor } from "./_validate.ts";
import type { SequenceLogps, SequenceLogpsOptions } from "./logps_types.ts";

/** Options of {@linkcode chunkedSequenceLogps}. */
export interface ChunkedSequenceLogpsOptions extends SequenceLogpsOptions {
  /**
   * Positions per logits slice; one [chunkSize, V] slice exists at a time, forward and backward.
   * Default: as many as fit in 2^22 floats (16 MiB), at least 1 (32 positions at V = 128256).
   */
  chunkSize?: number;
  /**
   * A host copy of `labels` (row-major [N, T], e.g. `collatePairs`' `labels`). When given, only the scored
   * positions are projected to the vocabulary (prompt and padding are skipped: much less work when prompts are
   * long); `logitsSum` is then computed as Σ_t h_t · Σ_v W_v, equal up to float rounding. Nothing is read back
   * from the device either way.
   */
  hostLabels?: ArrayLike<number>;
  /**
   * Recompute each slice's softmax in the backward pass (one more [chunk, E]·[E, V] product per slice) instead
   * of keeping the forward's. Default: keep them when all of them take at most 2^23
   * floats (32 MiB), recompute otherwise, so memory stays bounded at any vocabulary size.
   */
  recomputeSoftmax?: boolean;
}

/** Up to this many floats of softmax outputs (2^23, 32 MiB) are kept from the forward for the backward pass. */
const KEEP_PROBS_MAX_FLOATS = 2 ** 23;

/** Default positions per chunk: a [chunk, V] float32 slice of at most 16 MiB. */
export function defaultChunkSize(vocabSize: number): number {
  return Math.max(1, Math.floor(2 ** 22 / vocabSize));
}

/**
 * {@linkcode sequenceLogps} computed from the final hidden states and the lm_head weight without ever building
 * the [N, T, V] logits: positions are processed in chunks of `chunkSize`, each making one [chunk, V] slice,
 * and the backward pass recomputes each slice instead of keeping it. Same values and gradients (w.r.t.
 * `hidden` and `lmHeadWeight`) as `sequenceLogps(hidden · lmHeadWeightᵀ, labels)`.
 *
 * @param hidden float32 [N, T, E], hidden states after the final norm.
 * @param lmHeadWeight float32 [V, E] (the embedding when tied).
 * @param labels int32 [N, T], -100 where not scored (a third required argument, as the cross-package contract names it).
 * @param options `ignoreIndex`, `alignment`, `chunkSize`, `hostLabels`, `recomputeSoftmax`.
 * @returns `{ sum, mean, count, logitsSum, wpoLogWeight? }`, each [N].
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { chunkedSequenceLogps, sequenceLogps } from "@wpo/losses";
 * await initBackend("cpu");
 * const hidden = tf.randomNormal([2, 4, 3]) as tf.Tensor3D;
 * const weight = tf.randomNormal([7, 3]) as tf.Tensor2D;
 * const labels = tf.tensor2d([[-100, 1, 2, 3], [-100, -100, 6, 0]], [2, 4], "int32");
 * const a = await chunkedSequenceLogps(hidden, weight, labels, { chunkSize: 3 }).sum.data();
 * const b = await sequenceLogps(tf.einsum("nte,ve->ntv", hidden, weight) as tf.Tensor3D, labels).sum.data();
 * console.assert(Math.abs(a[0]! - b[0]!) < 1e-5 && Math.abs(a[1]! - b[1]!) < 1e-5);
 * ```
 */
export function chunkedSequenceLogps(
  hidden: tf.Tensor3D,
  lmHeadWeight: tf.Tensor2D,
  labels: tf.Tensor2D,
  options: ChunkedSequenceLogpsOptions = {},
): SequenceLogps {
  expectTensor(hidden, "hidden", 3, "float32");
  expectTensor(lmHeadWeight, "lmHeadWeight", 2, "float32");
  const [n, t, e] = hidden.shape;
  const [v, we] = lmHeadWeight.shape;
  if (we !== e) {
    throw new TypeError(
      `Expected 'lmHeadWeight' of shape [V, ${e}] to match 'hidden' [${n}, ${t}, ${e}], got [${v}, ${we}].`,
    );
  }
  expectLabels(labels, n, t, `hidden [${hidden.shape.join(", ")}]`);
  const chunk = options.chunkSize ?? defaultChunkSize(v);
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new RangeError(`Expected 'chunkSize' to be a positive integer, got ${chunk}.`);
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  const plan = planChunks({ n, t, e, v }, labels, {
    chunk,
    ignoreIndex,
    alignment: options.alignment,
    ...(options.hostLabels === undefined ? {} : { hostLabels: options.hostLabels }),
  });
  const keepProbs = !(options.recomputeSoftmax ?? plan.selected * v > KEEP_PROBS_MAX_FLOATS);
  const op = tf.customGrad(
    (h: tf.Tensor | tf.GradSaveFunc, w: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      const fwd = chunkedForward(plan, h as tf.Tensor3D, w as tf.Tensor2D, keepProbs);
      (save as tf.GradSaveFunc)([h as tf.Tensor, w as tf.Tensor, ...(fwd.probs ?? [])]);
      tf.dispose(fwd.probs ?? []); // save() keeps its own references (none when no gradient is recorded)
      return {
        value: fwd.sums,
        gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
          chunkedBackward(plan, dy, {
            h: saved[0] as tf.Tensor3D,
            w: saved[1] as tf.Tensor2D,
            probs: keepProbs ? (saved.slice(2) as tf.Tensor2D[]) : null,
          }),
      };
    },
  );
  return tidyRecord(() =>
    finishSequenceLogps(op(hidden, lmHeadWeight) as tf.Tensor2D, labels, ignoreIndex, options.alignment),
  );
}
