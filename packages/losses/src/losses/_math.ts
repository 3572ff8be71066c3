import * as tf from "@tensorflow/tfjs-core";

/** cDPO / sigmoid loss of a margin z: −(1−ε)·log σ(βz) − ε·log σ(−βz). */
export function smoothedSigmoidLoss(z: tf.Tensor, beta: number, eps: number): tf.Tensor {
  const s = tf.mul(z, beta);
  const pos = tf.mul(logSigmoid(s), -(1 - eps));
  return eps === 0 ? pos : tf.sub(pos, tf.mul(logSigmoid(tf.neg(s)), eps));
}

/** Token-mean NLL of the chosen responses over the whole batch, −Σ sum_c / Σ n_c, repeated for every pair. */
export function batchNll(pc: tf.Tensor1D, nc: tf.Tensor1D): tf.Tensor1D {
  const nll = tf.neg(tf.div(tf.sum(pc), tf.sum(nc)));
  return tf.mul(tf.onesLike(pc), nll) as tf.Tensor1D;
}

const sortOp = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
  const input = x as tf.Tensor1D;
  const order = tf.topk(tf.neg(input), input.shape[0], true).indices;
  (save as tf.GradSaveFunc)([order]);
  return {
    value: tf.gather(input, order),
    // the inverse permutation (argsort of the order) sends each gradient back to its element
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const ord = saved[0] as tf.Tensor1D;
      const inverse = tf.topk(tf.neg(tf.cast(ord, "float32")), ord.shape[0], true).indices;
      return tf.gather(dy, inverse);
    },
  };
});

/** Values of x sorted ascending along the batch (as torch.sort), with the gradient routed back through the order. */
export function sortAscending(x: tf.Tensor1D): tf.Tensor1D {
  return sortOp(x) as tf.Tensor1D;
}

/**
 * log σ(x) = −softplus(−x). (tf.logSigmoid's custom gradient reads its input after the forward tidy has
 * disposed it, so it cannot be used inside tf.tidy under tf.grad.)
 */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(x)));
}
