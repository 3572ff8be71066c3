/** Per-row token choice of generate(): greedy, or temperature → top-k → top-p → multinomial (transformers' order). */
export interface SamplingParams {
  temperature: number;
  topK: number;
  topP: number;
}

/** Index of the largest value (the first one on ties, as torch.argmax). */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Picks one token from a row of logits given a uniform draw u in [0, 1). */
export type Sampler = (row: Float32Array, u: number) => number;

/**
 * A sampler for rows of `vocab` logits, reusing its scratch buffers. temperature 0 is
 * greedy. Filtering follows transformers: top-k keeps tokens whose logit is >= the
 * k-th largest; top-p drops the least likely tokens while their ascending cumulative
 * probability is <= 1 - p (implemented as a probability threshold, so exact ties at
 * the boundary are all kept), always keeping at least one.
 */
export function makeSampler(vocab: number, p: SamplingParams): Sampler {
  if (p.temperature <= 0) return (row) => argmax(row);
  const scaled = new Float64Array(vocab);
  const probs = new Float64Array(vocab);
  const sorted = new Float64Array(vocab);
  return (row, u) => {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < vocab; i++) {
      const s = row[i]! / p.temperature;
      scaled[i] = s;
      if (s > max) max = s;
    }
    let kth = Number.NEGATIVE_INFINITY;
    if (p.topK > 0 && p.topK < vocab) {
      sorted.set(scaled);
      sorted.sort();
      kth = sorted[vocab - p.topK]!;
    }
    let z = 0;
    for (let i = 0; i < vocab; i++) {
      const e = scaled[i]! >= kth ? Math.exp(scaled[i]! - max) : 0;
      probs[i] = e;
      z += e;
    }
    if (p.topP < 1) {
      // Tokens below (1 - p)·z / vocab are removed in any case (together they hold at most 1 - p
      // and come first in ascending order), so only the rest needs sorting.
      const cut = ((1 - p.topP) * z) / vocab;
      let n = 0;
      let cum = 0;
      for (let i = 0; i < vocab; i++) {
        if (probs[i]! >= cut) sorted[n++] = probs[i]!;
        else cum += probs[i]! / z;
      }
      const candidates = sorted.subarray(0, n).sort();
      let threshold = candidates[n - 1]!;
      for (let j = 0; j < n; j++) {
        cum += candidates[j]! / z;
        if (cum > 1 - p.topP) {
          threshold = candidates[j]!;
          break;
        }
      }
      z = 0;
      for (let i = 0; i < vocab; i++) {
        if (probs[i]! < threshold) probs[i] = 0;
        z += probs[i]!;
      }
    }
    let target = u * z;
    let last = 0;
    for (let i = 0; i < vocab; i++) {
      if (probs[i] === 0) continue;
      last = i;
      target -= probs[i]!;
      if (target < 0) return i;
    }
    return last;
  };
}
