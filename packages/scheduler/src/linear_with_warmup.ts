import { assertCount, assertStep, warmupFraction } from "./_validate.ts";
import type { Schedule, WarmupDecayOptions } from "./schedule.ts";

/** Options of {@linkcode linearWithWarmup}. */
export type LinearWithWarmupOptions = WarmupDecayOptions;

/**
 * Linear warmup from 0 to 1, then linear decay to 0 at `totalSteps`:
 * transformers' `get_linear_schedule_with_warmup` (the Trainer's default `linear`).
 *
 * @param options Warmup and total steps.
 * @returns The multiplier of each step.
 * @throws {RangeError} for negative or fractional step counts.
 *
 * @example
 * ```ts
 * import { linearWithWarmup } from "@wpo/scheduler";
 * const lambda = linearWithWarmup({ warmupSteps: 2, totalSteps: 10 });
 * console.assert(lambda(1) === 0.5 && lambda(2) === 1 && lambda(6) === 0.5 && lambda(12) === 0);
 * ```
 */
export function linearWithWarmup(options: LinearWithWarmupOptions): Schedule {
  const { warmupSteps, totalSteps } = options;
  assertCount(warmupSteps, "linearWithWarmup: warmupSteps");
  assertCount(totalSteps, "linearWithWarmup: totalSteps");
  return (step) => {
    assertStep(step);
    if (step < warmupSteps) return warmupFraction(step, warmupSteps);
    return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  };
}
