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
  readCheckpointFiles,
  writeCheckpointFiles,
} from "./checkpoint_io.ts";
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
export { type RngState, SeededRng } from "./rng.ts";
export { decodeSafetensors, encodeSafetensors, type StoredTensor } from "./safetensors.ts";
