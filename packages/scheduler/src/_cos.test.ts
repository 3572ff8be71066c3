import { describe, expect, it } from "vitest";
import { cosCorrectlyRounded } from "./_cos.ts";
import { readFixture } from "../test/fixtures.ts";

const triples = readFixture<[number, number, number][]>("cos.json");

function ulpDistance(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Number(view.getBigInt64(0) - view.getBigInt64(8));
}

describe("cosCorrectlyRounded", () => {
  it("equals the correctly rounded cosine (70-digit Python Decimal) bit for bit", () => {
    const wrong = triples.filter(([x, , exact]) => !Object.is(cosCorrectlyRounded(x), exact));
    expect(wrong).toEqual([]);
  });

  it("differs from glibc's math.cos only where glibc is off by one ulp, and rarely", () => {
    const differing = triples.filter(([x, glibc]) => !Object.is(cosCorrectlyRounded(x), glibc));
    for (const [x, glibc] of differing) expect(Math.abs(ulpDistance(cosCorrectlyRounded(x), glibc))).toBe(1);
    expect(differing.length).toBeLessThan(triples.length / 100);
  });

  it("returns NaN for non-finite input", () => {
    expect(cosCorrectlyRounded(Number.POSITIVE_INFINITY)).toBeNaN();
  });
});
