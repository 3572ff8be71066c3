import * as tf from "@tensorflow/tfjs-core";
import type { LlamaModel } from "@wpo/llama";
import {
  chunkedSequenceLogps,
  detach,
  type LogpStats,
  meanLogit,
  PREFERENCE_METRICS,
  type PreferenceLoss,
  type PreferenceLossOptions,
  splitChosenRejected,
  stackPreferenceMetrics,
  weightedMean,
  wpoPairWeights,
} from "@wpo/losses";
import type { BatchTensors } from "./batch_tensors.ts";

/** Reference log-prob statistics of a micro-batch's chosen and rejected rows, each [B]. */
export interface ReferenceStats {
  chosen: LogpStats;
  rejected: LogpStats;
}

/**
 * Disposes the six tensors of a {@linkcode ReferenceStats} (no-op for undefined).
 *
 * @param ref The statistics to release.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { logpStats } from "@wpo/losses";
 * import { disposeReferenceStats } from "@wpo/trainer";
 * await initBackend("cpu");
 * const side = logpStats([-1], [1]);
 * disposeReferenceStats({ chosen: side, rejected: logpStats([-2], [1]) });
 * console.assert(side.sum.isDisposed);
 * ```
 */
export function disposeReferenceStats(ref: ReferenceStats | undefined): void {
  if (!ref) return;
  tf.dispose([
    ref.chosen.sum,
    ref.chosen.mean,
    ref.chosen.count,
    ref.rejected.sum,
    ref.rejected.mean,
    ref.rejected.count,
  ]);
}

/** Settings read by {@linkcode pairObjective}. */
export interface PairObjectiveOptions {
  /** The pairwise loss. */
  loss: PreferenceLoss;
  /** Options of the loss (unset ones take the loss's defaults), e.g. `{ beta: 0.1 }`. */
  lossOptions: PreferenceLossOptions;
  /** Multiply each pair's loss by its WPO weight. */
  useWeighting: boolean;
  /** WPO normaliser. */
  wpoAlignment: "sampled" | "greedy" | "none";
  /** Clamp the weight at 1. */
  wpoClamp: boolean;
  /** Reference statistics (undefined: reference-free). */
  reference: ReferenceStats | undefined;
  /** lm_head chunk size. */
  chunkSize?: number | undefined;
}

/** Names of the entries of {@linkcode PairObjective.metrics}, in order (TRL names). */
export const OBJECTIVE_METRICS = ["loss", ...PREFERENCE_METRICS] as const;

/** The objective of one micro-batch. */
export interface PairObjective {
  /** mean_i w_i ℓ_i (scalar, differentiable w.r.t. the policy). */
  loss: tf.Scalar;
  /** Detached metrics in {@linkcode OBJECTIVE_METRICS} order, [10]. */
  metrics: tf.Tensor1D;
  /** Detached per-pair WPO weights [B] (measured even when `useWeighting` is off). */
  weights: tf.Tensor1D;
}

/**
 * One micro-batch of WPO: the policy forward on [chosen; rejected], sequence log-probs
 * and WPO log-weights from the same pass (lm_head in chunks), the pairwise loss against
 * the reference statistics, and loss = mean_i(w_i · ℓ_i) with w_i = min(1, exp(a_c + a_r))
 * detached. Call it inside `tf.variableGrads`; the metrics are detached.
 *
 * @param policy The policy model.
 * @param options Batch, loss and settings.
 * @returns Loss, packed metrics and weights.
 * @example
 * ```ts
 * import { OBJECTIVE_METRICS } from "@wpo/trainer";
 * console.assert(OBJECTIVE_METRICS[0] === "loss");
 * ```
 */
export function pairObjective(
  policy: LlamaModel,
  options: PairObjectiveOptions & { batch: BatchTensors },
): PairObjective {
  const { batch, loss, reference } = options;
  const hidden = policy.hiddenStates(batch.inputIds, { attentionMask: batch.attentionMask });
  const stats = chunkedSequenceLogps(hidden, policy.lmHeadWeight(), batch.labels, {
    alignment: options.wpoAlignment,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
  });
  const { chosen, rejected } = splitChosenRejected(stats);
  const out = loss.compute(
    {
      policyChosen: chosen,
      policyRejected: rejected,
      ...(reference ? { referenceChosen: reference.chosen, referenceRejected: reference.rejected } : {}),
    },
    options.lossOptions,
  );
  // The WPO weight is always measured (so DPO runs can report it too); it scales the loss only with useWeighting.
  const weights = wpoPairWeights(chosen.wpoLogWeight!, rejected.wpoLogWeight!, {
    clamp: options.wpoClamp ? 1 : null,
  });
  const lossValue = weightedMean(out.losses, options.useWeighting ? weights : undefined);
  const logitsPerRow = batch.inputIds.shape[1] * policy.config.vocabSize;
  const { values } = stackPreferenceMetrics({
    chosenRewards: out.chosenRewards,
    rejectedRewards: out.rejectedRewards,
    policyChosenLogps: chosen.sum,
    policyRejectedLogps: rejected.sum,
    chosenLogitsMean: meanLogit(chosen.logitsSum, { logitsPerRow }),
    rejectedLogitsMean: meanLogit(rejected.logitsSum, { logitsPerRow }),
    weights,
  });
  const metrics = detach(tf.concat([tf.reshape(lossValue, [1]), values])) as tf.Tensor1D;
  return { loss: lossValue, metrics, weights };
}
