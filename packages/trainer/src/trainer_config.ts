import type { PreferenceLossOptions } from "@wpo/losses";

/**
 * Settings of a WPO training run: TRL DPOConfig / HF TrainingArguments names in camelCase,
 * with their defaults (TRL 0.9.6 / transformers) unless noted.
 */
export interface TrainerConfig {
  /** β of the loss. Default undefined: the loss's own published default (0.1 for DPO, 2.0 for SimPO, ...). */
  beta: number | undefined;
  /**
   * Pairwise loss name for `getLoss` (`sigmoid`, `ipo`, `simpo`, ...), or several separated by commas for a
   * mixture (TRL's `loss_type=[...]`, e.g. `sigmoid,sft` = RPO) weighted by `lossWeights`. Default `sigmoid`.
   */
  lossType: string;
  /** Weights of the terms of a mixture `lossType`, one per name (TRL's `loss_weights`). Default: all 1. */
  lossWeights: number[] | undefined;
  /**
   * Every other option of the loss, in the loss's names (`gammaBetaRatio`, `discopopTau`, `nllWeight`, ...; see
   * `wpo train --list-losses`); unset ones take the loss's defaults. `beta` and `labelSmoothing` override their
   * namesakes here. Default `{}`.
   */
  lossOptions: PreferenceLossOptions;
  /** Multiply each pair's loss by its detached WPO weight. Default true (this is a WPO trainer). */
  useWeighting: boolean;
  /** WPO normaliser: `sampled` (log Σp², the WPO repository), `greedy`, `none`. Default `sampled`. */
  wpoAlignment: "sampled" | "greedy" | "none";
  /** Clamp the WPO weight at 1 (WPO repository; TRL ≥ 0.29 does not). Default true. */
  wpoClamp: boolean;
  /** Label smoothing ε of the loss (cDPO, robust, ...). Default undefined: the loss's default. */
  labelSmoothing: number | undefined;
  /** Reference log-probs: a live frozen copy, precomputed once (cached on disk), or none. Default `live`. */
  referenceMode: "live" | "precomputed" | "none";
  /** Peak learning rate. Default 1e-6. */
  learningRate: number;
  /** `cosine`, `linear`, `constant` (or any `getScheduler` name). Default `linear`. */
  lrSchedulerType: string;
  /** Warmup fraction of the total steps (used when `warmupSteps` is 0). Default 0. */
  warmupRatio: number;
  /** Warmup steps. Default 0. */
  warmupSteps: number;
  /** Epochs (may be fractional). Default 3. */
  numTrainEpochs: number;
  /** If > 0: total optimizer steps. Default -1. */
  maxSteps: number;
  /** Pairs per micro-batch. Default 8. */
  perDeviceTrainBatchSize: number;
  /** Pairs per evaluation batch. Default 8. */
  perDeviceEvalBatchSize: number;
  /** Micro-batches per optimizer step. Default 1. */
  gradientAccumulationSteps: number;
  /** Clip the total gradient norm to this (0: no clipping, norm still logged). Default 1. */
  maxGradNorm: number;
  /** AdamW decoupled weight decay. Default 0. */
  weightDecay: number;
  /** AdamW beta1. Default 0.9. */
  adamBeta1: number;
  /** AdamW beta2. Default 0.999. */
  adamBeta2: number;
  /** AdamW epsilon. Default 1e-8. */
  adamEpsilon: number;
  /** Shuffle the pairs every epoch (seeded). Default true; false keeps file order. */
  shuffle: boolean;
  /** Seed of the data order. Default 42. */
  seed: number;
  /** Log every N optimizer steps. Default 10. */
  loggingSteps: number;
  /** Evaluate every N steps (0: only at the end). Default 0. */
  evalSteps: number;
  /** Also evaluate before the first step (HF `eval_on_start`), logged at step 0. Default false. */
  evalOnStart: boolean;
  /** Checkpoint every N steps (0: only at the end). Default 0. */
  saveSteps: number;
  /** Positions per lm_head chunk in the log-prob computation (undefined: the losses package default). */
  logpsChunkSize: number | undefined;
  /**
   * Read the step scalars (loss, grad norm, metric vectors) back from the device every N steps in
   * `train()` / `trainSteps()`, all at once, instead of after every step (a read stalls a WebGPU
   * pipeline). They are also read at every logging, evaluation and checkpoint step and before returning.
   * With N > 1 an update is applied before its loss is checked. Default 1 (check before every update).
   */
  metricsReadEvery: number;
  /**
   * Recompute each decoder layer of the policy in the backward pass instead of keeping its activations
   * (HF `gradient_checkpointing`): sets the policy's `gradientCheckpointing`. Same loss and gradients,
   * activation memory of one layer plus each layer's input, about one more forward pass of time. Default false.
   */
  gradientCheckpointing: boolean;
}

/** Default {@linkcode TrainerConfig}. */
export const DEFAULT_TRAINER_CONFIG: Readonly<TrainerConfig> = Object.freeze({
  beta: undefined,
  lossType: "sigmoid",
  lossWeights: undefined,
  lossOptions: {},
  useWeighting: true,
  wpoAlignment: "sampled",
  wpoClamp: true,
  labelSmoothing: undefined,
  referenceMode: "live",
  learningRate: 1e-6,
  lrSchedulerType: "linear",
  warmupRatio: 0,
  warmupSteps: 0,
  numTrainEpochs: 3,
  maxSteps: -1,
  perDeviceTrainBatchSize: 8,
  perDeviceEvalBatchSize: 8,
  gradientAccumulationSteps: 1,
  maxGradNorm: 1,
  weightDecay: 0,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  shuffle: true,
  seed: 42,
  loggingSteps: 10,
  evalSteps: 0,
  evalOnStart: false,
  saveSteps: 0,
  logpsChunkSize: undefined,
  metricsReadEvery: 1,
  gradientCheckpointing: false,
});

/**
 * Fills defaults and checks ranges of a partial trainer config.
 *
 * @param partial Settings to override.
 * @returns A complete config.
 * @throws {RangeError} naming the setting that is out of range.
 * @example
 * ```ts
 * import { resolveTrainerConfig } from "@wpo/trainer";
 * console.assert(resolveTrainerConfig({ beta: 0.01 }).lossType === "sigmoid");
 * ```
 */
export function resolveTrainerConfig(partial: Partial<TrainerConfig> = {}): TrainerConfig {
  const c: TrainerConfig = { ...DEFAULT_TRAINER_CONFIG, ...partial };
  for (const k of [
    "perDeviceTrainBatchSize",
    "perDeviceEvalBatchSize",
    "gradientAccumulationSteps",
    "metricsReadEvery",
  ] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1)
      throw new RangeError(`Trainer config: ${k} must be an integer >= 1, got ${c[k]}.`);
  }
  for (const k of [
    "beta",
    "learningRate",
    "maxGradNorm",
    "weightDecay",
    "numTrainEpochs",
    "labelSmoothing",
  ] as const) {
    const v = c[k];
    if (v === undefined && (k === "beta" || k === "labelSmoothing")) continue;
    if (v === undefined || !Number.isFinite(v) || v < 0)
      throw new RangeError(`Trainer config: ${k} must be a finite number >= 0, got ${v}.`);
  }
  if (c.warmupRatio < 0 || c.warmupRatio > 1)
    throw new RangeError(`Trainer config: warmupRatio must be in [0, 1], got ${c.warmupRatio}.`);
  if (!["live", "precomputed", "none"].includes(c.referenceMode)) {
    throw new RangeError(
      `Trainer config: referenceMode must be live, precomputed or none, got '${c.referenceMode}'.`,
    );
  }
  if (!["sampled", "greedy", "none"].includes(c.wpoAlignment)) {
    throw new RangeError(
      `Trainer config: wpoAlignment must be sampled, greedy or none, got '${c.wpoAlignment}'.`,
    );
  }
  return c;
}
