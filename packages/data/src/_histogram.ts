import type { LengthHistogram } from "./dataset_stats.ts";

/** Summarises non-negative integer lengths: min/max/mean, nearest-rank percentiles, fixed-width bins. */
export function histogram(values: number[], binWidth: number): LengthHistogram {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = (p: number) => (n === 0 ? 0 : (sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)] as number));
  const bins: number[] = [];
  for (const v of sorted) {
    const k = Math.floor(v / binWidth);
    while (bins.length <= k) bins.push(0);
    bins[k] = (bins[k] as number) + 1;
  }
  return {
    count: n,
    min: n === 0 ? 0 : (sorted[0] as number),
    max: n === 0 ? 0 : (sorted[n - 1] as number),
    mean: n === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / n,
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    binWidth,
    bins,
  };
}
