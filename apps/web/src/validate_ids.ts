/**
 * Checks token ids on the CPU before they reach the GPU: WebGPU's gather does not
 * bounds-check, so an id ≥ vocabSize would silently read another row (or garbage).
 *
 * @param ids Token ids (flat).
 * @param options The vocabulary size, an id that is allowed anyway (label padding), and where the ids came from.
 * @throws {RangeError} naming the first bad id, its position and where it came from.
 *
 * @example
 * ```ts
 * import { assertTokenIds } from "./validate_ids.ts";
 * assertTokenIds(new Int32Array([0, 5, 511]), { vocabSize: 512, where: "batch 0" });
 * let threw = false;
 * try { assertTokenIds([512], { vocabSize: 512, where: "batch 0" }); } catch { threw = true; }
 * console.assert(threw);
 * ```
 */
export function assertTokenIds(
  ids: ArrayLike<number>,
  options: { vocabSize: number; where: string; allow?: number },
): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === options.allow) continue;
    if (!Number.isInteger(id) || id < 0 || id >= options.vocabSize) {
      throw new RangeError(
        `${options.where}: token id ${id} at position ${i} is outside the vocabulary [0, ${options.vocabSize}); ` +
          "the tokenizer and the model do not match.",
      );
    }
  }
}
