import { powLikeC } from "./_pow.ts";
import { assertCount, assertFinite, assertStep, warmupFraction } from "./_validate.ts";
import type { Schedule, WarmupDecayOptions } from "./schedule.ts";

/** Options of {@linkcode polynomialWithWarmup}. */
export interface PolynomialWithWarmupOptions extends WarmupDecayOptions {
  /** The optimizer's base learning rate (HF reads it from the optimizer); the multiplier depends on it. */
  lrInit: number;
  /** Final learning rate. Default 1e-7. */
  lrEnd?: number;
  /** Power of the decay. Default 1 (linear). */
  power?: number;
}

/**
 * Linear warmup, then polynomial decay from `lrInit` to `lrEnd` at `totalSteps`
 * (and `lrEnd` after): transformers' `get_polynomial_decay_schedule_with_warmup`.
 * Integer powers up to 64 are rounded once, like C's `pow`; other powers go through
 * `Math.pow`, which may differ from C's `pow` in the last bit.
 *
 * @param options Warmup and total steps, the base lr, optional `lrEnd` and `power`.
 * @returns The multiplier of each step.
 * @throws {RangeError} if `lrEnd >= lrInit`, or `totalSteps <= warmupSteps` (transformers divides by zero there).
 *
 * @example
 * ```ts
 * import { polynomialWithWarmup } from "@wpo/scheduler";
 * const lambda = polynomialWithWarmup({ warmupSteps: 0, totalSteps: 10, lrInit: 1, lrEnd: 0, power: 2 });
 * console.assert(lambda(0) === 1 && lambda(5) === 0.25 && lambda(10) === 0);
 * ```
 */
export function polynomialWithWarmup(options: PolynomialWithWarmupOptions): Schedule {
  const { warmupSteps, totalSteps, lrInit, lrEnd = 1e-7, power = 1.0 } = options;
  assertCount(warmupSteps, "polynomialWithWarmup: warmupSteps");
  assertCount(totalSteps, "polynomialWithWarmup: totalSteps");
  assertFinite(lrInit, "polynomialWithWarmup: lrInit");
  assertFinite(lrEnd, "polynomialWithWarmup: lrEnd");
  assertFinite(power, "polynomialWithWarmup: power");
  if (!(lrInit > lrEnd)) {
    throw new RangeError(`polynomialWithWarmup: lrEnd (${lrEnd}) must be smaller than lrInit (${lrInit}).`);
  }
  if (totalSteps <= warmupSteps) {
    throw new RangeError(
      `polynomialWithWarmup: totalSteps (${totalSteps}) must exceed warmupSteps (${warmupSteps}).`,
    );
  }
  return (step) => {
    assertStep(step);
    if (step < warmupSteps) return warmupFraction(step, warmupSteps);
    if (step > totalSteps) return lrEnd / lrInit;
    const pctRemaining = 1 - (step - warmupSteps) / (totalSteps - warmupSteps);
    return ((lrInit - lrEnd) * powLikeC(pctRemaining, power) + lrEnd) / lrInit;
  };
}
