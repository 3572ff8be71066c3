import { assertCount, assertFinite } from "./_validate.ts";

/**
 * Warmup steps from a warmup ratio as HF `TrainingArguments.get_warmup_steps` does:
 * `ceil(totalSteps * ratio)` in double precision (so 936 x 0.1 = 93.60000000000001 gives 94).
 *
 * @param ratio Fraction of the total steps used for warmup, in [0, 1].
 * @param totalSteps Total optimizer steps (integer >= 0).
 * @returns The number of warmup steps.
 * @throws {RangeError} for a ratio outside [0, 1] or an invalid step count.
 *
 * @example
 * ```ts
 * import { warmupStepsFromRatio } from "@wpo/scheduler";
 * console.assert(warmupStepsFromRatio(0.1, 936) === 94 && warmupStepsFromRatio(0.1, 10) === 1);
 * ```
 */
export function warmupStepsFromRatio(ratio: number, totalSteps: number): number {
  assertFinite(ratio, "warmupStepsFromRatio: ratio");
  if (ratio < 0 || ratio > 1)
    throw new RangeError(`warmupStepsFromRatio: ratio must be in [0, 1], got ${ratio}.`);
  assertCount(totalSteps, "warmupStepsFromRatio: totalSteps");
  return Math.ceil(totalSteps * ratio);
}
