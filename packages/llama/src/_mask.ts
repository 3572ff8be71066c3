import * as tf from "@tensorflow/tfjs-core";

/** The additive value of a disallowed attention entry: large, finite, never -Infinity. */
export const MASK_VALUE = -1e9;

/**
 * Additive attention bias [B|1, 1, T, L] for T queries at the end of L keys: query t
 * (absolute key index L - T + t) may see keys up to itself and, when `keyMask` [B, L]
 * is given, only keys whose mask is 1. Disallowed entries are exactly MASK_VALUE.
 */
export function attentionBias(seqLen: number, keyLen: number, keyMask?: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const causal = new Float32Array(seqLen * keyLen);
    const offset = keyLen - seqLen;
    for (let t = 0; t < seqLen; t++) {
      for (let s = t + offset + 1; s < keyLen; s++) causal[t * keyLen + s] = MASK_VALUE;
    }
    const causalBias = tf.tensor4d(causal, [1, 1, seqLen, keyLen]);
    if (!keyMask) return causalBias;
    const [b, l] = keyMask.shape;
    if (l !== keyLen) {
      throw new TypeError(`attentionMask has ${l} columns but the sequence has ${keyLen} positions.`);
    }
    const keyBias = tf.reshape(tf.mul(tf.sub(1, tf.cast(keyMask, "float32")), MASK_VALUE), [b, 1, 1, keyLen]);
    return tf.minimum(causalBias, keyBias) as tf.Tensor4D;
  });
}
