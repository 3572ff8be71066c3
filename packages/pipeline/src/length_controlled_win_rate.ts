/** Inputs of {@linkcode lengthControlledWinRate}: per instruction, the judge's preference and both lengths. */
export interface JudgedPair {
  /** Probability-like preference for the model over the reference, in [0, 1] (1 = model wins). */
  preference: number;
  /** Length of the model's output (characters). */
  modelLength: number;
  /** Length of the reference output. */
  referenceLength: number;
}

/** Raw and length-controlled win rates, in percent as AlpacaEval reports them. */
export interface WinRates {
  /** Mean preference x 100. */
  winRate: number;
  /** The win rate with the fitted length effect removed, x 100. */
  lengthControlledWinRate: number;
  /** Fitted model bias and length coefficient of the logistic model. */
  fit: { bias: number; length: number };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * AlpacaEval 2's length control, as a local proxy: fits the logistic model
 * `P(model wins) = sigmoid(bias + length * tanh((len_model - len_ref) / std(len_model - len_ref)))` to the judge's
 * preferences (cross-entropy with soft labels, Newton steps, a small L2 penalty), then reports the win rate with the
 * length term set to zero, `100 * sigmoid(bias)`. AlpacaEval also has a per-instruction difficulty term fitted on
 * its leaderboard's models; with one model and one judge here it is left out.
 *
 * @param pairs Preferences and lengths per instruction.
 * @param options `l2` penalty (default 1e-3) and Newton `iterations` (default 50).
 * @returns Win rate and length-controlled win rate (percent) and the fit.
 * @example
 * ```ts
 * import { lengthControlledWinRate } from "@wpo/pipeline";
 * // the model wins only where it is longer: length control pulls its win rate down towards 50
 * const pairs = [1, 1, 1, 0, 0, 1, 1, 0].map((p, i) => ({ preference: p, modelLength: p ? 200 + i : 90 + i, referenceLength: 100 }));
 * const r = lengthControlledWinRate(pairs);
 * console.assert(r.winRate === 62.5 && r.lengthControlledWinRate < r.winRate && r.fit.length > 0);
 * ```
 */
export function lengthControlledWinRate(
  pairs: readonly JudgedPair[],
  options: { l2?: number; iterations?: number } = {},
): WinRates {
  const n = pairs.length;
  if (n === 0) throw new RangeError("lengthControlledWinRate: no judged pairs.");
  const diffs = pairs.map((p) => p.modelLength - p.referenceLength);
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / n) || 1;
  const x = diffs.map((d) => Math.tanh(d / std));
  const y = pairs.map((p) => Math.min(1, Math.max(0, p.preference)));
  const l2 = options.l2 ?? 1e-3;
  let b = 0;
  let w = 0;
  for (let it = 0; it < (options.iterations ?? 50); it++) {
    let gb = l2 * b;
    let gw = l2 * w;
    let hbb = l2;
    let hbw = 0;
    let hww = l2;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(b + w * x[i]!);
      const r = (p - y[i]!) / n;
      const s = (p * (1 - p)) / n;
      gb += r;
      gw += r * x[i]!;
      hbb += s;
      hbw += s * x[i]!;
      hww += s * x[i]! * x[i]!;
    }
    const det = hbb * hww - hbw * hbw;
    if (!(Math.abs(det) > 1e-12)) break;
    b -= (hww * gb - hbw * gw) / det;
    w -= (hbb * gw - hbw * gb) / det;
  }
  return {
    winRate: (100 * y.reduce((a, v) => a + v, 0)) / n,
    lengthControlledWinRate: 100 * sigmoid(b),
    fit: { bias: b, length: w },
  };
}
