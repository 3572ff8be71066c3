import type * as tf from "@tensorflow/tfjs-core";

/** Throws a TypeError unless `tensor` has the given rank (and dtype, when given). */
export function expectTensor(
  tensor: unknown,
  name: string,
  rank: number,
  dtype?: tf.DataType,
): asserts tensor is tf.Tensor {
  const t = tensor as tf.Tensor | undefined;
  if (t === null || typeof t !== "object" || !Array.isArray(t.shape) || typeof t.dtype !== "string") {
    throw new TypeError(`Expected '${name}' to be a tf.Tensor, got ${t === null ? "null" : typeof t}.`);
  }
  if (t.rank !== rank) {
    throw new TypeError(`Expected '${name}' to have rank ${rank}, got shape [${t.shape.join(", ")}].`);
  }
  if (dtype !== undefined && t.dtype !== dtype) {
    throw new TypeError(
      `Expected '${name}' to be ${dtype}, got ${t.dtype}: cast it with tf.cast(${name}, "${dtype}").`,
    );
  }
}

/** Checks `labels` [N, T] int32 against a [N, T, ...] tensor and needs T ≥ 2 (position t predicts t+1). */
export function expectLabels(
  labels: unknown,
  n: number,
  t: number,
  other: string,
): asserts labels is tf.Tensor2D {
  expectTensor(labels, "labels", 2, "int32");
  const [ln, lt] = labels.shape;
  if (ln !== n || lt !== t) {
    throw new TypeError(`Expected 'labels' of shape [${n}, ${t}] to match '${other}', got [${ln}, ${lt}].`);
  }
  if (t < 2) {
    throw new RangeError(`Sequences of length ${t} score no token (position t predicts t+1): need T ≥ 2.`);
  }
}
