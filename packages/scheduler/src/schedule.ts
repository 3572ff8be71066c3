/**
 * The schedule contract: a pure function from the optimizer step (0-based, the
 * number of updates already made) to the learning-rate multiplier, like the
 * `lr_lambda` given to PyTorch's `LambdaLR` by transformers. The learning rate of
 * update `s` is `baseLr * schedule(s)`.
 *
 * @example
 * ```ts
 * import { type Schedule, cosineWithWarmup } from "@wpo/scheduler";
 * const schedule: Schedule = cosineWithWarmup({ warmupSteps: 2, totalSteps: 10 });
 * console.assert(schedule(0) === 0 && schedule(2) === 1);
 * ```
 *
 * @module
 */

/** Learning-rate multiplier of optimizer step `step` (an integer >= 0). */
export type Schedule = (step: number) => number;

/** Options shared by the schedules that warm up and then decay over a fixed number of steps. */
export interface WarmupDecayOptions {
  /** Steps of linear warmup from 0 (HF `num_warmup_steps`). Integer >= 0. */
  warmupSteps: number;
  /** Total optimizer steps (HF `num_training_steps`). Integer >= 0. */
  totalSteps: number;
}
