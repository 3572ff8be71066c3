import * as tf from "@tensorflow/tfjs-core";
import type { MetricRecord } from "./metrics_log.ts";
import { OBJECTIVE_METRICS } from "./pair_objective.ts";

/** A step whose update is applied but whose scalars are still on the device (the caller owns the tensors). */
export interface UnreadStep {
  /** 1-based step number. */
  step: number;
  /** Total gradient norm before clipping, scalar. */
  norm: tf.Tensor;
  /** One metric vector per micro-batch, in {@linkcode OBJECTIVE_METRICS} order. */
  metricVecs: tf.Tensor1D[];
  /** Learning rate the step used. */
  lr: number;
  /** Tokens of the step's micro-batches. */
  tokens: number;
}

/** A read-back step: its objective metrics (mean over micro-batches) and gradient norm. */
export interface ReadStep {
  step: number;
  record: MetricRecord;
  norm: number;
  lr: number;
  tokens: number;
}

/** The mean over micro-batch rows of each objective metric (same arithmetic for every read path). */
export function meanMetricRows(rows: ArrayLike<number>[]): MetricRecord {
  const record: MetricRecord = {};
  OBJECTIVE_METRICS.forEach((name, j) => {
    record[name] = rows.reduce((s, r) => s + r[j]!, 0) / rows.length;
  });
  return record;
}

/**
 * Reads every unread step's norm and metric vectors with ONE device read (a concat, then
 * `await data()`), and disposes their tensors whatever happens.
 */
export async function readSteps(queue: readonly UnreadStep[]): Promise<ReadStep[]> {
  if (queue.length === 0) return [];
  let flat: Float32Array | Int32Array | Uint8Array;
  try {
    const all = tf.tidy(() => tf.concat(queue.flatMap((u) => [tf.reshape(u.norm, [1]), ...u.metricVecs])));
    try {
      flat = await all.data();
    } finally {
      all.dispose();
    }
  } finally {
    for (const u of queue) tf.dispose([u.norm, ...u.metricVecs]);
  }
  const width = OBJECTIVE_METRICS.length;
  const out: ReadStep[] = [];
  let at = 0;
  for (const u of queue) {
    const norm = flat[at++]!;
    const rows: Float32Array[] = [];
    for (let k = 0; k < u.metricVecs.length; k++, at += width)
      rows.push(Float32Array.from(flat.subarray(at, at + width)));
    out.push({ step: u.step, record: meanMetricRows(rows), norm, lr: u.lr, tokens: u.tokens });
  }
  return out;
}

/** The error for a non-finite loss or gradient norm at 1-based step `step`. */
export function divergedError(
  step: number,
  figures: { loss: number; norm: number; appliedThrough?: number | undefined },
): Error {
  const head = `Training diverged at step ${step}: loss ${figures.loss}, grad_norm ${figures.norm}.`;
  const fix =
    "lower --learning_rate, check the data for empty responses, or resume from the last checkpoint.";
  if (figures.appliedThrough === undefined) return new Error(`${head} The update was not applied; ${fix}`);
  return new Error(
    `${head} With metricsReadEvery > 1 this was found when reading back steps up to ${figures.appliedThrough}: ` +
      `the updates of steps ${step}..${figures.appliedThrough} were applied in memory (this trainer can no longer ` +
      `train or save), and no checkpoint holding step ${step} or later was written; ${fix}`,
  );
}

/** The metric record of a read-back step, as `trainStep` returns it. */
export function stepRecord(read: ReadStep, seconds: number): MetricRecord {
  return {
    ...read.record,
    grad_norm: read.norm,
    learning_rate: read.lr,
    tokens_per_second: read.tokens / Math.max(seconds, 1e-9),
    num_tokens: read.tokens,
  };
}

/**
 * Steps applied without a read-back (`metricsReadEvery` > 1), read together later.
 * Owns the queued tensors until they are read or abandoned.
 */
export class UnreadSteps {
  #queue: UnreadStep[] = [];
  #started = 0;

  /** Steps waiting to be read. */
  get length(): number {
    return this.#queue.length;
  }

  /** Queues a step (the first one starts the wall-clock share). */
  push(step: UnreadStep): void {
    if (this.#queue.length === 0) this.#started = performance.now();
    this.#queue.push(step);
  }

  /**
   * Reads every queued step at once. For the first non-finite one, calls `onDiverged` with the
   * divergence error (later updates were applied without a check) and throws it.
   */
  async read(onDiverged: (error: Error) => void): Promise<MetricRecord[]> {
    const queue = this.#queue;
    this.#queue = [];
    if (queue.length === 0) return [];
    const read = await readSteps(queue);
    // The device ran the queued steps back to back: share the wall time evenly.
    const seconds = (performance.now() - this.#started) / 1000 / queue.length;
    const appliedThrough = queue.at(-1)!.step;
    return read.map((r) => {
      if (!Number.isFinite(r.record.loss!) || !Number.isFinite(r.norm)) {
        const error = divergedError(r.step, { loss: r.record.loss!, norm: r.norm, appliedThrough });
        onDiverged(error);
        throw error;
      }
      return stepRecord(r, seconds);
    });
  }

  /** Frees the queued tensors after an error. @returns the first abandoned step, if any. */
  abandon(): number | undefined {
    if (this.#queue.length === 0) return undefined;
    for (const u of this.#queue) tf.dispose([u.norm, ...u.metricVecs]);
    const first = this.#queue[0]!.step;
    this.#queue = [];
    return first;
  }
}

/**
 * The record logged for the steps since the last log: the mean of each metric over them (without
 * `num_tokens`), with the last step's `grad_norm` and `learning_rate`, as the HF Trainer logs them.
 */
export function loggedMean(pending: readonly MetricRecord[]): MetricRecord {
  const last = pending.at(-1)!;
  const mean: MetricRecord = {};
  for (const key of Object.keys(pending[0]!)) {
    if (key === "num_tokens") continue;
    mean[key] = pending.reduce((s, r) => s + (r[key] ?? 0), 0) / pending.length;
  }
  mean.grad_norm = last.grad_norm!;
  mean.learning_rate = last.learning_rate!;
  return mean;
}
