import * as tf from "@tensorflow/tfjs-core";
import { SOFTMAX_GRAD_KERNEL } from "@wpo/kernels";

/**
 * The Softmax gradient: tfjs-core's formula (`dy·y − sum(dy·y, dim, keepDims)·y`, four kernels), or the
 * backend's fused {@linkcode SOFTMAX_GRAD_KERNEL} (one pass) when it registers one and the softmax is over
 * the last axis of a float32 tensor. Attention probabilities take this gradient in every layer.
 */
export const softmaxGradConfig: tf.GradConfig = {
  kernelName: "Softmax",
  outputsToSave: [true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [y] = saved as [tf.Tensor];
    const g = dy as tf.Tensor;
    const rank = y.shape.length;
    const dim = (attrs as unknown as { dim: number }).dim;
    const lastAxis = dim === -1 || dim === rank - 1;
    return {
      logits: () => {
        if (lastAxis && y.dtype === "float32" && tf.getKernel(SOFTMAX_GRAD_KERNEL, tf.getBackend()))
          return tf.engine().runKernel(SOFTMAX_GRAD_KERNEL, { y, dy: g }, {}) as tf.Tensor;
        const dyTimesY = tf.mul(g, y);
        return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
      },
    };
  },
};
