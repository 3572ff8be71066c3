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

/**
 * Samples a token from one row of logits. `u` is a uniform draw in [0, 1).
 * temperature 0 means greedy. Filtering follows transformers: top-k keeps tokens whose
 * logit is >= the k-th largest; top-p drops the lowest tokens whose ascending
 * cumulative probability is <= 1 - p, always keeping at least one.
 */
export function sampleToken(row: Float32Array, p: SamplingParams, u: number): number {
  if (p.temperature <= 0) return argmax(row);
  const n = row.length;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = row[i]! / p.temperature;
  const keep = new Uint8Array(n).fill(1);
  if (p.topK > 0 && p.topK < n) {
    const kth = Float64Array.from(scaled).sort()[n - p.topK]!;
    for (let i = 0; i < n; i++) if (scaled[i]! < kth) keep[i] = 0;
  }
  if (p.topP < 1) {
    const order = Array.from({ length: n }, (_, i) => i).filter((i) => keep[i]);
    order.sort((a, b) => scaled[a]! - scaled[b]!);
    const max = scaled[order[order.length - 1]!]!;
    let z = 0;
    for (const i of order) z += Math.exp(scaled[i]! - max);
    let cum = 0;
    for (let j = 0; j < order.length - 1; j++) {
      const i = order[j]!;
      cum += Math.exp(scaled[i]! - max) / z;
      if (cum <= 1 - p.topP) keep[i] = 0;
    }
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (keep[i] && scaled[i]! > max) max = scaled[i]!;
  let z = 0;
  for (let i = 0; i < n; i++) if (keep[i]) z += Math.exp(scaled[i]! - max);
  let target = u * z;
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    last = i;
    target -= Math.exp(scaled[i]! - max);
    if (target < 0) return i;
  }
  return last;
}
