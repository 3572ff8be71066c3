/** Deterministic uniform values in [-scale, scale) from a 32-bit LCG (same on every run and backend). */
export function uniform(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** Deterministic integers in [0, max). */
export function integers(n: number, seed: number, max: number): Int32Array {
  const u = uniform(n, seed, 0.5);
  return Int32Array.from(u, (x) => Math.min(max - 1, Math.floor((x + 0.5) * max)));
}
