import { describe, expect, it } from "vitest";
import { expectedValue, scheduleCases } from "../test/fixtures.ts";
import { constantWithWarmup } from "./constant_with_warmup.ts";

describe("constantWithWarmup", () => {
  it("equals transformers' constant_with_warmup and constant exactly", () => {
    for (const c of scheduleCases("constant_with_warmup")) {
      const lambda = constantWithWarmup(c.options);
      c.values.forEach((_, s) => {
        expect(lambda(s)).toBe(expectedValue(c, s));
      });
    }
    for (const c of scheduleCases("constant")) {
      const lambda = constantWithWarmup();
      c.values.forEach((_, s) => {
        expect(lambda(s)).toBe(expectedValue(c, s));
      });
    }
  });

  it("rejects a fractional step", () => {
    expect(() => constantWithWarmup()(0.5)).toThrow(RangeError);
  });
});
