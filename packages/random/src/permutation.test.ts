import { describe, expect, it } from "vitest";
import { permutation } from "./permutation.ts";
import { SeededRng } from "./seeded_rng.ts";

describe("permutation", () => {
  it("is a seeded Fisher–Yates permutation", () => {
    const a = permutation(10, new SeededRng(3).asFunction());
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(permutation(10, new SeededRng(3).asFunction())).toEqual(a);
    expect(permutation(10, new SeededRng(4).asFunction())).not.toEqual(a);
    expect(permutation(0, Math.random)).toEqual([]);
    expect(permutation(3, () => 0.999)).toEqual([0, 1, 2]);
    expect(() => permutation(-1, Math.random)).toThrow(RangeError);
  });

  it("pins the stream so data orders never change silently", () => {
    const r = new SeededRng(42);
    expect([r.nextUint32(), r.nextUint32()]).toEqual([2581720956, 1925393290]);
  });
});
