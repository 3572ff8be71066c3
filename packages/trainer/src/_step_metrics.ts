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
