import * as tf from "@tensorflow/tfjs-core";
import { expectTensor } from "./_validate.ts";

/** Inputs of {@linkcode preferenceMetrics}: one micro-batch of B pairs. */
export interface PreferenceMetricsInputs {
  chosenRewards: tf.Tensor1D;
  rejectedRewards: tf.Tensor1D;
  /** Policy log-probs (sums, as the loss used them) of chosen and rejected, [B]. */
  policyChosenLogps: tf.Tensor1D;
  policyRejectedLogps: tf.Tensor1D;
  /** Mean of the entire chosen logits tensor [B, T, V] (TRL 0.9.6); see {@linkcode meanLogit}. */
  chosenLogitsMean?: tf.Tensor | number;
  rejectedLogitsMean?: tf.Tensor | number;
  /** WPO pair weights [B]; adds `wpo/weight_mean`. */
  weights?: tf.Tensor1D;
}

/** Options of {@linkcode preferenceMetrics}. */
export interface PreferenceMetricsOptions {
  /** Prefix of every key, e.g. `eval_` in evaluation (TRL). Default none. */
  prefix?: string;
}

/**
 * Every metric {@linkcode stackPreferenceMetrics} can give, in its order (TRL's names, plus `wpo/weight_mean`): all
 * of them when the logits means and weights are given.
 *
 * @example
 * ```ts
 * import { PREFERENCE_METRICS } from "@wpo/losses";
 * console.assert(PREFERENCE_METRICS[0] === "rewards/chosen" && PREFERENCE_METRICS.length === 9);
 * ```
 */
export const PREFERENCE_METRICS = [
  "rewards/chosen",
  "rewards/rejected",
  "rewards/accuracies",
  "rewards/margins",
  "logps/chosen",
  "logps/rejected",
  "logits/chosen",
  "logits/rejected",
  "wpo/weight_mean",
] as const;

/** The metrics of {@linkcode stackPreferenceMetrics}: their TRL names and their values in one tensor. */
export interface StackedPreferenceMetrics {
  /** Metric names, in the order of `values`. */
  names: string[];
  /** One value per name, [names.length] (new tensor, owned by the caller). */
  values: tf.Tensor1D;
}

/**
 * The metrics of {@linkcode preferenceMetrics} as one float32 tensor, without reading anything back (the
 * trainer queues it and reads it later): `rewards/chosen`, `rewards/rejected`, `rewards/accuracies`,
 * `rewards/margins`, `logps/chosen`, `logps/rejected`, then `logits/chosen`, `logits/rejected` and
 * `wpo/weight_mean` when given.
 *
 * @param inputs Rewards, policy log-probs, logits means and optional WPO weights.
 * @returns Names and a [names.length] tensor.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { stackPreferenceMetrics } from "@wpo/losses";
 * await initBackend("cpu");
 * const { names, values } = stackPreferenceMetrics({
 *   chosenRewards: tf.tensor1d([1, 0]), rejectedRewards: tf.tensor1d([0, 0]),
 *   policyChosenLogps: tf.tensor1d([-3, -5]), policyRejectedLogps: tf.tensor1d([-4, -6]),
 * });
 * console.assert(names[2] === "rewards/accuracies" && (await values.data())[2] === 0.5);
 * ```
 */
export function stackPreferenceMetrics(inputs: PreferenceMetricsInputs): StackedPreferenceMetrics {
  const { chosenRewards: c, rejectedRewards: r } = inputs;
  for (const key of [
    "chosenRewards",
    "rejectedRewards",
    "policyChosenLogps",
    "policyRejectedLogps",
  ] as const) {
    expectTensor(inputs[key], key, 1);
  }
  const names: string[] = [];
  const values = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    const add = (name: string, v: tf.Tensor | number) => {
      names.push(name);
      parts.push(tf.reshape(typeof v === "number" ? tf.scalar(v) : tf.cast(v, "float32"), [1]));
    };
    add("rewards/chosen", tf.mean(c));
    add("rewards/rejected", tf.mean(r));
    add("rewards/accuracies", tf.mean(tf.cast(tf.greater(c, r), "float32")));
    add("rewards/margins", tf.mean(tf.sub(c, r)));
    add("logps/chosen", tf.mean(inputs.policyChosenLogps));
    add("logps/rejected", tf.mean(inputs.policyRejectedLogps));
    if (inputs.chosenLogitsMean !== undefined) add("logits/chosen", tf.mean(inputs.chosenLogitsMean));
    if (inputs.rejectedLogitsMean !== undefined) add("logits/rejected", tf.mean(inputs.rejectedLogitsMean));
    if (inputs.weights !== undefined) add("wpo/weight_mean", tf.mean(inputs.weights));
    return tf.concat(parts) as tf.Tensor1D;
  });
  return { names, values };
}

/**
 * The metrics TRL's DPOTrainer logs, with its names: `rewards/chosen`, `rewards/rejected`,
 * `rewards/accuracies` (strict >: ties count as wrong), `rewards/margins`, `logps/chosen`, `logps/rejected`,
 * `logits/chosen`, `logits/rejected` (when given), plus `wpo/weight_mean` when weights are given. One async read
 * of {@linkcode stackPreferenceMetrics}.
 *
 * @param inputs Rewards, policy log-probs, logits means and optional WPO weights.
 * @param options `prefix`.
 * @returns A plain record of numbers.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { preferenceMetrics } from "@wpo/losses";
 * await initBackend("cpu");
 * const m = await preferenceMetrics({
 *   chosenRewards: tf.tensor1d([1, 0]), rejectedRewards: tf.tensor1d([0, 0]),
 *   policyChosenLogps: tf.tensor1d([-3, -5]), policyRejectedLogps: tf.tensor1d([-4, -6]),
 * });
 * console.assert(m["rewards/accuracies"] === 0.5 && m["logps/chosen"] === -4);
 * ```
 */
export async function preferenceMetrics(
  inputs: PreferenceMetricsInputs,
  options: PreferenceMetricsOptions = {},
): Promise<Record<string, number>> {
  const { names, values } = stackPreferenceMetrics(inputs);
  const data = await values.data();
  values.dispose();
  const prefix = options.prefix ?? "";
  return Object.fromEntries(names.map((n, i) => [`${prefix}${n}`, data[i]!]));
}

/** Options of {@linkcode meanLogit}. */
export interface MeanLogitOptions {
  /** T·V: logits per row (sequence length times vocabulary size). */
  logitsPerRow: number;
}

/**
 * Mean of an entire [B, T, V] logits tensor from the per-row sums (`logitsSum` of `sequenceLogps`), as TRL's
 * `logits/chosen`: Σ_rows logitsSum / (B·T·V).
 *
 * @param logitsSum Per-row sums of the logits, [B].
 * @param options `logitsPerRow` = T·V.
 * @returns A scalar tensor.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { meanLogit } from "@wpo/losses";
 * await initBackend("cpu");
 * const m = await meanLogit(tf.tensor1d([12, 4]), { logitsPerRow: 4 }).data();
 * console.assert(m[0] === 2);
 * ```
 */
export function meanLogit(logitsSum: tf.Tensor1D, options: MeanLogitOptions): tf.Scalar {
  expectTensor(logitsSum, "logitsSum", 1);
  if (!(options.logitsPerRow > 0)) {
    throw new RangeError(`Expected 'logitsPerRow' (T·V) to be positive, got ${options.logitsPerRow}.`);
  }
  return tf.tidy(() => tf.div(tf.sum(logitsSum), logitsSum.shape[0] * options.logitsPerRow));
}
