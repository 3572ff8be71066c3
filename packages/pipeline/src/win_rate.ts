/**
 * Win rate of policy A over policy B: per prompt and sample index, A wins (1) if its
 * reward is higher, ties count 1/2; averaged over all comparisons.
 *
 * @param a Rewards of A per prompt.
 * @param b Rewards of B per prompt (same shape).
 * @returns The win rate in [0, 1].
 * @example
 * ```ts
 * import { winRate } from "@wpo/pipeline";
 * console.assert(winRate([[2, 0]], [[1, 0]]) === 0.75);
 * ```
 */
export function winRate(a: number[][], b: number[][]): number {
  let score = 0;
  let n = 0;
  a.forEach((row, i) => {
    row.forEach((ra, j) => {
      const rb = b[i]?.[j];
      if (rb === undefined) return;
      score += ra > rb ? 1 : ra === rb ? 0.5 : 0;
      n += 1;
    });
  });
  return n === 0 ? Number.NaN : score / n;
}
