/**
 * Learning-rate schedules identical to Hugging Face transformers: each is a pure
 * function `(step) => multiplier` (the `lr_lambda` of `LambdaLR`), plus the HF
 * Trainer's step arithmetic (total steps from dataset size, batch, accumulation,
 * devices and epochs; warmup steps from a ratio). No tensors, no dependencies.
 *
 * @example
 * ```ts
 * import { cosineWithWarmup, trainerTotalSteps, warmupStepsFromRatio } from "@wpo/scheduler";
 * const totalSteps = trainerTotalSteps({ datasetSize: 60000, perDeviceBatchSize: 2, gradientAccumulationSteps: 8, devices: 8, epochs: 2 });
 * const schedule = cosineWithWarmup({ warmupSteps: warmupStepsFromRatio(0.1, totalSteps), totalSteps });
 * const lrAtStep10 = 1e-6 * schedule(10);
 * console.assert(totalSteps === 936 && lrAtStep10 > 0);
 * ```
 *
 * @module
 */
export type { Schedule, WarmupDecayOptions } from "./schedule.ts";
export { type CosineWithWarmupOptions, cosineWithWarmup } from "./cosine_with_warmup.ts";
export { type CosineWithHardRestartsOptions, cosineWithHardRestarts } from "./cosine_with_hard_restarts.ts";
export { type LinearWithWarmupOptions, linearWithWarmup } from "./linear_with_warmup.ts";
export { type ConstantWithWarmupOptions, constantWithWarmup } from "./constant_with_warmup.ts";
export { type InverseSqrtOptions, inverseSqrtWithWarmup } from "./inverse_sqrt.ts";
export { type PolynomialWithWarmupOptions, polynomialWithWarmup } from "./polynomial_with_warmup.ts";
export { warmupStepsFromRatio } from "./warmup_steps_from_ratio.ts";
export {
  type TrainerStepOptions,
  type TrainerStepPlan,
  trainerStepPlan,
  trainerTotalSteps,
} from "./trainer_total_steps.ts";
export {
  getScheduler,
  listSchedulers,
  registerScheduler,
  type SchedulerFactory,
  type SchedulerOptions,
} from "./get_scheduler.ts";
