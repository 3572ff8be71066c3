/**
 * Correctly rounded cosine for the schedules. V8's `Math.cos` is within one ulp but
 * differs from glibc's `cos` (what Python's `math.cos` calls) in about 3% of inputs;
 * to reproduce transformers' multipliers bit for bit, the cosine is evaluated in
 * double-double arithmetic (~106 bits) and rounded once to a double.
 *
 * @module
 */

/** A double-double value hi + lo with |lo| <= ulp(hi) / 2. */
type DD = readonly [number, number];

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp split)
/** pi/2 as the sum of three doubles. */
const PIO2_HI = 1.5707963267948966;
const PIO2_MID = 6.123233995736766e-17;
const PIO2_LO = -1.4973849048591698e-33;

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function split(a: number): DD {
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}

function neg(a: DD): DD {
  return [-a[0], -a[1]];
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

/** a / d for a small positive integer d. */
function divInt(a: DD, d: number): DD {
  const q1 = a[0] / d;
  const [p, e] = twoProd(q1, d);
  const rem = (a[0] - p - e + a[1]) / d;
  return quickTwoSum(q1, rem);
}

/** Taylor series of sin (odd = true) or cos around 0, for |r| <= pi/4. */
function series(r: DD, odd: boolean): DD {
  const r2 = mul(r, r);
  let term: DD = odd ? r : [1, 0];
  let sum = term;
  for (let n = odd ? 1 : 0; n < 40; n += 2) {
    term = neg(divInt(mul(term, r2), (n + 1) * (n + 2)));
    sum = add(sum, term);
    if (Math.abs(term[0]) < 1e-40) break;
  }
  return sum;
}

/**
 * cos(x) rounded to the nearest double (agrees with glibc for every tested input).
 *
 * @param x Angle in radians; finite, |x| below about 1e9 (schedules use [0, 2*pi*cycles]).
 * @returns The cosine of x.
 */
export function cosCorrectlyRounded(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  const k = Math.round(x / PIO2_HI);
  let r = add([x, 0], neg(twoProd(k, PIO2_HI)));
  r = add(r, neg(twoProd(k, PIO2_MID)));
  r = add(r, [-k * PIO2_LO, 0]);
  const quadrant = ((k % 4) + 4) % 4;
  const value =
    quadrant === 0
      ? series(r, false)
      : quadrant === 1
        ? neg(series(r, true))
        : quadrant === 2
          ? neg(series(r, false))
          : series(r, true);
  return value[0] + value[1];
}
