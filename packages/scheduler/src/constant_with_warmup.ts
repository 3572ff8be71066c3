import { assertCount, assertStep, warmupFraction } from "./_validate.ts";
import type { Schedule } from "./schedule.ts";

/** Options of {@linkcode constantWithWarmup}. */
export interface ConstantWithWarmupOptions {
  /** Steps of linear warmup from 0 (HF `num_warmup_steps`). Default 0: the constant schedule. */
  warmupSteps?: number;
  /** Accepted for a uniform signature with the decaying schedules; unused. */
  totalSteps?: number;
}

/**
 * Linear warmup from 0 to 1, then 1 forever: transformers'
 * `get_constant_schedule_with_warmup`; with `warmupSteps` 0 (the default) it is
 * `get_constant_schedule` (the multiplier is always 1).
 *
 * @param options Optional warmup steps.
 * @returns The multiplier of each step.
 * @throws {RangeError} for a negative or fractional step count.
 *
 * @example
 * ```ts
 * import { constantWithWarmup } from "@wpo/scheduler";
 * const lambda = constantWithWarmup({ warmupSteps: 4 });
 * console.assert(lambda(1) === 0.25 && lambda(4) === 1 && lambda(1000) === 1);
 * ```
 */
export function constantWithWarmup(options: ConstantWithWarmupOptions = {}): Schedule {
  const { warmupSteps = 0 } = options;
  assertCount(warmupSteps, "constantWithWarmup: warmupSteps");
  return (step) => {
    assertStep(step);
    return step < warmupSteps ? warmupFraction(step, warmupSteps) : 1;
  };
}
