import * as tf from "@tensorflow/tfjs-core";
import { positionStats, shiftedTargets } from "./_position_stats.ts";
import type { WpoAlignment } from "./logps_types.ts";

/** What both passes of the chunked log-prob op need: shapes, the chunk layout and the labels. */
export interface ChunkPlan {
  n: number;
  t: number;
  e: number;
  v: number;
  /** N·T positions. */
  rows: number;
  /** Flat indices of the positions projected to the vocabulary, or null for all of them. */
  index: Int32Array | null;
  /** Start of each chunk among the selected positions. */
  starts: number[];
  chunk: number;
  selected: number;
  labels: tf.Tensor2D;
  ignoreIndex: number;
  alignment: WpoAlignment | undefined;
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

/** Lays out the chunks over all N·T positions, or over the scored ones when a host copy of the labels is given. */
export function planChunks(
  shape: { n: number; t: number; e: number; v: number },
  labels: tf.Tensor2D,
  options: {
    chunk: number;
    ignoreIndex: number;
    alignment: WpoAlignment | undefined;
    hostLabels?: ArrayLike<number>;
  },
): ChunkPlan {
  const { n, t } = shape;
  const rows = n * t;
  const index = scoredRows(options.hostLabels, n, t, options.ignoreIndex);
  const selected = index === null ? rows : index.length;
  const starts: number[] = [];
  for (let s = 0; s < selected; s += options.chunk) starts.push(s);
  return { ...shape, rows, index, starts, selected, labels, ...options };
}

const size = (plan: ChunkPlan, s: number) => Math.min(plan.chunk, plan.selected - s);
/** The selected positions' rows of a [N·T, ...] tensor. */
const pick = (x: tf.Tensor, idx: tf.Tensor1D | null) => (idx === null ? x : tf.gather(x, idx));
/** Back from the selected positions to all N·T (zeros elsewhere). */
const spread = (plan: ChunkPlan, x: tf.Tensor, idx: tf.Tensor1D | null, width: number) =>
  idx === null ? x : tf.scatterND(tf.reshape(idx, [-1, 1]), x, [plan.rows, width]);

/** Output of {@linkcode chunkedForward}. */
export interface ChunkedForward {
  /** Per-row [Σ log p, Σ logits, Σ WPO term], [N, 3]. */
  sums: tf.Tensor2D;
  /** Each chunk's softmax [C, V] when `keepProbs` (for the backward pass), else null. */
  probs: tf.Tensor2D[] | null;
}

/**
 * Forward: per-row [Σ log p, Σ logits, Σ WPO term] as [N, 3], one [chunk, V] logits slice at a time. With
 * `keepProbs` the slices' softmax outputs are returned too, so the backward pass need not recompute them.
 */
export function chunkedForward(
  plan: ChunkPlan,
  hs: tf.Tensor3D,
  ws: tf.Tensor2D,
  keepProbs = false,
): ChunkedForward {
  const { n, t, e, rows } = plan;
  const probs: tf.Tensor2D[] = [];
  const sums = tf.tidy(() => {
    const idx = plan.index === null ? null : tf.tensor1d(plan.index, "int32");
    const flat = pick(tf.reshape(hs, [rows, e]), idx) as tf.Tensor2D;
    const { targets, mask } = shiftedTargets(plan.labels, plan.ignoreIndex);
    const flatTargets = pick(tf.reshape(targets, [rows]), idx) as tf.Tensor1D;
    const parts = plan.starts.map((s) =>
      tf.tidy(() => {
        // h · Wᵀ: every backend's BatchMatMul takes the transposed form directly (no [E, V] copy)
        const logits = tf.matMul(tf.slice(flat, [s, 0], [size(plan, s), e]), ws, false, true);
        const st = positionStats(
          logits as tf.Tensor2D,
          tf.slice(flatTargets, [s], [size(plan, s)]),
          plan.alignment,
        );
        if (keepProbs) probs.push(tf.keep(st.probs));
        return tf.stack([st.logp, st.logitSum, st.wpoTerm ?? tf.zerosLike(st.logp)], 1);
      }),
    );
    const all = tf.reshape(spread(plan, parts.length === 1 ? parts[0]! : tf.concat(parts, 0), idx, 3), [
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
  return { sums, probs: keepProbs ? probs : null };
}

// Backward, per slice, without a one-hot: d log p(t)/dx = onehot(t) − softmax(x), so
//   d hidden = g·W[t] − (g·softmax) W,   d W = −(g·softmax)ᵀ h + scatter of g·h into the target rows.
// The softmax of each slice is the forward's (`probs`) when it was kept, else recomputed from h and W.
export function chunkedBackward(
  plan: ChunkPlan,
  dy: tf.Tensor2D,
  saved: { h: tf.Tensor3D; w: tf.Tensor2D; probs: tf.Tensor2D[] | null },
): [tf.Tensor3D, tf.Tensor2D] {
  const { n, t, e, v, rows } = plan;
  const { h: hSaved, w: wSaved, probs } = saved;
  const idx = plan.index === null ? null : tf.tensor1d(plan.index, "int32");
  const [flat, flatTargets, rowGrad] = tf.tidy(() => {
    const { targets, mask } = shiftedTargets(plan.labels, plan.ignoreIndex);
    return [
      pick(tf.reshape(hSaved, [rows, e]), idx) as tf.Tensor2D,
      pick(tf.reshape(targets, [rows]), idx) as tf.Tensor1D,
      pick(tf.reshape(tf.mul(mask, tf.slice(dy, [0, 0], [n, 1])), [rows, 1]), idx) as tf.Tensor2D,
    ] as const;
  });
  const dh: tf.Tensor[] = [];
  // Σ_p g_p·h_p scattered (summed) into each target's row: the onehot part of d W
  let dw: tf.Tensor2D = tf.tidy(() =>
    tf.scatterND(tf.reshape(flatTargets, [-1, 1]), tf.mul(flat, rowGrad), [v, e]),
  ) as tf.Tensor2D;
  plan.starts.forEach((s, i) => {
    const [dhPart, dwNext] = tf.tidy(() => {
      const hPart = tf.slice(flat, [s, 0], [size(plan, s), e]);
      const g = tf.slice(rowGrad, [s, 0], [size(plan, s), 1]);
      const p = probs?.[i] ?? tf.softmax(tf.matMul(hPart, wSaved, false, true));
      const soft = tf.mul(p, g); // g·softmax, [C, V]
      const targetRows = tf.gather(wSaved, tf.slice(flatTargets, [s], [size(plan, s)]));
      const dhp = tf.sub(tf.mul(targetRows, g), tf.matMul(soft, wSaved));
      return [dhp, tf.sub(dw, tf.matMul(soft, hPart, true, false)) as tf.Tensor2D] as const;
    });
    dw.dispose();
    dw = dwNext;
    dh.push(dhPart);
  });
  const dhidden = tf.tidy(() =>
    tf.reshape(spread(plan, dh.length === 1 ? dh[0]! : tf.concat(dh, 0), idx, e), [n, t, e]),
  );
  tf.dispose([...dh, flat, flatTargets, rowGrad, ...(idx === null ? [] : [idx])]);
  return [dhidden as tf.Tensor3D, dw];
}
