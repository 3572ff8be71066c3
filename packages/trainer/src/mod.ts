/**
 * The WPO trainer: one training step (policy forward on [chosen; rejected],
 * reference log-probs, WPO-weighted loss, accumulation, clipping, AdamW, schedule),
 * atomic checkpoints with resume, TRL-named metrics, a progress bar and a report.
 *
 * @module
 */
export { atomicWriteFile, fsyncDir } from "./atomic_write.ts";
export {
  CHECKPOINT_MANIFEST,
  type CheckpointManifest,
  latestCheckpoint,
  latestGoodCheckpoint,
  readCheckpointFiles,
  removeDeadCheckpointTemps,
  verifyCheckpoint,
  writeCheckpointFiles,
} from "./checkpoint_io.ts";
export { type MemorySample, type SampleMemoryOptions, sampleMemory } from "./memory_sample.ts";
export {
  type MetricRecord,
  MetricsAccumulator,
  MetricsWriter,
  type MetricsWriterOptions,
  withEvalPrefix,
} from "./metrics_log.ts";
export {
  ProgressBar,
  type ProgressBarOptions,
  type ProgressFigures,
  type ProgressStream,
} from "./progress_bar.ts";
export { renderReportHtml, renderReportSvg, type ReportOptions } from "./report.ts";
export { type RngState, SeededRng } from "@wpo/random";
export { decodeSafetensors, encodeSafetensors, type StoredTensor } from "./safetensors.ts";
export { type BatchTensors, batchTensors, type CollatedBatch, disposeBatch } from "./batch_tensors.ts";
export {
  type EpochBatchesOptions,
  epochBatches,
  type StepMicroBatchesOptions,
  stepMicroBatches,
} from "./data_order.ts";
export { referenceFingerprint } from "./fingerprint.ts";
export { fingerprintDifferences, type RunFingerprint, runFingerprint } from "./run_fingerprint.ts";
export {
  disposeReferenceStats,
  OBJECTIVE_METRICS,
  type PairObjective,
  type PairObjectiveOptions,
  pairObjective,
  type ReferenceStats,
} from "./pair_objective.ts";
export {
  liveReference,
  noReference,
  type PrecomputeOptions,
  precomputedReference,
  precomputeReferenceTable,
  type ReferenceSource,
  type ReferenceTable,
  referenceTableFromBytes,
  referenceTableToBytes,
} from "./reference_logps.ts";
export { decodeState, type EncodedState, encodeState } from "./state_codec.ts";
export {
  assignWeights,
  type CheckpointData,
  loadTrainerCheckpoint,
  saveTrainerCheckpoint,
  type TrainerState,
} from "./trainer_checkpoint.ts";
export { DEFAULT_TRAINER_CONFIG, resolveTrainerConfig, type TrainerConfig } from "./trainer_config.ts";
export type { TrainerOptimizer } from "./trainer_optimizer.ts";
export { WpoTrainer } from "./wpo_trainer.ts";
export type { TrainResult, WpoTrainerOptions } from "./wpo_trainer_options.ts";
export { formatGb, formatMemoryPlan, memoryPlanMessage } from "./format_memory_plan.ts";
export { type MemoryFix, type SuggestMemoryFixOptions, suggestMemoryFix } from "./memory_fix.ts";
export {
  type MemoryPlan,
  type MemoryPlanInput,
  type PlanBackend,
  type PlanCheck,
  type PlanLimits,
  type PlanLora,
  type PlanPart,
  planMemory,
} from "./memory_plan.ts";
