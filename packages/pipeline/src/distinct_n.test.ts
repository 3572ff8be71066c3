import { describe, expect, it } from "vitest";
import { distinctN } from "./distinct_n.ts";

describe("distinctN", () => {
  it("counts distinct word n-grams over all texts", () => {
    expect(distinctN(["the cat sat", "the cat ran"], 2)).toBe(3 / 4);
    expect(distinctN(["Tim. Tim. Tim."], 2)).toBeCloseTo(2 / 5);
    expect(distinctN(["a"], 2)).toBe(0);
    expect(distinctN(["a b c"], 1)).toBe(1);
  });
  it("rejects a bad n", () => {
    expect(() => distinctN(["a"], 0)).toThrow(RangeError);
  });
});
