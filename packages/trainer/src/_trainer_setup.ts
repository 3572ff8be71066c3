import { addLora, type LlamaModel, loraWeightShapes, resolveLoraConfig } from "@wpo/llama";
import type { PreferenceLoss, PreferenceLossOptions } from "@wpo/losses";
import { AdamW } from "@wpo/optim";
import { trainerStepPlan, warmupStepsFromRatio } from "@wpo/scheduler";
import { setupReference } from "./_reference_setup.ts";
import { resolveLoss } from "./_resolve_loss.ts";
import type { ReferenceSource, ReferenceTable } from "./reference_logps.ts";
import { SeededRng } from "@wpo/random";
import { removeDeadCheckpointTemps } from "./checkpoint_io.ts";
import { fingerprintDifferences, type RunFingerprint, runFingerprint } from "./run_fingerprint.ts";
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
  /** The model reference log-probs come from, if any (for evaluation against a precomputed table). */
  referenceModel: LlamaModel | undefined;
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
  // as the HF Trainer calls model.gradient_checkpointing_enable() for args.gradient_checkpointing
  if (config.gradientCheckpointing) policy.gradientCheckpointing = true;
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
  setupLora(policy, options, config.seed, checkpoint);
  if (options.outputDir) {
    for (const dead of removeDeadCheckpointTemps(options.outputDir))
      options.log?.(`removed an interrupted checkpoint write: ${dead}`);
  }
  const fingerprint = await runFingerprint(policy, {
    trainPairs: options.trainPairs,
    config,
    padTokenId: options.padTokenId,
    totalSteps: plan.totalSteps,
    extra: options.fingerprint,
  });
  if (checkpoint) checkResumeFingerprint(options, checkpoint.state.fingerprint, fingerprint);
  const { reference, referenceTable, ownedReference, referenceModel } = await setupReference(policy, {
    config,
    loss,
    options,
    ...(checkpoint?.referenceTable ? { checkpointTable: checkpoint.referenceTable } : {}),
  });
  const optimizer =
    options.optimizer ??
    new AdamW(policy.loraConfig() ? policy.adapterVariables() : policy.variables(), {
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
    fingerprint,
  };
  if (checkpoint) {
    assignWeights(policy, checkpoint.weights);
    optimizer.loadState(checkpoint.optimizerState);
    state = { ...checkpoint.state, config, fingerprint };
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
    referenceModel,
    totalSteps: plan.totalSteps,
    updatesPerEpoch: plan.updatesPerEpoch,
    warmupSteps,
    state,
  };
}

/**
 * Attaches the run's LoRA adapter: a fresh one (seeded) for `options.lora`, or the checkpoint's
 * config when resuming a LoRA checkpoint (its weights are assigned later). Refuses a checkpoint
 * whose adapter or base model differs from this run's.
 */
function setupLora(
  policy: LlamaModel,
  options: WpoTrainerOptions,
  seed: number,
  checkpoint: ReturnType<typeof loadTrainerCheckpoint> | undefined,
): void {
  const where = options.resumeFrom;
  const saved = checkpoint?.lora;
  if (checkpoint && !saved && (policy.loraConfig() || options.lora)) {
    throw new Error(`Checkpoint '${where}' holds a full model, not a LoRA adapter; resume it without LoRA.`);
  }
  if (saved) {
    const base = saved.baseModel;
    const mine = options.baseModel;
    if (base && mine && base.hash !== mine.hash) {
      throw new Error(
        `Checkpoint '${where}' was trained on base '${base.path}' (hash ${base.hash}); ` +
          `this run's base '${mine.path}' has hash ${mine.hash}.`,
      );
    }
    const wanted = policy.loraConfig() ?? (options.lora ? resolveLoraConfig(options.lora) : saved.config);
    if (JSON.stringify(wanted) !== JSON.stringify(saved.config)) {
      throw new Error(
        `Checkpoint '${where}' holds a LoRA adapter ${JSON.stringify(saved.config)}, ` +
          `this run asks for ${JSON.stringify(wanted)}.`,
      );
    }
    if (!policy.loraConfig()) {
      const shapes = loraWeightShapes(policy.config, saved.config);
      policy.attachLora(
        saved.config,
        new Map([...shapes].map(([n, s]) => [n, { shape: s, data: new Float32Array(s[0]! * s[1]!) }])),
      );
    }
    return;
  }
  if (options.lora && !policy.loraConfig()) addLora(policy, options.lora, { seed });
}

/** Refuses (or, with `allowResumeMismatch`, logs) a checkpoint whose run computed different maths. */
function checkResumeFingerprint(
  options: WpoTrainerOptions,
  saved: RunFingerprint | undefined,
  current: RunFingerprint,
): void {
  if (!saved) {
    options.log?.(`warning: ${options.resumeFrom} has no run fingerprint (older trainer); not compared.`);
    return;
  }
  const diff = fingerprintDifferences(saved, current);
  if (diff.length === 0) return;
  const what = `Checkpoint '${options.resumeFrom}' comes from a run with different ${diff.map((d) => d.split(":")[0]).join(", ")}:\n  ${diff.join("\n  ")}`;
  if (options.allowResumeMismatch) {
    options.log?.(`warning: ${what}\n  resuming anyway (allowResumeMismatch).`);
    return;
  }
  throw new RangeError(
    `${what}\nResume with the same settings, start a new run in another output folder, or allow the mismatch explicitly.`,
  );
}
