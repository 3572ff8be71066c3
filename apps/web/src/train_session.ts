import type { LlamaModel } from "@wpo/llama";
import { type MetricRecord, WpoTrainer } from "@wpo/trainer";
import type { StepRecord } from "./app_state.ts";
import type { PagePairs } from "./pair_features.ts";
import { vocabChunkSize } from "./vocab_chunk.ts";

/** Options of {@linkcode trainSession}. */
export interface TrainSessionOptions {
  /** Optimizer steps. */
  steps: number;
  /** Pairs per optimizer step. */
  batchPairs: number;
  /** Peak learning rate of the cosine schedule (10% warmup). */
  learningRate: number;
  /** DPO β. */
  beta: number;
  /** Seed of the trainer's data order. */
  seed: number;
  /** Hand the records to the page every this many steps (and at the end). */
  logEvery: number;
  /** Clip the gradient norm to this. Default 1. */
  maxGradNorm?: number;
  /** Largest storage buffer binding of the device, to chunk the vocabulary-sized log-softmax under it. */
  maxBindingBytes?: number | undefined;
  /** LoRA rank: > 0 trains a PEFT-style adapter (all-linear, alpha 2r) against the adapter-off model. Default 0. */
  loraRank?: number;
  /** Called with the records of the steps since the last call. */
  onRecords?: (records: StepRecord[]) => void;
}

/** The page's record of one trainer step: the loss apart, every TRL-named metric in `metrics`. */
function toStepRecord(step: number, record: MetricRecord): StepRecord {
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(record)) if (typeof v === "number") metrics[k] = v;
  return { step, loss: record.loss ?? Number.NaN, metrics };
}

/**
 * Trains the policy in place with `@wpo/trainer`'s `WpoTrainer`: sigmoid DPO loss × the
 * detached, clamped WPO weight (sampled alignment) against a live frozen copy of the
 * initial weights, AdamW (no weight decay), gradient clipping, cosine schedule with 10%
 * warmup, seeded shuffled pairs. With `loraRank` > 0 only a LoRA adapter is trained and the
 * reference is the same model with the adapter off (no copy). The trainer applies `logEvery` steps back to back and then
 * reads their scalars with one `await t.data()` (`metricsReadEvery`, never synchronously), so
 * WebGPU stalls once per group; the page gets them in groups every `logEvery` steps.
 *
 * @param policy The model to train (its Variables are updated).
 * @param options Pairs, steps, batch, learning rate, β, seed, logging.
 * @returns Every step's record.
 * @throws {RangeError} when there are no pairs.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { buildPairFeatures } from "@wpo/data";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * import { trainSession } from "./train_session.ts";
 * await initBackend("cpu");
 * const model = randomLlama(parseLlamaConfig({ vocab_size: 16, hidden_size: 8, intermediate_size: 12,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * const pair = buildPairFeatures({ promptIds: [5], chosenIds: [6, 7], rejectedIds: [8] }, { bosId: 1, eosId: 2 });
 * const steps = await trainSession(model, { pairs: { features: [pair, pair], padTokenId: 0 }, steps: 2,
 *   batchPairs: 1, learningRate: 1e-2, beta: 0.1, seed: 42, logEvery: 1 });
 * console.assert(steps.length === 2 && steps.every((r) => Number.isFinite(r.loss)));
 * ```
 */
export async function trainSession(
  policy: LlamaModel,
  options: TrainSessionOptions & { pairs: PagePairs },
): Promise<StepRecord[]> {
  const { features, padTokenId } = options.pairs;
  if (features.length === 0) throw new RangeError("trainSession: no preference pairs to train on.");
  const r = options.loraRank ?? 0;
  const trainer = await WpoTrainer.create(policy, {
    trainPairs: features,
    padTokenId,
    lora: r > 0 ? { r, loraAlpha: 2 * r, loraDropout: 0, targetModules: "all-linear" } : undefined,
    config: {
      beta: options.beta,
      lossType: "sigmoid",
      useWeighting: true,
      wpoAlignment: "sampled",
      wpoClamp: true,
      referenceMode: "live",
      learningRate: options.learningRate,
      lrSchedulerType: "cosine",
      warmupRatio: 0.1,
      maxSteps: options.steps,
      perDeviceTrainBatchSize: options.batchPairs,
      gradientAccumulationSteps: 1,
      maxGradNorm: options.maxGradNorm ?? 1,
      weightDecay: 0,
      seed: options.seed,
      loggingSteps: options.logEvery,
      metricsReadEvery: options.logEvery,
      logpsChunkSize: vocabChunkSize(policy.config.vocabSize, options.maxBindingBytes),
    },
  });
  const records: StepRecord[] = [];
  let unsent: StepRecord[] = [];
  try {
    while (trainer.step < trainer.totalSteps) {
      // Up to the next logEvery boundary; the trainer reads the scalars back once per group.
      const first = trainer.step;
      const group = await trainer.trainSteps(options.logEvery - (first % options.logEvery));
      group.forEach((record, k) => {
        const row = toStepRecord(first + k + 1, record);
        records.push(row);
        unsent.push(row);
      });
      if (trainer.step % options.logEvery === 0 || trainer.step === trainer.totalSteps) {
        options.onRecords?.(unsent);
        unsent = [];
      }
    }
  } finally {
    trainer.dispose();
  }
  return records;
}
