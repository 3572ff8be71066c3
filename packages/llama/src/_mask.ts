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

/**
 * The key-padding part of the bias alone, [B, 1, 1, L]: MASK_VALUE where `keyMask` is 0, else 0. Linear in
 * the sequence length, unlike the full [B, 1, T, L] bias; {@linkcode biasRows} adds the causal part per block.
 */
export function keyPaddingBias(keyMask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, l] = keyMask.shape;
    return tf.reshape(tf.mul(tf.sub(1, tf.cast(keyMask, "float32")), MASK_VALUE), [
      b,
      1,
      1,
      l,
    ]) as tf.Tensor4D;
  });
}

/**
 * Rows `[start, start + count)` of the attention bias for T queries at the end of `keyLen` keys (query t has
 * absolute index keyLen - T + t = `start` + row offset as given): [B|1, 1, count, L], with exactly the values
 * of {@linkcode attentionBias}'s rows (MASK_VALUE where disallowed, 0 elsewhere).
 * @param keyBias {@linkcode keyPaddingBias} of the key mask, or undefined (causal only).
 * @param start Absolute key index of the first query row.
 * @param count Number of query rows.
 * @param keyLen Number of keys L.
 */
export function biasRows(
  keyBias: tf.Tensor4D | undefined,
  start: number,
  count: number,
  keyLen: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const query = tf.reshape(tf.range(start, start + count, 1, "int32"), [count, 1]);
    const key = tf.reshape(tf.range(0, keyLen, 1, "int32"), [1, keyLen]);
    const causal = tf.reshape(tf.mul(tf.cast(tf.greater(key, query), "float32"), MASK_VALUE), [
      1,
      1,
      count,
      keyLen,
    ]);
    return (keyBias ? tf.minimum(causal, keyBias) : causal) as tf.Tensor4D;
  });
}
