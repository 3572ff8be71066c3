import { cosCorrectlyRounded } from "./_cos.ts";
import { assertCount, assertFinite, assertStep, warmupFraction } from "./_validate.ts";
import type { Schedule, WarmupDecayOptions } from "./schedule.ts";

/** Options of {@linkcode cosineWithWarmup}. */
export interface CosineWithWarmupOptions extends WarmupDecayOptions {
  /** Number of cosine waves over the decay (HF `num_cycles`). Default 0.5: from 1 down to 0 once. */
  numCycles?: number;
  /** Floor as a fraction of the base lr (HF `min_lr_rate`, the `cosine_with_min_lr` schedule). Default 0. */
  minLrRate?: number;
}

/**
 * Linear warmup from 0 to 1 over `warmupSteps`, then a cosine decay to 0 at
 * `totalSteps`: transformers' `get_cosine_schedule_with_warmup` (`lr_lambda`),
 * reproduced with the same double-precision operations in the same order. The cosine
 * is correctly rounded, which agrees with glibc's `math.cos` except in rare last-bit
 * cases where glibc itself is off by one ulp.
 *
 * @param options Warmup and total steps, optional `numCycles` and `minLrRate`.
 * @returns The multiplier of each step.
 * @throws {RangeError} for negative or fractional step counts, or a `minLrRate` outside [0, 1].
 *
 * @example
 * ```ts
 * import { cosineWithWarmup } from "@wpo/scheduler";
 * const lambda = cosineWithWarmup({ warmupSteps: 94, totalSteps: 936 });
 * console.assert(lambda(0) === 0 && lambda(47) === 0.5 && lambda(94) === 1 && lambda(936) === 0);
 * ```
 */
export function cosineWithWarmup(options: CosineWithWarmupOptions): Schedule {
  const { warmupSteps, totalSteps, numCycles = 0.5, minLrRate = 0 } = options;
  assertCount(warmupSteps, "cosineWithWarmup: warmupSteps");
  assertCount(totalSteps, "cosineWithWarmup: totalSteps");
  assertFinite(numCycles, "cosineWithWarmup: numCycles");
  assertFinite(minLrRate, "cosineWithWarmup: minLrRate");
  if (minLrRate < 0 || minLrRate > 1) {
    throw new RangeError(`cosineWithWarmup: minLrRate must be in [0, 1], got ${minLrRate}.`);
  }
  return (step) => {
    assertStep(step);
    if (step < warmupSteps) return warmupFraction(step, warmupSteps);
    const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    const factor = 0.5 * (1.0 + cosCorrectlyRounded(Math.PI * numCycles * 2.0 * progress));
    if (minLrRate === 0) return Math.max(0, factor);
    return Math.max(0, factor * (1 - minLrRate) + minLrRate);
  };
}
