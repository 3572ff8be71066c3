import { describe, expect, it } from "vitest";
import { readFixture } from "../test/fixtures.ts";
import { warmupStepsFromRatio } from "./warmup_steps_from_ratio.ts";

describe("warmupStepsFromRatio", () => {
  it("rounds up like HF get_warmup_steps, on every reference row", () => {
    const rows =
      readFixture<{ warmupRatio: number; totalSteps: number; warmupSteps: number }[]>("trainer_steps.json");
    for (const r of rows) expect(warmupStepsFromRatio(r.warmupRatio, r.totalSteps)).toBe(r.warmupSteps);
    expect(warmupStepsFromRatio(0.1, 936)).toBe(94);
    expect(warmupStepsFromRatio(0, 936)).toBe(0);
  });

  it("rejects ratios outside [0, 1]", () => {
    expect(() => warmupStepsFromRatio(1.5, 10)).toThrow(/ratio must be in \[0, 1\]/);
    expect(() => warmupStepsFromRatio(Number.NaN, 10)).toThrow(TypeError);
  });
});
