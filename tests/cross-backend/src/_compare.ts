/** Tolerances of one comparison: |a − b| ≤ atol + rtol·|b|, elementwise. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The worst element of a comparison. */
export interface Worst {
  index: number;
  got: number;
  want: number;
  /** |got − want| − rtol·|want| − atol: positive means out of tolerance. */
  excess: number;
  maxAbs: number;
  maxRel: number;
}

/** Compares `got` with `want` (same length) and reports the worst element. */
export function compareArrays(got: Float32Array, want: Float32Array, tol: Tolerance): Worst {
  if (got.length !== want.length) {
    throw new RangeError(`length mismatch: got ${got.length} values, want ${want.length}`);
  }
  const worst: Worst = { index: -1, got: 0, want: 0, excess: Number.NEGATIVE_INFINITY, maxAbs: 0, maxRel: 0 };
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const diff = Number.isFinite(g) ? Math.abs(g - w) : Number.POSITIVE_INFINITY;
    const excess = diff - tol.atol - tol.rtol * Math.abs(w);
    worst.maxAbs = Math.max(worst.maxAbs, diff);
    worst.maxRel = Math.max(worst.maxRel, diff / Math.max(Math.abs(w), 1e-30));
    if (excess > worst.excess) Object.assign(worst, { index: i, got: g, want: w, excess });
  }
  return worst;
}

/**
 * Every output of `got` against the baseline's: the names out of tolerance, each with
 * its worst element, so a failing test names the op/tensor and the position.
 */
export function mismatches(
  got: Map<string, Float32Array>,
  want: Map<string, Float32Array>,
  tolFor: (name: string) => Tolerance,
): string[] {
  const bad: string[] = [];
  for (const [name, w] of want) {
    const g = got.get(name);
    if (!g) {
      bad.push(`${name}: missing`);
      continue;
    }
    const tol = tolFor(name);
    const r = compareArrays(g, w, tol);
    if (r.excess > 0) {
      bad.push(
        `${name}[${r.index}]: got ${r.got}, want ${r.want} (max abs ${r.maxAbs.toExponential(2)}, ` +
          `rtol ${tol.rtol}, atol ${tol.atol})`,
      );
    }
  }
  return bad;
}
