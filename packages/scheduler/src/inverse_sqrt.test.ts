import { describe, expect, it } from "vitest";
import { expectedValue, scheduleCases } from "../test/fixtures.ts";
import { inverseSqrtWithWarmup } from "./inverse_sqrt.ts";

describe("inverseSqrtWithWarmup", () => {
  it("equals transformers' lr_lambda exactly", () => {
    const cases = scheduleCases("inverse_sqrt");
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      const lambda = inverseSqrtWithWarmup(c.options);
      c.values.forEach((_, s) => {
        expect(lambda(s), `${JSON.stringify(c.options)} step ${s}`).toBe(expectedValue(c, s));
      });
    }
  });

  it("rejects a zero timescale", () => {
    expect(() => inverseSqrtWithWarmup({ timescale: 0 })).toThrow(/timescale must be > 0/);
  });
});
