import type { LlamaModel } from "@wpo/llama";
import type { PreferenceLoss, PreferenceLossOptions } from "@wpo/losses";
import { AdamW } from "@wpo/optim";
import { trainerStepPlan, warmupStepsFromRatio } from "@wpo/scheduler";
import { setupReference } from "./_reference_setup.ts";
import { resolveLoss } from "./_resolve_loss.ts";
import type { ReferenceSource, ReferenceTable } from "./reference_logps.ts";
import { SeededRng } from "@wpo/random";
import { assignWeights, loadTrainerCheckpoint, type TrainerState } from "./trainer_checkpoint.ts";
import { resolveTrainerConfig, type TrainerConfig } from "./trainer_config.ts";
import type { TrainerOptimizer } from "./trainer_optimizer.ts";
import type { WpoTrainerOptions } from "./wpo_trainer_options.ts";

/** Everything a trainer is built from (what {@linkcode prepareTrainer} resolves). */
export interface TrainerInit {
  policy: LlamaModel;
  opts: WpoTrainerOptions;
  config: TrainerConfig;
  loss: PreferenceLoss;
  /** The options every call of `loss` gets. */
  lossOptions: PreferenceLossOptions;
  optimizer: TrainerOptimizer;
  reference: ReferenceSource;
  referenceTable: ReferenceTable | undefined;
  ownedReference: LlamaModel | undefined;
  totalSteps: number;
  updatesPerEpoch: number;
  warmupSteps: number;
  state: TrainerState;
}

/**
 * Resolves a run: settings, loss, step plan and warmup, reference source, optimizer (default AdamW), the
 * initial state, and the checkpoint to resume from (weights, optimizer state and run state restored).
 */
export async function prepareTrainer(policy: LlamaModel, options: WpoTrainerOptions): Promise<TrainerInit> {
  const config = resolveTrainerConfig(options.config);
  if (options.trainPairs.length === 0)
    throw new RangeError("The training set is empty: no preference pairs to train on.");
  const { loss, options: lossOptions } = resolveLoss(config);
  const plan = trainerStepPlan({
    datasetSize: options.trainPairs.length,
    perDeviceBatchSize: config.perDeviceTrainBatchSize,
    gradientAccumulationSteps: config.gradientAccumulationSteps,
    epochs: config.numTrainEpochs,
    maxSteps: config.maxSteps,
  });
  const warmupSteps =
    config.warmupSteps > 0 ? config.warmupSteps : warmupStepsFromRatio(config.warmupRatio, plan.totalSteps);
  const checkpoint = options.resumeFrom ? loadTrainerCheckpoint(options.resumeFrom) : undefined;
  const { reference, referenceTable, ownedReference } = await setupReference(policy, {
    config,
    loss,
    options,
    ...(checkpoint?.referenceTable ? { checkpointTable: checkpoint.referenceTable } : {}),
  });
  const optimizer =
    options.optimizer ??
    new AdamW(policy.variables(), {
      lr: config.learningRate,
      betas: [config.adamBeta1, config.adamBeta2],
      eps: config.adamEpsilon,
      weightDecay: config.weightDecay,
    });
  let state: TrainerState = {
    step: 0,
    totalSteps: plan.totalSteps,
    epoch: 0,
    dataPosition: { epoch: 0, microBatch: 0 },
    rng: new SeededRng(config.seed).state(),
    config,
    scheduler: {
      type: config.lrSchedulerType,
      warmupSteps,
      totalSteps: plan.totalSteps,
      baseLr: config.learningRate,
    },
    logHistory: [],
    pending: [],
    tokens: 0,
  };
  if (checkpoint) {
    assignWeights(policy, checkpoint.weights);
    optimizer.loadState(checkpoint.optimizerState);
    state = { ...checkpoint.state, config };
    options.log?.(`resumed from ${options.resumeFrom} at step ${state.step}`);
  }
  return {
    policy,
    opts: options,
    config,
    loss,
    lossOptions,
    optimizer,
    reference,
    referenceTable,
    ownedReference,
    totalSteps: plan.totalSteps,
    updatesPerEpoch: plan.updatesPerEpoch,
    warmupSteps,
    state,
  };
}
