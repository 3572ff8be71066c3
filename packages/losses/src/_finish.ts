import * as tf from "@tensorflow/tfjs-core";
import type { SequenceLogps, WpoAlignment } from "./logps_types.ts";

/**
 * Splits the [N, 3] output of the custom-gradient op (columns: Σ log p, Σ logits, Σ WPO term) into the public
 * fields. Only column 0 has a gradient, so `logitsSum` and `wpoLogWeight` are outside the autodiff graph.
 */
export function finishSequenceLogps(
  stacked: tf.Tensor2D,
  labels: tf.Tensor2D,
  ignoreIndex: number,
  alignment: WpoAlignment | undefined,
): SequenceLogps {
  const n = stacked.shape[0];
  const column = (i: number) => tf.reshape(tf.slice(stacked, [0, i], [n, 1]), [n]) as tf.Tensor1D;
  const [rows, len] = labels.shape;
  const next = tf.slice(labels, [0, 1], [rows, len - 1]);
  const count = tf.sum(
    tf.cast(tf.notEqual(next, tf.scalar(ignoreIndex, "int32")), "float32"),
    1,
  ) as tf.Tensor1D;
  const sum = column(0);
  const out: SequenceLogps = {
    sum,
    mean: tf.div(sum, count) as tf.Tensor1D,
    count,
    logitsSum: column(1),
  };
  if (alignment !== undefined) out.wpoLogWeight = tf.div(column(2), count) as tf.Tensor1D;
  return out;
}
