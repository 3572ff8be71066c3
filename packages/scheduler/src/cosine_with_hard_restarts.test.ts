import { describe, expect, it } from "vitest";
import { expectedValue, scheduleCases } from "../test/fixtures.ts";
import { cosineWithHardRestarts } from "./cosine_with_hard_restarts.ts";

describe("cosineWithHardRestarts", () => {
  it("equals transformers' lr_lambda exactly", () => {
    const cases = scheduleCases("cosine_with_restarts");
    expect(cases.length).toBe(3);
    for (const c of cases) {
      const lambda = cosineWithHardRestarts(c.options as never);
      c.values.forEach((_, s) => {
        expect(lambda(s), `step ${s}`).toBe(expectedValue(c, s));
      });
    }
  });

  it("rejects a fractional warmup", () => {
    expect(() => cosineWithHardRestarts({ warmupSteps: 0.5, totalSteps: 3 })).toThrow(RangeError);
  });
});
