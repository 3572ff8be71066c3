import { assertCount, assertStep, warmupFraction } from "./_validate.ts";
import type { Schedule } from "./schedule.ts";

/** Options of {@linkcode inverseSqrtWithWarmup}. */
export interface InverseSqrtOptions {
  /** Steps of linear warmup from 0. Default 0. */
  warmupSteps?: number;
  /** Decay timescale. Default `warmupSteps`, or 10000 when there is no warmup (as transformers). */
  timescale?: number;
  /** Accepted for a uniform signature; unused. */
  totalSteps?: number;
}

/**
 * Linear warmup, then `1 / sqrt((step + timescale - warmupSteps) / timescale)`:
 * transformers' `get_inverse_sqrt_schedule`.
 *
 * @param options Optional warmup steps and timescale.
 * @returns The multiplier of each step.
 * @throws {RangeError} for negative or fractional counts, or a zero timescale.
 *
 * @example
 * ```ts
 * import { inverseSqrtWithWarmup } from "@wpo/scheduler";
 * const lambda = inverseSqrtWithWarmup({ warmupSteps: 4 });
 * console.assert(lambda(4) === 1 && lambda(16) === 0.5);
 * ```
 */
export function inverseSqrtWithWarmup(options: InverseSqrtOptions = {}): Schedule {
  const { warmupSteps = 0 } = options;
  assertCount(warmupSteps, "inverseSqrtWithWarmup: warmupSteps");
  const timescale = options.timescale ?? (warmupSteps || 10_000);
  assertCount(timescale, "inverseSqrtWithWarmup: timescale");
  if (timescale === 0) throw new RangeError("inverseSqrtWithWarmup: timescale must be > 0, got 0.");
  return (step) => {
    assertStep(step);
    if (step < warmupSteps) return warmupFraction(step, warmupSteps);
    const shift = timescale - warmupSteps;
    return 1.0 / Math.sqrt((step + shift) / timescale);
  };
}
