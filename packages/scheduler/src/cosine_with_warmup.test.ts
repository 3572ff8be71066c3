import { describe, expect, it } from "vitest";
import { expectedValue, scheduleCases } from "../test/fixtures.ts";
import { cosineWithWarmup } from "./cosine_with_warmup.ts";

describe("cosineWithWarmup", () => {
  it("equals transformers' lr_lambda exactly on every reference table", () => {
    const cases = scheduleCases("cosine");
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const lambda = cosineWithWarmup(c.options as never);
      c.values.forEach((_, s) => {
        expect(lambda(s), `${JSON.stringify(c.options)} step ${s}`).toBe(expectedValue(c, s));
      });
    }
  });

  it("has the WPO schedule's landmarks (936 steps, 94 warmup)", () => {
    const lambda = cosineWithWarmup({ warmupSteps: 94, totalSteps: 936 });
    expect([lambda(0), lambda(1), lambda(94), lambda(936), lambda(1000)]).toEqual([
      0,
      1 / 94,
      1,
      0,
      expect.any(Number),
    ]);
    expect(lambda(515)).toBe(0.5);
  });

  it("rejects bad options and steps with the option's name", () => {
    expect(() => cosineWithWarmup({ warmupSteps: -1, totalSteps: 3 })).toThrow(
      /warmupSteps must be an integer >= 0/,
    );
    expect(() => cosineWithWarmup({ warmupSteps: 1, totalSteps: 1.5 })).toThrow(RangeError);
    expect(() => cosineWithWarmup({ warmupSteps: 1, totalSteps: "3" as never })).toThrow(TypeError);
    expect(() => cosineWithWarmup({ warmupSteps: 1, totalSteps: 3, minLrRate: 2 })).toThrow(/minLrRate/);
    expect(() => cosineWithWarmup({ warmupSteps: 1, totalSteps: 3 })(-1)).toThrow(/step must be an integer/);
  });
});
