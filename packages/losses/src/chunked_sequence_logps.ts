import * as tf from "@tensorflow/tfjs-core";
import { finishSequenceLogps } from "./_finish.ts";
import { tidyRecord } from "./_tidy.ts";
import { positionStats, shiftedTargets } from "./_position_stats.ts";
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
}

/** Flat indices r·T + p of the positions whose next label is scored, or null to use every position. */
function scoredRows(
  host: ArrayLike<number> | undefined,
  n: number,
  t: number,
  ignoreIndex: number,
): Int32Array | null {
  if (host === undefined) return null;
  if (host.length !== n * t) {
    throw new TypeError(
      `Expected 'hostLabels' to hold N·T = ${n * t} labels (row-major [${n}, ${t}]), got ${host.length}.`,
    );
  }
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let p = 0; p + 1 < t; p++) if (host[r * t + p + 1] !== ignoreIndex) out.push(r * t + p);
  }
  return out.length === 0 ? null : Int32Array.from(out);
}

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
 * @param options `ignoreIndex`, `alignment`, `chunkSize`.
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
  const alignment = options.alignment;
  const rows = n * t;
  const index = scoredRows(options.hostLabels, n, t, ignoreIndex);
  const selected = index === null ? rows : index.length; // positions projected to the vocabulary
  const starts: number[] = [];
  for (let s = 0; s < selected; s += chunk) starts.push(s);
  const size = (s: number) => Math.min(chunk, selected - s);
  // the selected positions' hidden rows and targets, and a way back to all N·T positions
  const pick = (x: tf.Tensor, idx: tf.Tensor1D | null) => (idx === null ? x : tf.gather(x, idx));
  const spread = (x: tf.Tensor, idx: tf.Tensor1D | null, width: number) =>
    idx === null ? x : tf.scatterND(tf.reshape(idx, [-1, 1]), x, [rows, width]);

  const op = tf.customGrad(
    (h: tf.Tensor | tf.GradSaveFunc, w: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      const hs = h as tf.Tensor3D;
      const ws = w as tf.Tensor2D;
      (save as tf.GradSaveFunc)([hs, ws]);
      const value = tf.tidy(() => {
        const idx = index === null ? null : tf.tensor1d(index, "int32");
        const flat = pick(tf.reshape(hs, [rows, e]), idx) as tf.Tensor2D;
        const { targets, mask } = shiftedTargets(labels, ignoreIndex);
        const flatTargets = pick(tf.reshape(targets, [rows]), idx) as tf.Tensor1D;
        const weightT = tf.transpose(ws); // [E, V]: plain matmul (wasm's transposed matmul is slow)
        const parts = starts.map((s) =>
          tf.tidy(() => {
            const logits = tf.matMul(tf.slice(flat, [s, 0], [size(s), e]), weightT);
            const st = positionStats(logits as tf.Tensor2D, tf.slice(flatTargets, [s], [size(s)]), alignment);
            return tf.stack([st.logp, st.logitSum, st.wpoTerm ?? tf.zerosLike(st.logp)], 1);
          }),
        );
        const all = tf.reshape(spread(parts.length === 1 ? parts[0]! : tf.concat(parts, 0), idx, 3), [
          n,
          t,
          3,
        ]);
        const weights = tf.stack([mask, tf.onesLike(mask), mask], 2);
        const sums = tf.sum(tf.mul(all, weights), 1) as tf.Tensor2D;
        if (idx === null) return sums;
        // skipped positions still count in the logits sum: Σ_t Σ_v h_t·W_v = (Σ_t h_t) · (Σ_v W_v)
        const logitsSum = tf.matMul(tf.sum(hs, 1), tf.reshape(tf.sum(ws, 0), [e, 1]));
        return tf.concat(
          [tf.slice(sums, [0, 0], [n, 1]), logitsSum, tf.slice(sums, [0, 2], [n, 1])],
          1,
        ) as tf.Tensor2D;
      });
      // Backward, per slice, without a one-hot: d log p(t)/dx = onehot(t) − softmax(x), so
      //   d hidden = g·W[t] − (g·softmax) W,   d Wᵀ = −hᵀ (g·softmax) + scatter of g·h into the target rows.
      // Every matmul is plain (wasm's transposed matmuls are slow): d Wᵀ [E, V] is accumulated, transposed once.
      const gradFunc = (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [hSaved, wSaved] = saved as [tf.Tensor3D, tf.Tensor2D];
        const idx = index === null ? null : tf.tensor1d(index, "int32");
        const [flat, flatTargets, rowGrad, weightT] = tf.tidy(() => {
          const { targets, mask } = shiftedTargets(labels, ignoreIndex);
          return [
            pick(tf.reshape(hSaved, [rows, e]), idx) as tf.Tensor2D,
            pick(tf.reshape(targets, [rows]), idx) as tf.Tensor1D,
            pick(tf.reshape(tf.mul(mask, tf.slice(dy, [0, 0], [n, 1])), [rows, 1]), idx) as tf.Tensor2D,
            tf.transpose(wSaved) as tf.Tensor2D,
          ] as const;
        });
        const dh: tf.Tensor[] = [];
        let dwT: tf.Tensor2D = tf.zeros([e, v]);
        for (const s of starts) {
          const [dhPart, dwNext] = tf.tidy(() => {
            const hPart = tf.slice(flat, [s, 0], [size(s), e]);
            const g = tf.slice(rowGrad, [s, 0], [size(s), 1]);
            const soft = tf.mul(tf.softmax(tf.matMul(hPart, weightT)), g); // g·softmax, [C, V]
            const targetRows = tf.gather(wSaved, tf.slice(flatTargets, [s], [size(s)]));
            const dhp = tf.sub(tf.mul(targetRows, g), tf.matMul(soft, wSaved));
            return [dhp, tf.sub(dwT, tf.matMul(tf.transpose(hPart), soft)) as tf.Tensor2D] as const;
          });
          dwT.dispose();
          dwT = dwNext;
          dh.push(dhPart);
        }
        const [dhidden, dw] = tf.tidy(() => {
          const gh = tf.mul(flat, rowGrad); // g·h per position, scattered (summed) into the target rows
          const targetPart = tf.scatterND(tf.reshape(flatTargets, [-1, 1]), gh, [v, e]);
          return [
            tf.reshape(spread(dh.length === 1 ? dh[0]! : tf.concat(dh, 0), idx, e), [n, t, e]),
            tf.add(tf.transpose(dwT), targetPart),
          ] as const;
        });
        tf.dispose([...dh, dwT, flat, flatTargets, rowGrad, weightT, ...(idx === null ? [] : [idx])]);
        return [dhidden, dw];
      };
      return { value, gradFunc };
    },
  );
  return tidyRecord(() =>
    finishSequenceLogps(op(hidden, lmHeadWeight) as tf.Tensor2D, labels, ignoreIndex, alignment),
  );
}
