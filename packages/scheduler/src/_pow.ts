/**
 * `base ** power` as C's `pow` gives it: for small integer powers the product is
 * formed in double-double arithmetic and rounded once (glibc's pow is accurate to
 * about half an ulp, V8's `**` is not for power 3 and up); other powers fall back to
 * `Math.pow`.
 *
 * @module
 */

const SPLITTER = 134217729;

function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/**
 * base raised to power, correctly rounded for integer powers 0..64.
 *
 * @param base The base.
 * @param power The exponent.
 * @returns base ** power.
 */
export function powLikeC(base: number, power: number): number {
  if (!Number.isInteger(power) || power < 0 || power > 64 || !Number.isFinite(base)) return base ** power;
  let hi = 1;
  let lo = 0;
  for (let i = 0; i < power; i++) {
    const [p, e] = twoProd(hi, base);
    const err = e + lo * base;
    hi = p + err;
    lo = err - (hi - p);
  }
  return hi + lo;
}
