import * as tf from "@tensorflow/tfjs-core";

/** Tensors of {@linkcode chunkedSelectedLogProbs}. */
export interface ChunkedLogProbsInputs {
  /** Final hidden states `[N, E]` (rows = flattened batch × positions). */
  hidden: tf.Tensor2D;
  /** LM-head weight `[V, E]` (logits = hidden · weightᵀ). */
  weight: tf.Tensor2D;
  /** Int32 target ids `[N]`, each in `[0, V)`. */
  labels: tf.Tensor1D;
}

/** Options of {@linkcode chunkedSelectedLogProbs}. */
export interface ChunkedLogProbsOptions {
  /** Rows per chunk: peak extra memory is about `chunkRows × V × 4` bytes. Default 128. */
  chunkRows?: number;
}

function rowsOf(n: number, chunk: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += chunk) out.push([s, Math.min(chunk, n - s)]);
  return out;
}

/** log p(label) of one chunk of rows, from its logits [rows, V]. */
function chunkLogProbs(logits: tf.Tensor2D, labels: tf.Tensor1D): { picked: tf.Tensor1D; lse: tf.Tensor2D } {
  const [rows, v] = logits.shape;
  const lse = tf.logSumExp(logits, 1, true) as tf.Tensor2D;
  const flat = tf.add(tf.mul(tf.range(0, rows, 1, "int32"), tf.scalar(v, "int32")), labels);
  return {
    picked: tf.sub(tf.gather(tf.reshape(logits, [-1]), flat), tf.reshape(lse, [rows])) as tf.Tensor1D,
    lse,
  };
}

function build(chunk: number) {
  return tf.customGrad(((
    hidden: tf.Tensor2D,
    weight: tf.Tensor2D,
    labels: tf.Tensor1D,
    save: tf.GradSaveFunc,
  ) => {
    const [n] = hidden.shape;
    const parts = rowsOf(n, chunk).map(([s, r]) =>
      tf.tidy(() => {
        const { picked, lse } = chunkLogProbs(
          tf.matMul(tf.slice(hidden, [s, 0], [r, -1]), weight, false, true),
          tf.slice(labels, [s], [r]),
        );
        return tf.stack([picked, tf.reshape(lse, [r])], 1);
      }),
    );
    const both = parts.length === 1 ? parts[0]! : tf.concat(parts);
    tf.dispose(parts.length > 1 ? parts : []);
    const value = tf.reshape(tf.slice(both, [0, 0], [n, 1]), [n]);
    const lseAll = tf.slice(both, [0, 1], [n, 1]);
    both.dispose();
    save([hidden, weight, labels, lseAll]);
    return {
      value,
      // d logp(y)/d logits = onehot(y) − softmax(logits). The softmax part is recomputed
      // chunk by chunk from the saved logsumexp; the onehot part is a row gather/scatter.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [h, w, y, lse] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D];
        const [rowsTotal] = h.shape;
        const dyCol = tf.reshape(dy, [rowsTotal, 1]);
        let dW: tf.Tensor = tf.unsortedSegmentSum(tf.mul(h, dyCol), y, w.shape[0]);
        const dH: tf.Tensor[] = [];
        for (const [s, r] of rowsOf(rowsTotal, chunk)) {
          const [dh, next] = tf.tidy(() => {
            const hr = tf.slice(h, [s, 0], [r, -1]);
            const dyr = tf.slice(dyCol, [s, 0], [r, 1]);
            const negSoftmaxDy = tf.mul(
              tf.exp(tf.sub(tf.matMul(hr, w, false, true), tf.slice(lse, [s, 0], [r, 1]))),
              tf.neg(dyr),
            );
            const fromLabel = tf.mul(tf.gather(w, tf.slice(y, [s], [r])), dyr);
            return [
              tf.add(tf.matMul(negSoftmaxDy, w), fromLabel),
              tf.add(dW, tf.matMul(negSoftmaxDy, hr, true, false)),
            ];
          });
          dW.dispose();
          dW = next;
          dH.push(dh);
        }
        const dHidden = dH.length === 1 ? dH[0]! : tf.concat(dH);
        if (dH.length > 1) tf.dispose(dH);
        dyCol.dispose();
        return [dHidden, dW, tf.zerosLike(y)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (
    h: tf.Tensor,
    w: tf.Tensor,
    y: tf.Tensor,
  ) => tf.Tensor1D;
}

const cache = new Map<number, ReturnType<typeof build>>();

/**
 * `log_softmax(hidden · weightᵀ)[i, labels[i]]` without ever holding the `[N, V]`
 * logits: forward and backward walk `chunkRows` rows at a time, the backward
 * recomputing each chunk's logits (memory O(chunkRows·V + V·E) instead of O(N·V)).
 * Gradients flow to `hidden` and `weight`. This is what makes Llama 3's V = 128256 at
 * T = 2048 fit.
 *
 * @param inputs `hidden` [N, E], `weight` [V, E], `labels` int32 [N].
 * @param options `chunkRows` (default 128).
 * @returns `[N]` log-probabilities.
 * @throws {TypeError} on mismatched shapes or dtypes; {RangeError} for a bad `chunkRows`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { chunkedSelectedLogProbs, initBackend } from "@wpo/backends";
 * await initBackend("cpu");
 * const lp = chunkedSelectedLogProbs(
 *   { hidden: tf.tensor2d([[1], [2]]), weight: tf.tensor2d([[0], [0]]), labels: tf.tensor1d([0, 1], "int32") },
 *   { chunkRows: 1 },
 * );
 * console.assert(Math.abs((await lp.data())[1]! - Math.log(0.5)) < 1e-6);
 * ```
 */
export function chunkedSelectedLogProbs(
  inputs: ChunkedLogProbsInputs,
  options: ChunkedLogProbsOptions = {},
): tf.Tensor1D {
  const { hidden, weight, labels } = inputs;
  const chunk = options.chunkRows ?? 128;
  if (!Number.isInteger(chunk) || chunk < 1)
    throw new RangeError(`chunkedSelectedLogProbs: chunkRows must be a positive integer, got ${chunk}.`);
  if (hidden.rank !== 2 || weight.rank !== 2 || hidden.shape[1] !== weight.shape[1]) {
    throw new TypeError(
      `chunkedSelectedLogProbs: need hidden [N, E] and weight [V, E], got [${hidden.shape}] and [${weight.shape}].`,
    );
  }
  if (labels.rank !== 1 || labels.shape[0] !== hidden.shape[0] || labels.dtype !== "int32") {
    throw new TypeError(
      `chunkedSelectedLogProbs: labels must be int32 [${hidden.shape[0]}], got ${labels.dtype} [${labels.shape}].`,
    );
  }
  let fn = cache.get(chunk);
  if (!fn) cache.set(chunk, (fn = build(chunk)));
  return fn(hidden, weight, labels);
}
