import * as tf from "@tensorflow/tfjs-core";
import { ROPE_KERNEL } from "@wpo/kernels";

import { kernelsRegistered } from "./_kernels_registered.ts";

/**
 * rotate_half as a product with the signed permutation R (x·R = [-x2, x1]): exact, since
 * each output is one ±x plus zeros, and one kernel instead of two slices, a negation and a
 * concat (slices and concats dominate the generation step on wasm).
 */
function rotateHalf(x: tf.Tensor): tf.Tensor {
  const d = x.shape[x.shape.length - 1]!;
  const r = tf.tidy(() => {
    const m = new Float32Array(d * d);
    for (let i = 0; i < d / 2; i++) {
      m[(i + d / 2) * d + i] = -1; // out[i] = -x[i + d/2]
      m[i * d + i + d / 2] = 1; // out[i + d/2] = x[i]
    }
    return tf.tensor2d(m, [d, d]);
  });
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, d]), r), x.shape);
}

/**
 * RoPE in the rotate-half layout, `x·cos + rotate_half(x)·sin`, on `x` [B, H, T, d] with tables
 * [B|1, 1, T, d]. Where the backend registers {@linkcode ROPE_KERNEL} it is one kernel forward and one
 * backward, with each value rounded as the tensor ops round it (bit-identical); otherwise the tensor ops.
 */
export function applyRope(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  const fused =
    x.rank === 4 && [x, cos, sin].every((t) => t.dtype === "float32") && kernelsRegistered(ROPE_KERNEL);
  if (!fused) return tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin));
  const rope = (t: tf.Tensor, c: tf.Tensor, s: tf.Tensor, inverse: boolean) =>
    tf.engine().runKernel(ROPE_KERNEL, { x: t, cos: c, sin: s }, { inverse }) as tf.Tensor;
  const op = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    // the tables are kept for the backward pass (the caller's tidy may free them before it runs)
    (save as tf.GradSaveFunc)([cos, sin]);
    return {
      value: rope(input as tf.Tensor, cos, sin, false),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        rope(dy as tf.Tensor, saved[0]!, saved[1]!, true),
      ],
    };
  });
  return op(x);
}
