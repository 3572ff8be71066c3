/** Fills `out` with normal samples N(0, std²) drawn from `rng` (Box–Muller). */
export function fillNormal(out: Float32Array, std: number, rng: () => number): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
