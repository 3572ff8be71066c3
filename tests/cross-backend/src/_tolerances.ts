import type { Tolerance } from "./_compare.ts";

/**
 * The stated tolerances of the suite (see docs/backends.md). Values (logits, log-probs,
 * losses, op outputs): 1e-5 relative; gradients and weights after updates: 1e-4
 * relative; WebGPU's gradients 2e-3 (see below). The absolute floors cover entries that are (near) zero: float32 rounding of
 * a sum of n terms of size s is about n·s·6e-8.
 */
export const TOLERANCES: Record<"value" | "gradient", Record<string, Tolerance>> = {
  value: {
    "wasm+blas": { rtol: 1e-5, atol: 1e-6 },
    wasm: { rtol: 1e-5, atol: 1e-6 },
    native: { rtol: 1e-5, atol: 1e-6 },
    webgpu: { rtol: 1e-5, atol: 1e-6 },
  },
  gradient: {
    "wasm+blas": { rtol: 1e-4, atol: 1e-6 },
    wasm: { rtol: 1e-4, atol: 1e-6 },
    native: { rtol: 1e-4, atol: 1e-6 },
    // Dawn on llvmpipe: WGSL exp/log/sqrt are not correctly rounded; a few gradient
    // elements of a 2-layer model land up to ~1e-3 away (values and weights stay at 1e-5/1e-4).
    webgpu: { rtol: 2e-3, atol: 1e-5 },
  },
};

/** Gradient-like outputs are named d*, grad*, or weights after updates (w:*). */
export function kindOf(name: string): "value" | "gradient" {
  return /(^|[.:/ ])d[a-zA-Z]|^d|grad|^w:/.test(name) ? "gradient" : "value";
}

/** The tolerance for output `name` on variant `label`. */
export function toleranceFor(label: string, name: string): Tolerance {
  const table = TOLERANCES[kindOf(name)];
  const tol = table[label];
  if (!tol) throw new RangeError(`No tolerance stated for backend '${label}'.`);
  return tol;
}
