import * as tf from "@tensorflow/tfjs-core";

/** x [..., in] times Wᵀ for a weight W [out, in] (Hugging Face layout): [..., out]. */
export function linear(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const inDim = shape[shape.length - 1]!;
  const y = tf.matMul(tf.reshape(x, [-1, inDim]), weight as tf.Tensor2D, false, true);
  return tf.reshape(y, [...shape.slice(0, -1), weight.shape[0]!]);
}
