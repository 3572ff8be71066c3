/**
 * Diversity of a set of texts: distinct-n, the number of distinct word n-grams
 * divided by the total number of word n-grams over all texts (Li et al., 2016).
 * 1 means no n-gram repeats; values near 0 mean the texts repeat themselves.
 *
 * @param texts The texts (e.g. completions of a policy).
 * @param n The n-gram length. Default 2.
 * @returns distinct-n in [0, 1] (0 when there are no n-grams).
 * @example
 * ```ts
 * import { distinctN } from "@wpo/pipeline";
 * console.assert(distinctN(["a b a b"], 2) === 2 / 3);
 * ```
 */
export function distinctN(texts: readonly string[], n = 2): number {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`distinctN: n must be a positive integer, got ${n}.`);
  const seen = new Set<string>();
  let total = 0;
  for (const text of texts) {
    const words = text.toLowerCase().match(/[a-z0-9']+|[^\sa-z0-9']/g) ?? [];
    for (let i = 0; i + n <= words.length; i++) {
      seen.add(words.slice(i, i + n).join(" "));
      total += 1;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}
