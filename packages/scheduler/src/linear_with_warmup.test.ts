import { describe, expect, it } from "vitest";
import { expectedValue, scheduleCases } from "../test/fixtures.ts";
import { linearWithWarmup } from "./linear_with_warmup.ts";

describe("linearWithWarmup", () => {
  it("equals transformers' lr_lambda exactly", () => {
    for (const c of scheduleCases("linear")) {
      const lambda = linearWithWarmup(c.options as never);
      c.values.forEach((_, s) => {
        expect(lambda(s), `${JSON.stringify(c.options)} step ${s}`).toBe(expectedValue(c, s));
      });
    }
  });

  it("rejects negative totals", () => {
    expect(() => linearWithWarmup({ warmupSteps: 0, totalSteps: -2 })).toThrow(/totalSteps/);
  });
});
