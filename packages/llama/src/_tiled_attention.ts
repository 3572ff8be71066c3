/**
 * Attention whose memory is linear in the number of heads and layers: `softmax(q·kᵀ·scale + bias)·v` computed
 * one block of query rows at a time, forward and backward, keeping only q, k, v (and the shared mask) for the
 * backward pass. The probabilities of a block are recomputed there from q and k with the same kernel (the same
 * values bit for bit), so no [B, H, T, L] tensor ever exists: the largest temporaries are [B, H, blockSize, L].
 * The additive mask [B|1, 1, T, L] is the one tensor of the whole model that grows with T·L (one per forward
 * pass, shared by every layer and head). Each row still sees all L keys, so the masked-softmax semantics are
 * exactly those of the one-piece path (a fully masked padding row stays uniform over every key).
 */
import * as tf from "@tensorflow/tfjs-core";
import { ops } from "./_fused.ts";

/** Settings of {@linkcode tiledAttention}. */
export interface TiledAttentionOptions {
  /** Additive mask [B|1, 1, T, L] (`attentionBias`: causal + key padding). */
  bias: tf.Tensor4D;
  /** Query rows per block (per head). */
  blockSize: number;
  /** Score scale, d^-0.5. */
  scale: number;
}

type Grad = tf.Tensor | tf.GradSaveFunc;

/** Query rows [t0, t0 + n) of x [B, KV, g, T, d], with the g heads folded into the row axis: [B, KV, g·n, d]. */
function rows(x5: tf.Tensor, t0: number, n: number): tf.Tensor4D {
  const [b, kvh, g, , d] = x5.shape as number[];
  return tf.reshape(tf.slice(x5, [0, 0, 0, t0, 0], [b!, kvh!, g!, n, d!]), [b!, kvh!, g! * n, d!]);
}

/** `acc + x`, disposing both addends (or `x` itself when there is no sum yet). */
function accumulate(acc: tf.Tensor | undefined, x: tf.Tensor): tf.Tensor {
  if (!acc) return x;
  const sum = tf.add(acc, x);
  tf.dispose([acc, x]);
  return sum;
}

/**
 * Grouped-query attention in query blocks: `q` [B, H, T, d] (after RoPE), `k`, `v` [B, KV, L, d] with H a
 * multiple of KV (query heads j·g..j·g+g-1 use key/value head j), and the additive mask. Differentiable w.r.t.
 * q, k and v.
 * @returns the attention output [B, H, T, d].
 */
export function tiledAttention(
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  options: TiledAttentionOptions,
): tf.Tensor4D {
  const [b, h, t, d] = q.shape;
  const [, kvh, l] = k.shape;
  const g = h / kvh;
  const { blockSize, scale } = options;
  const starts = Array.from({ length: Math.ceil(t / blockSize) }, (_, i) => i * blockSize);
  const size = (t0: number) => Math.min(blockSize, t - t0);
  /** Probabilities of query rows [t0, t0 + n): [B, KV, g·n, L]. */
  const probs = (qb: tf.Tensor4D, kk: tf.Tensor4D, bias: tf.Tensor4D, t0: number) =>
    ops.attentionProbs(
      tf.matMul(qb, kk, false, true),
      tf.slice(bias, [0, 0, t0, 0], [bias.shape[0], 1, size(t0), l]),
      scale,
      g,
    );

  const attention = tf.customGrad((qi: Grad, ki: Grad, vi: Grad, save: Grad) => {
    const [qq, kk, vv] = [qi, ki, vi] as tf.Tensor4D[];
    const bias = options.bias;
    (save as tf.GradSaveFunc)([qq!, kk!, vv!, bias]);
    const q5 = tf.reshape(qq!, [b, kvh, g, t, d]);
    const blocks = starts.map((t0) =>
      tf.tidy(() =>
        tf.reshape(tf.matMul(probs(rows(q5, t0, size(t0)), kk!, bias, t0), vv!), [b, kvh, g, size(t0), d]),
      ),
    );
    const value = tf.reshape(blocks.length === 1 ? blocks[0]! : tf.concat(blocks, 3), [b, h, t, d]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sq, sk, sv, sBias] = saved as tf.Tensor4D[];
        const sq5 = tf.reshape(sq!, [b, kvh, g, t, d]);
        const dy5 = tf.reshape(dy as tf.Tensor, [b, kvh, g, t, d]);
        let dk: tf.Tensor | undefined;
        let dv: tf.Tensor | undefined;
        const dq = starts.map((t0) => {
          const n = size(t0);
          const [dqBlock, dkPart, dvPart] = tf.tidy(() => {
            const qb = rows(sq5, t0, n);
            const dOut = rows(dy5, t0, n);
            const p = probs(qb, sk!, sBias!, t0);
            // d scores = softmax'(p, dOut·vᵀ)·scale
            const dScores = tf.mul(ops.softmaxGrad(p, tf.matMul(dOut, sv!, false, true)), scale);
            return [
              tf.reshape(tf.matMul(dScores, sk!), [b, kvh, g, n, d]),
              tf.matMul(dScores, qb, true, false),
              tf.matMul(p, dOut, true, false),
            ];
          });
          dk = accumulate(dk, dkPart!);
          dv = accumulate(dv, dvPart!);
          return dqBlock!;
        });
        const dqAll = tf.reshape(dq.length === 1 ? dq[0]! : tf.concat(dq, 3), [b, h, t, d]);
        return [dqAll, dk!, dv!];
      },
    };
  });
  return attention(q, k, v) as tf.Tensor4D;
}
