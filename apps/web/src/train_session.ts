import * as tf from "@tensorflow/tfjs-core";
import type { PairBatch } from "@wpo/data";
import type { LlamaModel } from "@wpo/llama";
import { chunkedSequenceLogps, weightedMean, wpoPairWeights } from "@wpo/losses";
import { AdamW, clipGradNorm } from "@wpo/optim";
import { cosineWithWarmup, warmupStepsFromRatio } from "@wpo/scheduler";
import type { StepRecord } from "./app_state.ts";
import { vocabChunkSize } from "./vocab_chunk.ts";

/** Options of {@linkcode trainSession}. */
export interface TrainSessionOptions {
  /** Optimizer steps (batches are cycled). */
  steps: number;
  /** Peak learning rate of the cosine schedule (10% warmup). */
  learningRate: number;
  /** DPO β. */
  beta: number;
  /** Read metrics from the device every this many steps (WebGPU reads are slow; never synchronous). */
  logEvery: number;
  /** Clip the gradient norm to this. Default 1. */
  maxGradNorm?: number;
  /** Largest storage buffer binding of the device, to chunk the vocabulary-sized log-softmax under it. */
  maxBindingBytes?: number;
  /** Called with the records read at each logging point. */
  onRecords?: (records: StepRecord[]) => void;
}

interface Pending {
  step: number;
  tensors: tf.Tensor[];
}

const METRIC_NAMES = ["loss", "grad_norm", "rewards/margins", "rewards/accuracies", "wpo/weight_mean", "rewards/chosen", "rewards/rejected"];

function half(t: tf.Tensor1D, b: number, second: boolean): tf.Tensor1D {
  return tf.slice(t, [second ? b : 0], [b]);
}

/**
 * The sigmoid DPO loss per pair, −log σ(β z) = softplus(−β z) with z = (pc − pr) − (rc − rr), and the detached
 * rewards (metrics only: they never enter the returned loss). Written here rather than taken from `getLoss("sigmoid")`: that one runs tfjs's `logSigmoid` inside a
 * `tf.tidy`, and logSigmoid's gradient closes over its (then disposed) input, so backprop through it fails.
 */
function sigmoidDpo(
  s: { pc: tf.Tensor1D; pr: tf.Tensor1D; rc: tf.Tensor1D; rr: tf.Tensor1D },
  beta: number,
): { losses: tf.Tensor1D; chosenRewards: tf.Tensor1D; rejectedRewards: tf.Tensor1D } {
  const z = tf.sub(tf.sub(s.pc, s.pr), tf.sub(s.rc, s.rr));
  return {
    losses: tf.softplus(tf.mul(z, -beta)) as tf.Tensor1D,
    chosenRewards: tf.mul(tf.sub(s.pc, s.rc), beta),
    rejectedRewards: tf.mul(tf.sub(s.pr, s.rr), beta),
  };
}

/**
 * Trains the policy in place with WPO (sigmoid DPO loss × detached, clamped WPO weight with
 * "sampled" alignment) against a frozen copy of its initial weights: AdamW, gradient
 * clipping, cosine schedule with 10% warmup. Per-step work stays on the device; metrics
 * are read asynchronously every `logEvery` steps.
 *
 * @param policy The model to train (its Variables are updated).
 * @param batches Collated micro-batches, cycled in order.
 * @param options Steps, learning rate, β, logging.
 * @returns Every step's record.
 */
export async function trainSession(policy: LlamaModel, batches: PairBatch[], options: TrainSessionOptions): Promise<StepRecord[]> {
  if (batches.length === 0) throw new RangeError("trainSession: no batches to train on.");
  const vars = policy.trainableVariables();
  const optimizer = new AdamW(vars, { weightDecay: 0 });
  const schedule = cosineWithWarmup({ warmupSteps: warmupStepsFromRatio(0.1, options.steps), totalSteps: options.steps });
  const chunkSize = vocabChunkSize(policy.config.vocabSize, options.maxBindingBytes);
  // Only the batches the steps will visit are put on the device.
  const tensors = batches.slice(0, options.steps).map((b) => ({
    ids: tf.tensor2d(b.inputIds, [b.batchSize, b.seqLen], "int32"),
    mask: tf.tensor2d(b.attentionMask, [b.batchSize, b.seqLen], "int32"),
    labels: tf.tensor2d(b.labels, [b.batchSize, b.seqLen], "int32"),
    pairs: b.numPairs,
  }));
  // Reference log-probs, precomputed once from the initial weights (the frozen reference).
  const reference = tensors.map((t) =>
    tf.tidy(() => {
      const lp = chunkedSequenceLogps(policy.hiddenStates(t.ids, { attentionMask: t.mask }), policy.lmHeadWeight(), t.labels, { chunkSize });
      return { sum: tf.keep(lp.sum), mean: tf.keep(lp.mean), count: tf.keep(lp.count) };
    }),
  );
  const records: StepRecord[] = [];
  let pending: Pending[] = [];
  const flush = async () => {
    const read: StepRecord[] = [];
    for (const p of pending) {
      const values = await Promise.all(p.tensors.map((t) => t.data()));
      tf.dispose(p.tensors);
      const metrics: Record<string, number> = {};
      METRIC_NAMES.forEach((name, i) => {
        metrics[name] = (values[i] as Float32Array)[0]!;
      });
      read.push({ step: p.step, loss: metrics.loss!, metrics });
    }
    pending = [];
    records.push(...read);
    options.onRecords?.(read);
  };
  try {
    for (let step = 1; step <= options.steps; step++) {
      const t = tensors[(step - 1) % tensors.length]!;
      const ref = reference[(step - 1) % tensors.length]!;
      const b = t.pairs;
      const out = tf.tidy(() => {
        let extras: tf.Tensor[] = [];
        const { value, grads } = tf.variableGrads(() => {
          const hidden = policy.hiddenStates(t.ids, { attentionMask: t.mask });
          const lp = chunkedSequenceLogps(hidden, policy.lmHeadWeight(), t.labels, { chunkSize, alignment: "sampled" });
          const weights = wpoPairWeights(half(lp.wpoLogWeight!, b, false), half(lp.wpoLogWeight!, b, true), { clamp: 1 });
          const res = sigmoidDpo(
            { pc: half(lp.sum, b, false), pr: half(lp.sum, b, true), rc: half(ref.sum, b, false), rr: half(ref.sum, b, true) },
            options.beta,
          );
          const margins = tf.sub(res.chosenRewards, res.rejectedRewards);
          extras = [
            tf.keep(tf.mean(margins)),
            tf.keep(tf.mean(tf.cast(tf.greater(res.chosenRewards, res.rejectedRewards), "float32"))),
            tf.keep(tf.mean(weights)),
            tf.keep(tf.mean(res.chosenRewards)),
            tf.keep(tf.mean(res.rejectedRewards)),
          ];
          return weightedMean(res.losses, weights);
        }, vars);
        const clipped = clipGradNorm(grads, options.maxGradNorm ?? 1);
        optimizer.step(clipped.grads, { lr: options.learningRate * schedule(step - 1) });
        return [value, clipped.norm, ...extras];
      });
      pending.push({ step, tensors: out });
      if (step % options.logEvery === 0 || step === options.steps) await flush();
    }
  } finally {
    tf.dispose(pending.flatMap((p) => p.tensors));
    for (const t of tensors) tf.dispose([t.ids, t.mask, t.labels]);
    for (const r of reference) tf.dispose([r.sum, r.mean, r.count]);
    optimizer.dispose?.();
  }
  return records;
}
