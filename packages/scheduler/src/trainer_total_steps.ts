import { assertCount, assertFinite } from "./_validate.ts";

/** Options of {@linkcode trainerTotalSteps} and {@linkcode trainerStepPlan} (HF `TrainingArguments` names in camelCase). */
export interface TrainerStepOptions {
  /** Number of training examples (pairs). */
  datasetSize: number;
  /** Examples per device per micro-batch (`per_device_train_batch_size`). */
  perDeviceBatchSize: number;
  /** Micro-batches per optimizer update (`gradient_accumulation_steps`). Default 1. */
  gradientAccumulationSteps?: number;
  /** Data-parallel processes (`world_size`). Default 1. */
  devices?: number;
  /** Epochs, may be fractional (`num_train_epochs`). Default 3, as HF. */
  epochs?: number;
  /** If > 0, the total step count regardless of epochs (`max_steps`). Default -1. */
  maxSteps?: number;
  /** Drop the last incomplete batch (`dataloader_drop_last`). Default false. */
  dropLast?: boolean;
}

/** How the HF Trainer arrives at its total optimizer step count. */
export interface TrainerStepPlan {
  /** Micro-batches each device sees per epoch (the length of accelerate's sharded dataloader). */
  batchesPerDevice: number;
  /** Optimizer updates per epoch: `max(1, floor(batchesPerDevice / gradientAccumulationSteps))`. */
  updatesPerEpoch: number;
  /** Total optimizer updates (`max_steps` of the Trainer), the schedules' `totalSteps`. */
  totalSteps: number;
}

/**
 * The HF Trainer's step arithmetic: accelerate shards the batches over devices with
 * `even_batches` (every device gets `ceil(batches / devices)`, the short ones cycle
 * back to the start), updates per epoch are the floor of that over the accumulation
 * steps (at least 1), and the total is `ceil(epochs * updatesPerEpoch)` unless
 * `maxSteps > 0`.
 *
 * @param options Dataset size, batch, accumulation, devices, epochs (HF defaults for the optional ones).
 * @returns Batches per device, updates per epoch and total steps.
 * @throws {RangeError} for non-positive sizes or a negative epoch count.
 *
 * @example
 * ```ts
 * import { trainerStepPlan } from "@wpo/scheduler";
 * const plan = trainerStepPlan({ datasetSize: 60000, perDeviceBatchSize: 2, gradientAccumulationSteps: 8, devices: 8, epochs: 2 });
 * console.assert(plan.batchesPerDevice === 3750 && plan.updatesPerEpoch === 468 && plan.totalSteps === 936);
 * ```
 */
export function trainerStepPlan(options: TrainerStepOptions): TrainerStepPlan {
  const { datasetSize, perDeviceBatchSize, gradientAccumulationSteps = 1, devices = 1, epochs = 3 } = options;
  const { maxSteps = -1, dropLast = false } = options;
  assertCount(datasetSize, "trainerStepPlan: datasetSize");
  for (const [name, value] of [
    ["perDeviceBatchSize", perDeviceBatchSize],
    ["gradientAccumulationSteps", gradientAccumulationSteps],
    ["devices", devices],
  ] as const) {
    assertCount(value, `trainerStepPlan: ${name}`);
    if (value === 0) throw new RangeError(`trainerStepPlan: ${name} must be >= 1, got 0.`);
  }
  assertFinite(epochs, "trainerStepPlan: epochs");
  if (epochs < 0) throw new RangeError(`trainerStepPlan: epochs must be >= 0, got ${epochs}.`);
  assertFinite(maxSteps, "trainerStepPlan: maxSteps");
  const batches = dropLast
    ? Math.floor(datasetSize / perDeviceBatchSize)
    : Math.ceil(datasetSize / perDeviceBatchSize);
  let batchesPerDevice = Math.floor(batches / devices);
  if (batches % devices !== 0 && !dropLast) batchesPerDevice += 1;
  const updatesPerEpoch = Math.max(1, Math.floor(batchesPerDevice / gradientAccumulationSteps));
  const totalSteps = maxSteps > 0 ? Math.floor(maxSteps) : Math.ceil(epochs * updatesPerEpoch);
  return { batchesPerDevice, updatesPerEpoch, totalSteps };
}

/**
 * The total number of optimizer updates as the HF Trainer computes it (see
 * {@linkcode trainerStepPlan} for the arithmetic).
 *
 * @param options Dataset size, batch, accumulation, devices, epochs.
 * @returns Total optimizer steps.
 * @throws {RangeError} for non-positive sizes or a negative epoch count.
 *
 * @example
 * ```ts
 * import { trainerTotalSteps } from "@wpo/scheduler";
 * const total = trainerTotalSteps({ datasetSize: 100, perDeviceBatchSize: 4, gradientAccumulationSteps: 2, devices: 1, epochs: 1 });
 * console.assert(total === 12);
 * ```
 */
export function trainerTotalSteps(options: TrainerStepOptions): number {
  return trainerStepPlan(options).totalSteps;
}
