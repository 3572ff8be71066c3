import { cosCorrectlyRounded } from "./_cos.ts";
import { assertCount, assertFinite, assertStep, warmupFraction } from "./_validate.ts";
import type { Schedule, WarmupDecayOptions } from "./schedule.ts";

/** Options of {@linkcode cosineWithHardRestarts}. */
export interface CosineWithHardRestartsOptions extends WarmupDecayOptions {
  /** Number of hard restarts (HF `num_cycles`). Default 1. */
  numCycles?: number;
}

/**
 * Linear warmup, then `numCycles` cosine decays from 1 to 0, each restarting at 1:
 * transformers' `get_cosine_with_hard_restarts_schedule_with_warmup` (`cosine_with_restarts`).
 *
 * @param options Warmup and total steps, optional `numCycles`.
 * @returns The multiplier of each step (0 from `totalSteps` on).
 * @throws {RangeError} for negative or fractional step counts.
 *
 * @example
 * ```ts
 * import { cosineWithHardRestarts } from "@wpo/scheduler";
 * const lambda = cosineWithHardRestarts({ warmupSteps: 0, totalSteps: 8, numCycles: 2 });
 * console.assert(lambda(0) === 1 && lambda(4) === 1 && lambda(8) === 0);
 * ```
 */
export function cosineWithHardRestarts(options: CosineWithHardRestartsOptions): Schedule {
  const { warmupSteps, totalSteps, numCycles = 1 } = options;
  assertCount(warmupSteps, "cosineWithHardRestarts: warmupSteps");
  assertCount(totalSteps, "cosineWithHardRestarts: totalSteps");
  assertFinite(numCycles, "cosineWithHardRestarts: numCycles");
  return (step) => {
    assertStep(step);
    if (step < warmupSteps) return warmupFraction(step, warmupSteps);
    const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    if (progress >= 1.0) return 0;
    return Math.max(0, 0.5 * (1.0 + cosCorrectlyRounded(Math.PI * ((numCycles * progress) % 1.0))));
  };
}
