/**
 * The numeric core of WPO (Weighted Preference Optimization, arXiv 2406.11827) on TensorFlow.js:
 * per-sequence log-probabilities (dense, or chunked over the vocabulary-sized logits), the WPO weights, the DPO
 * family of preference losses behind one signature and a registry, and TRL-named metrics.
 *
 * @example
 * ```ts
 * import { getLoss, listLosses } from "@wpo/losses";
 * console.assert(listLosses().includes("sigmoid") && getLoss("ipo").name === "ipo");
 * ```
 *
 * @module
 */
export type { SequenceLogps, SequenceLogpsOptions, WpoAlignment } from "./logps_types.ts";
export { sequenceLogps } from "./sequence_logps.ts";
export { type ChosenRejected, splitChosenRejected } from "./split_chosen_rejected.ts";
export {
  type ChunkedSequenceLogpsOptions,
  chunkedSequenceLogps,
  defaultChunkSize,
} from "./chunked_sequence_logps.ts";
export { type WpoPairWeightsOptions, wpoPairWeights } from "./wpo_pair_weights.ts";
export { weightedMean } from "./weighted_mean.ts";
export type {
  LogpStats,
  PreferenceInputs,
  PreferenceLoss,
  PreferenceLossOptions,
  PreferenceLossOutput,
} from "./preference_loss.ts";
export { logpStats } from "./logp_stats.ts";
export { LOGIT_ROW_STATS_KERNEL } from "@wpo/kernels";
export { getLoss, listLosses, type RegisterLossOptions, registerLoss } from "./registry.ts";
export { type LossTerm, type MixLossesOptions, mixLosses } from "./mix_losses.ts";
export { checkLossOptions } from "./loss_options.ts";
export {
  type MeanLogitOptions,
  meanLogit,
  type PreferenceMetricsInputs,
  type PreferenceMetricsOptions,
  PREFERENCE_METRICS,
  preferenceMetrics,
  type StackedPreferenceMetrics,
  stackPreferenceMetrics,
} from "./preference_metrics.ts";
export { detach } from "./detach.ts";
export * from "./losses/mod.ts";
