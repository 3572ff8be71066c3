import { describe, expect, it } from "vitest";
import { expectedValue, scheduleCases } from "../test/fixtures.ts";
import { polynomialWithWarmup } from "./polynomial_with_warmup.ts";

describe("polynomialWithWarmup", () => {
  it("equals transformers' lr_lambda exactly for powers 1, 2, 3", () => {
    const cases = scheduleCases("polynomial");
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      const lambda = polynomialWithWarmup(c.options as never);
      c.values.forEach((_, s) => {
        expect(lambda(s), `${JSON.stringify(c.options)} step ${s}`).toBe(expectedValue(c, s));
      });
    }
  });

  it("rejects lrEnd >= lrInit and an empty decay", () => {
    expect(() => polynomialWithWarmup({ warmupSteps: 0, totalSteps: 5, lrInit: 1e-7 })).toThrow(/lrEnd/);
    expect(() => polynomialWithWarmup({ warmupSteps: 5, totalSteps: 5, lrInit: 1 })).toThrow(/must exceed/);
  });
});
