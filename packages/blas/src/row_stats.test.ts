import { describe, expect, it } from "vitest";
import { loadBlas } from "./load_blas.ts";

// loosely typed: the test also calls it with wrong arrays and counts
const rowStats = loadBlas()?.native("rowStats") as ((...arrays: Float32Array[]) => void) | undefined;

/** float64 reference of one row: softmax and [lse, Σx, log max p, log Σp²]. */
function reference(row: Float32Array): { probs: number[]; stats: number[] } {
  const m = row.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  let s = 0;
  let sx = 0;
  for (const x of row) {
    s += Math.exp(x - m);
    sx += x;
  }
  const probs = Array.from(row, (x) => Math.exp(x - m) / s);
  const p2 = probs.reduce((a, p) => a + p * p, 0);
  return { probs, stats: [m + Math.log(s), sx, -Math.log(s), Math.log(p2)] };
}

describe.skipIf(!rowStats)("native rowStats (fused log-softmax statistics)", () => {
  it.each([
    [1, 1],
    [3, 37],
    [40, 2048], // above the threading threshold
    [2, 8195], // a vocabulary that is not a multiple of the 16-float vector
  ])("matches float64 for %i rows x V=%i (probs 2e-6, statistics 1e-6 relative)", (rows, v) => {
    const x = Float32Array.from(
      { length: rows * v },
      (_, i) => Math.sin(i * 0.37) * 6 + (i % 7) - (i % 13 === 0 ? 120 : 0),
    );
    const probs = new Float32Array(rows * v);
    const stats = [0, 1, 2, 3].map(() => new Float32Array(rows));
    rowStats!(x, probs, ...stats);
    let worstP = 0;
    let worstS = 0;
    for (let r = 0; r < rows; r++) {
      const want = reference(x.subarray(r * v, (r + 1) * v));
      want.probs.forEach((p, j) => {
        worstP = Math.max(worstP, Math.abs(probs[r * v + j]! - p) / Math.max(p, 1e-30));
      });
      want.stats.forEach((w, k) => {
        worstS = Math.max(worstS, Math.abs(stats[k]![r]! - w) / Math.max(1, Math.abs(w)));
      });
    }
    expect(worstP).toBeLessThan(2e-6);
    expect(worstS).toBeLessThan(1e-6);
  });

  it("rejects wrong arrays and sizes with TypeError / RangeError", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => rowStats!(f(4), f(4), f(2), f(2), f(2))).toThrow(TypeError);
    expect(() => rowStats!(f(4), new Float64Array(4) as never, f(2), f(2), f(2), f(2))).toThrow(TypeError);
    expect(() => rowStats!(f(5), f(5), f(2), f(2), f(2), f(2))).toThrow(RangeError);
    expect(() => rowStats!(f(4), f(4), f(2), f(2), f(1), f(2))).toThrow(RangeError);
  });
});
