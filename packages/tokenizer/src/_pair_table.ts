/**
 * Open-addressing hash table from a token pair (left, right) to its merge: rank (lower merges
 * first) and merged id. Typed arrays keep lookups allocation-free and the build fast for the
 * 280k merges of Llama 3.
 */
export class PairTable {
  readonly #left: Int32Array;
  readonly #right: Int32Array;
  readonly #rank: Int32Array;
  readonly #merged: Int32Array;
  readonly #mask: number;
  #count = 0;

  /** @param capacity Expected number of pairs. */
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.#mask = size - 1;
    this.#left = new Int32Array(size).fill(-1);
    this.#right = new Int32Array(size);
    this.#rank = new Int32Array(size);
    this.#merged = new Int32Array(size);
  }

  /** Number of pairs stored. */
  get size(): number {
    return this.#count;
  }

  #slot(a: number, b: number): number {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & this.#mask;
    const left = this.#left;
    while (left[h] !== -1 && (left[h] !== a || this.#right[h] !== b)) h = (h + 1) & this.#mask;
    return h;
  }

  /** Adds a pair unless it is already present (the first, best-ranked entry wins). */
  add(a: number, b: number, rank: number, merged: number): void {
    const h = this.#slot(a, b);
    if (this.#left[h] !== -1) return;
    if (this.#count * 2 >= this.#mask)
      throw new RangeError("PairTable is full; construct it with a larger capacity.");
    this.#left[h] = a;
    this.#right[h] = b;
    this.#rank[h] = rank;
    this.#merged[h] = merged;
    this.#count++;
  }

  /** Rank of the pair, or -1 when the pair does not merge. */
  rank(a: number, b: number): number {
    const h = this.#slot(a, b);
    return this.#left[h] === -1 ? -1 : this.#rank[h]!;
  }

  /** Merged id of a pair known to merge. */
  merged(a: number, b: number): number {
    return this.#merged[this.#slot(a, b)]!;
  }
}
