/**
 * A Fisher–Yates permutation of 0..n-1: for i = n-1 down to 1, swap i with floor(random() · (i + 1)). With a
 * `SeededRng` it is reproducible on every platform (the trainer's per-epoch data order).
 *
 * @param n Number of items (integer >= 0).
 * @param random Floats in [0, 1), e.g. `new SeededRng(seed).asFunction()`.
 * @returns The permuted indices.
 * @throws {RangeError} when `n` is not a non-negative integer.
 * @example
 * ```ts
 * import { permutation, SeededRng } from "@wpo/random";
 * const order = permutation(5, new SeededRng(1).asFunction());
 * console.assert([...order].sort().join() === "0,1,2,3,4");
 * ```
 */
export function permutation(n: number, random: () => number): number[] {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`permutation: n must be an integer >= 0, got ${n}.`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}
