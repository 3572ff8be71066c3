import { describe, expect, it } from "vitest";
import { mergeSymbols } from "./_merge.ts";
import { PairTable } from "./_pair_table.ts";
import { seededRandom } from "../test/support.ts";

describe("mergeSymbols", () => {
  it("heap and scan loops agree on random words and random merge tables", () => {
    const rand = seededRandom(1);
    for (let trial = 0; trial < 50; trial++) {
      // Symbols 0..3 are the alphabet; each new merge creates id 4, 5, ...
      const table = new PairTable(64);
      let next = 4;
      for (let r = 0; r < 30; r++) {
        const a = Math.floor(rand() * next);
        const b = Math.floor(rand() * next);
        table.add(a, b, r, next++);
      }
      const word = Array.from({ length: 1 + Math.floor(rand() * 120) }, () => Math.floor(rand() * 4));
      expect(mergeSymbols([...word], table, 1_000_000)).toEqual(mergeSymbols([...word], table, 0));
    }
  });

  it("merges leftmost first among equal ranks", () => {
    const table = new PairTable(4);
    table.add(0, 0, 0, 1);
    expect(mergeSymbols([0, 0, 0], table)).toEqual([1, 0]);
    expect(mergeSymbols([0, 0, 0], table, 0)).toEqual([1, 0]);
  });
});
