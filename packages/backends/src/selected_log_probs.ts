import * as tf from "@tensorflow/tfjs-core";

function check(logits: tf.Tensor, labels: tf.Tensor): void {
  if (logits.rank !== 2)
    throw new TypeError(`selectedLogProbs: logits must be [N, V], got shape [${logits.shape}].`);
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new TypeError(
      `selectedLogProbs: labels must be [N] = [${logits.shape[0]}], got shape [${labels.shape}].`,
    );
  }
  if (labels.dtype !== "int32")
    throw new TypeError(`selectedLogProbs: labels must be int32, got ${labels.dtype}.`);
}

/**
 * The fused op: value `logits[i, labels[i]] − logsumexp(logits[i])`; gradient
 * `dy[i]·(onehot(labels[i]) − softmax(logits[i]))`. Its forward runs inside one custom
 * op, so the tape holds one node instead of max/sub/exp/sum/log/gather nodes — the
 * stock composite's backward differentiates through `max` (an `Equal` mask over
 * [N, V]) and scatters the gather gradient over N·V segments.
 */
const fused = tf.customGrad(((logits: tf.Tensor2D, labels: tf.Tensor1D, save: tf.GradSaveFunc) => {
  const [n, v] = logits.shape;
  const lse = tf.logSumExp(logits, 1, true);
  const flat = tf.add(tf.mul(tf.range(0, n, 1, "int32"), tf.scalar(v, "int32")), labels);
  const picked = tf.sub(tf.gather(tf.reshape(logits, [-1]), flat), tf.reshape(lse, [n]));
  save([logits, labels, lse]);
  return {
    value: picked,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [x, y, l] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D];
      const target = tf.oneHot(y, v, 1, 0, "float32");
      const dx = tf.mul(tf.sub(target, tf.exp(tf.sub(x, l))), tf.reshape(dy, [n, 1]));
      return [dx, tf.zerosLike(y)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (
  logits: tf.Tensor,
  labels: tf.Tensor,
) => tf.Tensor1D;

/**
 * Log-probability of each row's label under a softmax over the last axis — the
 * `log_softmax(logits).gather(labels)` of sequence log-prob losses — as one fused op
 * with a hand-written gradient: same values and gradients as the composite, much less
 * work and memory in the backward pass (no [N, V] log-softmax tensor is kept).
 *
 * @param logits Float32 scores `[N, V]`.
 * @param labels Int32 class ids `[N]`, each in `[0, V)` (mask ignored positions yourself, e.g. clamp -100 to 0 and multiply by a mask).
 * @returns `[N]` log-probabilities.
 * @throws {TypeError} when shapes or dtypes do not match.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend, selectedLogProbs } from "@wpo/backends";
 * await initBackend("cpu");
 * const lp = selectedLogProbs(tf.tensor2d([[0, 0]]), tf.tensor1d([1], "int32"));
 * console.assert(Math.abs((await lp.data())[0]! - Math.log(0.5)) < 1e-6);
 * ```
 */
export function selectedLogProbs(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  check(logits, labels);
  return fused(logits, labels);
}
