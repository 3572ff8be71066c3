import { describe, expect, it } from "vitest";
import { expectedValue, readFixture, type ScheduleCase } from "../test/fixtures.ts";
import { getScheduler, listSchedulers, registerScheduler } from "./get_scheduler.ts";

describe("getScheduler", () => {
  it("builds every reference table by its transformers name", () => {
    for (const c of readFixture<ScheduleCase[]>("schedules.json")) {
      const name = c.name === "cosine" && c.options.minLrRate ? "cosine_with_min_lr" : c.name;
      const lambda = getScheduler(name, c.options);
      c.values.forEach((_, s) => {
        expect(lambda(s), `${name} ${JSON.stringify(c.options)} ${s}`).toBe(expectedValue(c, s));
      });
    }
  });

  it("takes warmup steps over the ratio, as HF", () => {
    expect(getScheduler("linear", { totalSteps: 10, warmupRatio: 0.5 })(4)).toBe(0.8);
    expect(getScheduler("linear", { totalSteps: 10, warmupRatio: 0.5, warmupSteps: 2 })(1)).toBe(0.5);
  });

  it("lists, registers and rejects names", () => {
    expect(listSchedulers()).toEqual(
      expect.arrayContaining(["linear", "cosine", "constant", "constant_with_warmup"]),
    );
    registerScheduler("test_half", () => () => 0.5);
    expect(getScheduler("test_half")(3)).toBe(0.5);
    expect(() => registerScheduler("cosine", () => () => 1)).toThrow(/already exists/);
    expect(() => getScheduler("cosne")).toThrow(/unknown schedule 'cosne'; known: linear, cosine/);
    expect(() => getScheduler("polynomial", { totalSteps: 3 })).toThrow(/lrInit is required/);
  });
});
