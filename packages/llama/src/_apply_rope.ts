import * as tf from "@tensorflow/tfjs-core";

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
 * [B|1, 1, T, d], as tensor ops. `_fused.ts` runs `ROPE_KERNEL` (`@wpo/kernels`) instead where the backend has it
 * (each value rounded as these ops round it: bit-identical).
 */
export function applyRope(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin));
}
