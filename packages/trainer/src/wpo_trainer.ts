import { join } from "#node-only";
import * as tf from "@tensorflow/tfjs-core";
import type { PairFeatures } from "@wpo/data";
import type { LlamaModel } from "@wpo/llama";
import type { PreferenceLoss, PreferenceLossOptions } from "@wpo/losses";
import { clipGradNorm } from "@wpo/optim";
import { getScheduler, type Schedule } from "@wpo/scheduler";
import { accumulateGradients, evaluateMicroBatches, type MicroBatchContext } from "./_micro_batches.ts";
import { CollapseWatch } from "./_collapse_watch.ts";
import { divergedError, loggedMean, meanMetricRows, stepRecord, UnreadSteps } from "./_step_metrics.ts";
import { prepareTrainer, type TrainerInit } from "./_trainer_setup.ts";
import { stepMicroBatches } from "./data_order.ts";
import { type MetricRecord, MetricsWriter } from "./metrics_log.ts";
import { ProgressBar } from "./progress_bar.ts";
import { liveReference, type ReferenceSource, type ReferenceTable } from "./reference_logps.ts";
import { saveTrainerCheckpoint, type TrainerState } from "./trainer_checkpoint.ts";
import type { TrainerConfig } from "./trainer_config.ts";
import type { TrainerOptimizer } from "./trainer_optimizer.ts";
import type { TrainResult, WpoTrainerOptions } from "./wpo_trainer_options.ts";

/**
 * The WPO trainer: each optimizer step runs `gradientAccumulationSteps` micro-batches of
 * policy forward on [chosen; rejected] → log-probs and WPO log-weights from the same
 * pass → reference log-probs (live frozen model, precomputed table, or none) → the
 * registered pairwise loss → mean_i(w_i ℓ_i) → `tf.variableGrads`, sums the gradients,
 * clips their total norm, and applies AdamW with lr = base · schedule(step). Logs TRL
 * metric names, evaluates with `eval_` names, and writes atomic checkpoints that
 * `resumeFrom` continues exactly.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { buildPairFeatures } from "@wpo/data";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * import { WpoTrainer } from "@wpo/trainer";
 * await initBackend("cpu");
 * const policy = randomLlama(parseLlamaConfig({ vocab_size: 16, hidden_size: 8, intermediate_size: 12,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * const pair = buildPairFeatures({ promptIds: [5], chosenIds: [6, 7], rejectedIds: [8] }, { bosId: 1, eosId: 2 });
 * const trainer = await WpoTrainer.create(policy, { trainPairs: [pair, pair], padTokenId: 0,
 *   config: { perDeviceTrainBatchSize: 2, numTrainEpochs: 1, learningRate: 1e-2 } });
 * const result = await trainer.train();
 * console.assert(result.steps === 1 && Math.abs(result.records[0]!.loss! - Math.log(2) * result.records[0]!["wpo/weight_mean"]!) < 1e-5);
 * trainer.dispose();
 * ```
 */
export class WpoTrainer {
  readonly policy: LlamaModel;
  readonly config: TrainerConfig;
  readonly totalSteps: number;
  readonly #opts: WpoTrainerOptions;
  readonly #loss: PreferenceLoss;
  readonly #lossOptions: PreferenceLossOptions;
  readonly #optimizer: TrainerOptimizer;
  readonly #schedule: Schedule;
  readonly #warmupSteps: number;
  readonly #updatesPerEpoch: number;
  readonly #reference: ReferenceSource;
  readonly #referenceTable: ReferenceTable | undefined;
  readonly #ownedReference: LlamaModel | undefined;
  readonly #referenceModel: LlamaModel | undefined;
  #state: TrainerState;
  #writer: MetricsWriter | undefined;
  /** Steps applied but not yet read back (only with `metricsReadEvery` > 1). */
  #unread = new UnreadSteps();
  /** Set when a deferred read found a diverged step: the in-memory weights hold unverified updates. */
  #unusable: string | undefined;
  /** Set by {@linkcode WpoTrainer.requestStop}: `train()` stops after the current step and checkpoints. */
  #stopRequested = false;
  #collapse = new CollapseWatch();

  private constructor(init: TrainerInit) {
    this.policy = init.policy;
    this.#opts = init.opts;
    this.config = init.config;
    this.#loss = init.loss;
    this.#lossOptions = init.lossOptions;
    this.#optimizer = init.optimizer;
    this.#reference = init.reference;
    this.#referenceTable = init.referenceTable;
    this.#ownedReference = init.ownedReference;
    this.#referenceModel = init.referenceModel;
    this.totalSteps = init.totalSteps;
    this.#updatesPerEpoch = init.updatesPerEpoch;
    this.#warmupSteps = init.warmupSteps;
    this.#state = init.state;
    this.#schedule = getScheduler(init.config.lrSchedulerType, {
      totalSteps: init.totalSteps,
      warmupSteps: init.warmupSteps,
    });
    if (init.opts.outputDir) {
      // A resume rewrites metrics.jsonl from the checkpoint's history: lines logged after it are dropped.
      this.#writer = new MetricsWriter(join(init.opts.outputDir, "metrics.jsonl"), {
        ...(init.state.step > 0 ? { start: init.state.logHistory } : {}),
      });
    }
  }

  /**
   * Builds a trainer: resolves the loss, optimizer, schedule and reference source, and
   * restores a checkpoint when `resumeFrom` is given.
   *
   * @param policy The policy model (its variables are trained in place).
   * @param options Data, settings, output, reference, resume.
   * @returns A ready trainer.
   * @throws {RangeError} for an unknown loss or scheduler, or an empty dataset.
   */
  static async create(policy: LlamaModel, options: WpoTrainerOptions): Promise<WpoTrainer> {
    return new WpoTrainer(await prepareTrainer(policy, options));
  }

  /**
   * Asks `train()` to stop after the step in progress (e.g. on SIGINT): it reads that step back, writes a
   * checkpoint (with an output folder) and returns with `stopped` and `interrupted` set.
   */
  requestStop(): void {
    this.#stopRequested = true;
  }

  /** Queues read-back step records for logging; throws when they show a collapsed run. */
  #collect(records: MetricRecord[]): void {
    const first = this.#state.step - records.length + 1;
    for (const [k, r] of records.entries()) {
      this.#state.pending.push(r);
      const collapsed = this.#collapse.check(r, first + k, this.config.learningRate);
      if (collapsed) throw new Error(collapsed);
    }
  }

  /** Optimizer steps done. */
  get step(): number {
    return this.#state.step;
  }

  /** Every record logged so far (train and eval). */
  get history(): MetricRecord[] {
    return this.#state.logHistory;
  }

  /** Warmup steps of the schedule. */
  get warmupSteps(): number {
    return this.#warmupSteps;
  }

  /**
   * The learning rate used by optimizer step `step` (0-based): base · schedule(step).
   * @param step Step index.
   * @returns The learning rate.
   */
  learningRateAt(step: number): number {
    return this.config.learningRate * this.#schedule(step);
  }

  /** The dataset indices of the micro-batches of 0-based optimizer step `step`. */
  #microBatches(step: number): number[][] {
    return stepMicroBatches(step, {
      datasetSize: this.#opts.trainPairs.length,
      updatesPerEpoch: this.#updatesPerEpoch,
      batchSize: this.config.perDeviceTrainBatchSize,
      gradientAccumulationSteps: this.config.gradientAccumulationSteps,
      seed: this.config.seed,
      shuffle: this.config.shuffle,
    });
  }

  /**
   * Runs one optimizer step (all its micro-batches) and returns its metrics. It always reads
   * the step's scalars back before applying the update, whatever `metricsReadEvery` says
   * (use {@linkcode WpoTrainer.trainSteps} or {@linkcode WpoTrainer.train} for deferred reads).
   *
   * @returns TRL-named metrics of the step (loss, grad_norm, learning_rate, rewards/*, ...).
   * @throws {Error} when the loss or gradient norm is not finite (the update is not applied).
   */
  async trainStep(): Promise<MetricRecord> {
    this.#assertUsable();
    const started = performance.now();
    const { step, summed, clipped, metricVecs, tokens, lr } = this.#computeGrads();
    const normValue = (await clipped.norm.data())[0]!;
    const rows = await Promise.all(metricVecs.map((m) => m.data()));
    tf.dispose(metricVecs);
    const record = meanMetricRows(rows);
    const lossValue = record.loss!;
    if (!Number.isFinite(lossValue) || !Number.isFinite(normValue)) {
      tf.dispose([...summed.values(), ...Object.values(clipped.grads), clipped.norm]);
      throw divergedError(step + 1, { loss: lossValue, norm: normValue });
    }
    this.#optimizer.step(new Map(Object.entries(clipped.grads)), { lr });
    tf.dispose([...summed.values(), ...Object.values(clipped.grads), clipped.norm]);
    const seconds = (performance.now() - started) / 1000;
    this.#advance(step, tokens);
    return stepRecord({ step: step + 1, record, norm: normValue, lr, tokens }, seconds);
  }

  /**
   * Runs up to `count` optimizer steps (fewer at the end of training) and returns each step's
   * metrics, reading them back every `metricsReadEvery` steps and after the last one.
   *
   * @param count Steps to run (integer >= 1).
   * @returns One record per step, as {@linkcode WpoTrainer.trainStep} returns them.
   * @throws {RangeError} for a bad count; {@linkcode WpoTrainer.trainStep}'s error on divergence.
   */
  async trainSteps(count: number): Promise<MetricRecord[]> {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`trainSteps: count must be an integer >= 1, got ${count}.`);
    const every = this.config.metricsReadEvery;
    const end = Math.min(this.totalSteps, this.#state.step + count);
    const out: MetricRecord[] = [];
    try {
      while (this.#state.step < end) {
        if (every === 1) {
          out.push(await this.trainStep());
          continue;
        }
        this.#stepUnread();
        if (this.#unread.length >= every || this.#state.step === end) out.push(...(await this.#readUnread()));
      }
    } catch (error) {
      this.#abandonUnread();
      throw error;
    }
    return out;
  }

  #assertUsable(): void {
    if (this.#unusable) throw new Error(this.#unusable);
  }

  /** Advances the state past 0-based step `step`. */
  #advance(step: number, tokens: number): void {
    this.#state.step = step + 1;
    this.#state.epoch = this.#state.step / this.#updatesPerEpoch;
    const next = this.#state.step;
    this.#state.dataPosition = {
      epoch: Math.floor(next / this.#updatesPerEpoch),
      microBatch: (next % this.#updatesPerEpoch) * this.config.gradientAccumulationSteps,
    };
    this.#state.tokens += tokens;
  }

  /** One step without reading anything back: the update is applied, the scalars are queued. */
  #stepUnread(): void {
    this.#assertUsable();
    const { step, summed, clipped, metricVecs, tokens, lr } = this.#computeGrads();
    this.#optimizer.step(new Map(Object.entries(clipped.grads)), { lr });
    tf.dispose([...summed.values(), ...Object.values(clipped.grads)]);
    this.#advance(step, tokens);
    this.#unread.push({ step: step + 1, norm: clipped.norm, metricVecs, lr, tokens });
  }

  /** Reads the queued steps; a divergence retires the trainer (later updates were applied unchecked). */
  #readUnread(): Promise<MetricRecord[]> {
    return this.#unread.read((error) => {
      this.#unusable = error.message;
    });
  }

  /** Frees queued step tensors after an error; their updates are unverified, so the trainer is retired. */
  #abandonUnread(): void {
    const first = this.#unread.abandon();
    if (first === undefined) return;
    this.#unusable ??=
      `This trainer stopped with unverified steps from ${first} on (metricsReadEvery > 1): ` +
      "create a new trainer and resume from the last checkpoint.";
  }

  /** The pairs, padding, reference and objective settings the micro-batch loops share. */
  #microBatchContext(pairs: readonly PairFeatures[], reference: ReferenceSource): MicroBatchContext {
    return {
      pairs,
      padTokenId: this.#opts.padTokenId,
      reference,
      objective: (batch, ref) => ({
        batch,
        loss: this.#loss,
        lossOptions: this.#lossOptions,
        useWeighting: this.config.useWeighting,
        wpoAlignment: this.config.wpoAlignment,
        wpoClamp: this.config.wpoClamp,
        reference: ref,
        chunkSize: this.config.logpsChunkSize,
      }),
    };
  }

  /** Forward, backward, accumulation and clipping of the current step (nothing read back, nothing applied). */
  #computeGrads(): {
    step: number;
    summed: Map<string, tf.Tensor>;
    clipped: ReturnType<typeof clipGradNorm>;
    metricVecs: tf.Tensor1D[];
    tokens: number;
    lr: number;
  } {
    const step = this.#state.step;
    const { summed, metricVecs, tokens } = accumulateGradients(
      this.policy,
      this.#microBatches(step),
      this.#microBatchContext(this.#opts.trainPairs, this.#reference),
      this.policy.loraConfig() ? (Math.imul(this.config.seed + 1, 0x85ebca6b) ^ step) >>> 0 : undefined,
    );
    const maxNorm = this.config.maxGradNorm > 0 ? this.config.maxGradNorm : Number.MAX_VALUE;
    const clipped = clipGradNorm(summed, maxNorm);
    return { step, summed, clipped, metricVecs, tokens, lr: this.learningRateAt(step) };
  }

  /**
   * Evaluates on pairs (default: the held-out set): the same objective without gradients,
   * averaged over batches; names prefixed `eval_`.
   *
   * @param pairs Pairs to evaluate (default `evalPairs`).
   * @returns `eval_loss`, `eval_rewards/*`, `eval_logps/*`, `eval_logits/*`, `eval_wpo/weight_mean`.
   */
  async evaluate(pairs?: readonly PairFeatures[]): Promise<MetricRecord> {
    const data = pairs ?? this.#opts.evalPairs ?? [];
    if (data.length === 0) return {};
    // Held-out pairs are not in the precomputed table: evaluate them against the live reference model.
    const refModel = this.#referenceModel;
    let evalRef: ReferenceSource | undefined = this.#reference;
    if (this.#reference.kind === "precomputed") {
      evalRef = refModel ? liveReference(refModel, { chunkSize: this.config.logpsChunkSize }) : undefined;
    }
    if (!evalRef) {
      throw new Error(
        "Evaluation needs reference log-probs of the held-out pairs: pass `reference` to the trainer.",
      );
    }
    return evaluateMicroBatches(
      this.policy,
      this.config.perDeviceEvalBatchSize,
      this.#microBatchContext(data, evalRef),
    );
  }

  /**
   * Writes a checkpoint of the current step into the output folder.
   *
   * @returns The checkpoint folder.
   * @throws {Error} when the trainer has no output folder, or holds unverified (diverged) steps.
   */
  async saveCheckpoint(): Promise<string> {
    if (!this.#opts.outputDir) throw new Error("saveCheckpoint: the trainer has no outputDir.");
    this.#assertUsable();
    if (this.#unread.length > 0) throw new Error("saveCheckpoint: steps not yet read back; read them first.");
    const dir = await saveTrainerCheckpoint(this.#opts.outputDir, {
      model: this.policy,
      optimizerState: await this.#optimizer.state(),
      state: this.#state,
      referenceTable: this.#referenceTable,
      baseModel: this.#opts.baseModel,
    });
    this.#opts.log?.(`checkpoint written: ${dir}`);
    return dir;
  }

  #log(record: MetricRecord): void {
    this.#state.logHistory.push(record);
    this.#writer?.write(record);
  }

  /**
   * Trains until the total step count (or `stopAfterSteps`), logging every
   * `loggingSteps`, evaluating every `evalSteps` and at the end, checkpointing every
   * `saveSteps` and at the end.
   *
   * @returns Steps, records, last eval metrics, seconds, last checkpoint.
   */
  async train(): Promise<TrainResult> {
    const started = performance.now();
    const cfg = this.config;
    const bar = this.#opts.progress
      ? new ProgressBar(this.totalSteps, { stream: this.#opts.progress })
      : undefined;
    let evalMetrics: MetricRecord | undefined;
    let checkpoint: string | undefined;
    let stopped = false;
    let doneThisCall = 0;
    if (cfg.evalOnStart && this.#state.step === 0 && (this.#opts.evalPairs?.length ?? 0) > 0) {
      this.#log({ step: 0, epoch: 0, ...(await this.evaluate()) });
    }
    const every = cfg.metricsReadEvery;
    const hasEval = (this.#opts.evalPairs?.length ?? 0) > 0;
    try {
      while (this.#state.step < this.totalSteps) {
        if (this.#opts.stopAfterSteps !== undefined && doneThisCall >= this.#opts.stopAfterSteps) {
          stopped = true;
          break;
        }
        // Let the event loop run (signal handlers calling requestStop): the cpu backend's reads never yield.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#stopRequested) break;
        if (every === 1) this.#collect([await this.trainStep()]);
        else this.#stepUnread();
        doneThisCall++;
        const step = this.#state.step;
        const last = step === this.totalSteps;
        const logNow = step % cfg.loggingSteps === 0 || last;
        const evalNow = hasEval && ((cfg.evalSteps > 0 && step % cfg.evalSteps === 0) || last);
        const saveNow = !!this.#opts.outputDir && ((cfg.saveSteps > 0 && step % cfg.saveSteps === 0) || last);
        const stopNext =
          this.#stopRequested ||
          (this.#opts.stopAfterSteps !== undefined && doneThisCall >= this.#opts.stopAfterSteps);
        // Deferred reads: every `metricsReadEvery` steps, and before anything that needs verified steps.
        if (this.#unread.length >= every || logNow || evalNow || saveNow || stopNext) {
          this.#collect(await this.#readUnread());
        }
        if (logNow) {
          const mean = loggedMean(this.#state.pending);
          this.#state.pending = [];
          this.#log({ step, epoch: this.#state.epoch, ...mean });
          bar?.update(step, {
            loss: mean.loss,
            accuracy: mean["rewards/accuracies"],
            tokensPerSecond: mean.tokens_per_second,
          });
        }
        if (evalNow) {
          evalMetrics = await this.evaluate();
          this.#log({ step, epoch: this.#state.epoch, ...evalMetrics });
        }
        if (saveNow) checkpoint = await this.saveCheckpoint();
      }
      this.#collect(await this.#readUnread());
      if (this.#stopRequested && this.#state.step < this.totalSteps) {
        stopped = true;
        if (this.#opts.outputDir && !checkpoint?.endsWith(`checkpoint-${this.#state.step}`)) {
          checkpoint = await this.saveCheckpoint();
        }
      }
    } catch (error) {
      this.#abandonUnread();
      throw error;
    }
    return {
      steps: this.#state.step,
      records: this.#state.logHistory,
      evalMetrics,
      seconds: (performance.now() - started) / 1000,
      checkpoint,
      stopped,
      interrupted: stopped && this.#stopRequested,
    };
  }

  /** Frees the optimizer state and the reference clone the trainer made (not the policy). */
  dispose(): void {
    this.#optimizer.dispose?.();
    this.#ownedReference?.dispose();
  }
}
