import * as tf from "@tensorflow/tfjs-core";
import { collatePairs, type PairFeatures } from "@wpo/data";
import type { LlamaModel } from "@wpo/llama";
import { GradientAccumulator } from "@wpo/optim";
import { type BatchTensors, batchTensors, disposeBatch } from "./batch_tensors.ts";
import {
  disposeReferenceStats,
  OBJECTIVE_METRICS,
  type PairObjectiveOptions,
  pairObjective,
  type ReferenceStats,
} from "./pair_objective.ts";
import type { ReferenceSource } from "./reference_logps.ts";
import { type MetricRecord, withEvalPrefix } from "./metrics_log.ts";

/** What the trainer's micro-batch loops share: the pairs, padding, reference and objective settings. */
export interface MicroBatchContext {
  /** All pairs the indices refer to. */
  pairs: readonly PairFeatures[];
  /** Pad id used by collation. */
  padTokenId: number;
  /** Where reference log-probs come from. */
  reference: ReferenceSource;
  /** Objective settings for one collated batch and its reference statistics. */
  objective: (
    batch: BatchTensors,
    reference: ReferenceStats | undefined,
  ) => PairObjectiveOptions & { batch: BatchTensors };
}

/** Collates pairs `indices`, runs `body` on the batch and its reference statistics, and releases both. */
function withMicroBatch<T>(
  ctx: MicroBatchContext,
  indices: readonly number[],
  body: (batch: BatchTensors, options: PairObjectiveOptions & { batch: BatchTensors }) => T,
): T {
  const batch = batchTensors(
    collatePairs(
      indices.map((i) => ctx.pairs[i]!),
      { padTokenId: ctx.padTokenId },
    ),
  );
  const ref = ctx.reference.forBatch(batch, indices);
  try {
    return body(batch, ctx.objective(batch, ref));
  } finally {
    disposeReferenceStats(ref);
    disposeBatch(batch);
  }
}

/**
 * Forward and backward over the micro-batches of one optimizer step: each micro-batch's
 * loss is divided by their count (as the HF Trainer does) and the gradients are summed by
 * `@wpo/optim`'s {@linkcode GradientAccumulator} (handed over, not copied).
 * `dropoutSeed` (per step) turns on the LoRA adapter's training-mode dropout.
 * @returns Summed gradients by parameter name, each micro-batch's metric vector, and the token count.
 */
export function accumulateGradients(
  policy: LlamaModel,
  groups: readonly (readonly number[])[],
  ctx: MicroBatchContext,
  dropoutSeed?: number,
): { summed: Map<string, tf.Tensor>; metricVecs: tf.Tensor1D[]; tokens: number } {
  const byVarName = new Map<string, string>();
  for (const [name, v] of [...policy.variables(), ...policy.adapterVariables()]) byVarName.set(v.name, name);
  const trainable = policy.trainableVariables();
  const accumulator = new GradientAccumulator({ reduction: "sum" });
  const metricVecs: tf.Tensor1D[] = [];
  let tokens = 0;
  for (const [k, indices] of groups.entries()) {
    // LoRA dropout masks depend only on (seed, step, micro-batch): a resumed run draws the same ones.
    if (dropoutSeed !== undefined) policy.setLoraDropout((dropoutSeed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0);
    const grads = withMicroBatch(ctx, indices, (batch, options) => {
      tokens += batch.numTokens;
      const { value, grads } = tf.variableGrads(() => {
        const obj = pairObjective(policy, options);
        metricVecs.push(tf.keep(obj.metrics));
        return tf.div(obj.loss, groups.length) as tf.Scalar;
      }, trainable);
      value.dispose();
      return grads;
    });
    policy.setLoraDropout(undefined);
    const named = new Map<string, tf.Tensor>();
    for (const [key, g] of Object.entries(grads)) named.set(byVarName.get(key) ?? key, g);
    accumulator.add(named, { transfer: true });
  }
  return { summed: new Map(Object.entries(accumulator.take())), metricVecs, tokens };
}

/**
 * The objective's metrics without gradients, averaged over batches of `batchSize` pairs
 * (weighted by batch size), with TRL's `eval_` names.
 */
export async function evaluateMicroBatches(
  policy: LlamaModel,
  batchSize: number,
  ctx: MicroBatchContext,
): Promise<MetricRecord> {
  const sums = new Array<number>(OBJECTIVE_METRICS.length).fill(0);
  const n = ctx.pairs.length;
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, k) => s + k);
    const vec = withMicroBatch(ctx, idx, (_batch, options) =>
      tf.tidy(() => pairObjective(policy, options).metrics),
    );
    const row = await vec.data();
    vec.dispose();
    row.forEach((v, j) => {
      sums[j]! += v * idx.length;
    });
  }
  const out: MetricRecord = {};
  OBJECTIVE_METRICS.forEach((name, j) => {
    out[name] = sums[j]! / n;
  });
  return withEvalPrefix(out);
}
