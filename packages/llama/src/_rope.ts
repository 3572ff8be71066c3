import * as tf from "@tensorflow/tfjs-core";
import type { LlamaConfig } from "./config.ts";

const f32 = Math.fround;

/**
 * RoPE inverse frequencies, rounded to float32 step by step as transformers computes
 * them, with llama3 scaling applied when configured.
 */
export function ropeInvFreq(config: LlamaConfig): Float32Array {
  const d = config.headDim;
  const inv = new Float32Array(d / 2);
  for (let i = 0; i < d / 2; i++) inv[i] = f32(1 / f32(config.ropeTheta ** f32((2 * i) / d)));
  const rs = config.ropeScaling;
  if (!rs) return inv;
  const lowWavelen = rs.originalMaxPositionEmbeddings / rs.lowFreqFactor;
  const highWavelen = rs.originalMaxPositionEmbeddings / rs.highFreqFactor;
  for (let i = 0; i < inv.length; i++) {
    const f = inv[i]!;
    const wavelen = f32((2 * Math.PI) / f);
    if (wavelen > lowWavelen) {
      inv[i] = f32(f / rs.factor);
    } else if (wavelen >= highWavelen) {
      const s = f32(
        (rs.originalMaxPositionEmbeddings / wavelen - rs.lowFreqFactor) /
          (rs.highFreqFactor - rs.lowFreqFactor),
      );
      inv[i] = f32(f32(f32(f32(1 - s) * f) / rs.factor) + f32(s * f));
    }
  }
  return inv;
}

/**
 * cos and sin tables for the given positions, shape [rows, 1, T, d] (rows = 1 for
 * shared positions), in the rotate-half layout: angle of column c = pos·inv[c mod d/2].
 */
export function ropeTables(
  invFreq: Float32Array,
  positions: ArrayLike<number>,
  rows: number,
  seqLen: number,
): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const half = invFreq.length;
  const d = 2 * half;
  const cos = new Float32Array(rows * seqLen * d);
  const sin = new Float32Array(rows * seqLen * d);
  for (let r = 0; r < rows * seqLen; r++) {
    const pos = positions[r]!;
    for (let c = 0; c < half; c++) {
      const angle = f32(pos * invFreq[c]!);
      const cv = Math.cos(angle);
      const sv = Math.sin(angle);
      cos[r * d + c] = cv;
      cos[r * d + c + half] = cv;
      sin[r * d + c] = sv;
      sin[r * d + c + half] = sv;
    }
  }
  return { cos: tf.tensor4d(cos, [rows, 1, seqLen, d]), sin: tf.tensor4d(sin, [rows, 1, seqLen, d]) };
}
