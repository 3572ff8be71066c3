/**
 * The BPE merge loop shared by the tokenizer.json BPE model and the llama2.c model: repeatedly
 * merge the adjacent pair with the best (lowest) rank, leftmost first among equal ranks.
 */
import type { PairTable } from "./_pair_table.ts";

/** Symbol count above which the heap-based loop is used. */
export const HEAP_THRESHOLD = 48;

/**
 * Merges `ids` in place (naive scan for short words, a heap for long ones) and returns it.
 *
 * @param ids Initial symbol ids.
 * @param table The model's pair table.
 * @param threshold Length above which the heap loop runs (tests use it to compare the two).
 * @returns The merged ids.
 */
export function mergeSymbols(ids: number[], table: PairTable, threshold = HEAP_THRESHOLD): number[] {
  return ids.length > threshold ? mergeWithHeap(ids, table) : mergeByScan(ids, table);
}

function mergeByScan(ids: number[], table: PairTable): number[] {
  let n = ids.length;
  while (n > 1) {
    let best = 0x7fffffff;
    let bestAt = -1;
    let left = ids[0]!;
    for (let i = 0; i < n - 1; i++) {
      const right = ids[i + 1]!;
      const rank = table.rank(left, right);
      if (rank >= 0 && rank < best) {
        best = rank;
        bestAt = i;
      }
      left = right;
    }
    if (bestAt < 0) break;
    ids[bestAt] = table.merged(ids[bestAt]!, ids[bestAt + 1]!);
    ids.splice(bestAt + 1, 1);
    n--;
  }
  return ids;
}

// Heap entries pack rank * POS_SPACE + position, so the smallest entry is the best rank, leftmost.
const POS_SPACE = 2 ** 24;

function mergeWithHeap(input: number[], table: PairTable): number[] {
  const n = input.length;
  if (n >= POS_SPACE) throw new RangeError(`Cannot merge a word of ${n} symbols (limit ${POS_SPACE - 1}).`);
  const id = Int32Array.from(input);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const alive = new Uint8Array(n).fill(1);
  const heap: number[] = [];
  const rankAt = (i: number): number => {
    const j = next[i]!;
    return j < 0 ? -1 : table.rank(id[i]!, id[j]!);
  };
  const pushPair = (i: number) => {
    const r = rankAt(i);
    if (r >= 0) heapPush(heap, r * POS_SPACE + i);
  };
  for (let i = 0; i < n - 1; i++) pushPair(i);
  while (heap.length > 0) {
    const top = heapPop(heap);
    const rank = Math.floor(top / POS_SPACE);
    const i = top % POS_SPACE;
    if (!alive[i] || rankAt(i) !== rank) continue; // stale entry
    const j = next[i]!;
    id[i] = table.merged(id[i]!, id[j]!);
    alive[j] = 0;
    next[i] = next[j]!;
    if (next[j]! >= 0) prev[next[j]!] = i;
    if (prev[i]! >= 0) pushPair(prev[i]!);
    pushPair(i);
  }
  const out: number[] = [];
  for (let i = 0; i >= 0; i = next[i]!) out.push(id[i]!);
  return out;
}

function heapPush(heap: number[], value: number): void {
  let i = heap.length;
  heap.push(value);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): number {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    let i = 0;
    const n = heap.length;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && heap[r]! < heap[l]! ? r : l;
      if (heap[c]! >= last) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
  return top;
}
