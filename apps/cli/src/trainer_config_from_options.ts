import type { TrainerConfig } from "@wpo/trainer";
import { lossFlags } from "./loss_flags.ts";
import type { TrainOptions } from "./train_options.ts";

/**
 * Maps `wpo train` options (TRL snake_case names) to the trainer's config.
 *
 * @param o Resolved options.
 * @returns The trainer config.
 * @example
 * ```ts
 * import { resolveTrainOptions, trainerConfigFromOptions } from "@wpo/cli";
 * console.assert(trainerConfigFromOptions(resolveTrainOptions({ beta: 0.5 })).lossOptions?.beta === 0.5);
 * ```
 */
export function trainerConfigFromOptions(o: TrainOptions): Partial<TrainerConfig> {
  const n = (k: string) => o[k] as number;
  const { lossType, lossWeights, lossOptions } = lossFlags(o);
  return {
    lossType,
    lossWeights,
    lossOptions,
    useWeighting: o.use_weighting as boolean,
    wpoAlignment: o.wpo_alignment as TrainerConfig["wpoAlignment"],
    wpoClamp: o.wpo_clamp as boolean,
    referenceMode: o.reference_free ? "none" : o.precompute_ref_log_probs ? "precomputed" : "live",
    learningRate: n("learning_rate"),
    lrSchedulerType: o.lr_scheduler_type as string,
    warmupRatio: n("warmup_ratio"),
    warmupSteps: n("warmup_steps"),
    numTrainEpochs: n("num_train_epochs"),
    maxSteps: n("max_steps"),
    perDeviceTrainBatchSize: n("per_device_train_batch_size"),
    perDeviceEvalBatchSize: n("per_device_eval_batch_size"),
    gradientAccumulationSteps: n("gradient_accumulation_steps"),
    maxGradNorm: n("max_grad_norm"),
    weightDecay: n("weight_decay"),
    adamBeta1: n("adam_beta1"),
    adamBeta2: n("adam_beta2"),
    adamEpsilon: n("adam_epsilon"),
    seed: n("seed"),
    loggingSteps: n("logging_steps"),
    metricsReadEvery: n("metrics_read_every"),
    gradientCheckpointing: o.gradient_checkpointing as boolean,
    evalSteps: n("eval_steps"),
    evalOnStart: o.eval_on_start as boolean,
    saveSteps: n("save_steps"),
  };
}
