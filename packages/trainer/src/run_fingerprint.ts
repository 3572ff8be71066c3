import { createHash } from "#node-only";
import * as tf from "@tensorflow/tfjs-core";
import type { PairFeatures } from "@wpo/data";
import type { LlamaModel } from "@wpo/llama";
import { resolveLoss } from "./_resolve_loss.ts";
import type { TrainerConfig } from "./trainer_config.ts";

/**
 * What changes the maths of a run, by key: `data` and `model` are hashes, `loss`, `batch`, `schedule` and
 * `optimizer` the settings themselves (so a mismatch can say what differs); callers may add keys (`tokenizer`).
 */
export type RunFingerprint = Record<string, string>;

const hash = (h: ReturnType<typeof createHash>) => h.digest("hex").slice(0, 16);
const settings = (c: Record<string, unknown>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");

/**
 * Fingerprints a run: the tokenised training pairs, the model's config and a sample of every weight (the
 * first 256 values of each tensor, read from the device without copying whole tensors), and the settings
 * that change the updates. Two runs with equal fingerprints compute the same steps.
 *
 * @param model The policy before any resume.
 * @param options Training pairs, resolved settings, pad id and total steps; `extra` keys are copied in.
 * @returns Key -> fingerprint text.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { buildPairFeatures } from "@wpo/data";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * import { resolveTrainerConfig, runFingerprint } from "@wpo/trainer";
 * await initBackend("cpu");
 * const model = randomLlama(parseLlamaConfig({ vocab_size: 16, hidden_size: 8, intermediate_size: 12,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * const pairs = [buildPairFeatures({ promptIds: [5], chosenIds: [6], rejectedIds: [7] }, { bosId: 1, eosId: 2 })];
 * const fp = await runFingerprint(model, { trainPairs: pairs, config: resolveTrainerConfig(), padTokenId: 0, totalSteps: 3 });
 * console.assert(fp.data!.length === 16 && fp.batch === "perDeviceTrainBatchSize=8 gradientAccumulationSteps=1 padTokenId=0");
 * model.dispose();
 * ```
 */
export async function runFingerprint(
  model: LlamaModel,
  options: {
    trainPairs: readonly PairFeatures[];
    config: TrainerConfig;
    padTokenId: number;
    totalSteps: number;
    extra?: RunFingerprint | undefined;
  },
): Promise<RunFingerprint> {
  const c = options.config;
  const resolved = resolveLoss(c);
  const loss: Record<string, unknown> = { ...resolved.loss.defaults, ...resolved.options };
  const { beta: _beta, labelSmoothing: _ls, ...lossRest } = loss;
  const data = createHash("sha256");
  for (const f of options.trainPairs) {
    for (const a of [f.chosenInputIds, f.chosenLabels, f.rejectedInputIds, f.rejectedLabels]) {
      data.update(Int32Array.from(a));
      data.update("|");
    }
  }
  data.update(`seed=${c.seed} shuffle=${c.shuffle}`);
  const weights = createHash("sha256");
  weights.update(JSON.stringify(model.config));
  for (const [name, v] of model.variables()) {
    weights.update(`${name}:${v.shape.join("x")}`);
    const head = tf.tidy(() => tf.slice(tf.reshape(v, [-1]), 0, Math.min(256, v.size)));
    // An async read: WebGPU has no synchronous one in Node.
    weights.update(new Uint8Array(((await head.data()) as Float32Array).buffer.slice(0)));
    head.dispose();
  }
  return {
    data: hash(data),
    model: hash(weights),
    loss: settings({
      lossType: c.lossType,
      // The options the loss computes with (its defaults, then the run's), so that "beta 0.1 by default" and
      // "beta 0.1 given" are the same run; always the same tokens, so a difference names the changed one.
      beta: loss.beta,
      labelSmoothing: loss.labelSmoothing ?? 0,
      lossWeights: c.lossWeights ? c.lossWeights.join(",") : "-",
      lossOptions: JSON.stringify(lossRest),
      useWeighting: c.useWeighting,
      wpoAlignment: c.wpoAlignment,
      wpoClamp: c.wpoClamp,
      referenceMode: c.referenceMode,
    }),
    batch: settings({
      perDeviceTrainBatchSize: c.perDeviceTrainBatchSize,
      gradientAccumulationSteps: c.gradientAccumulationSteps,
      padTokenId: options.padTokenId,
    }),
    schedule: settings({
      learningRate: c.learningRate,
      lrSchedulerType: c.lrSchedulerType,
      warmupRatio: c.warmupRatio,
      warmupSteps: c.warmupSteps,
      numTrainEpochs: c.numTrainEpochs,
      maxSteps: c.maxSteps,
      totalSteps: options.totalSteps,
    }),
    optimizer: settings({
      adamBeta1: c.adamBeta1,
      adamBeta2: c.adamBeta2,
      adamEpsilon: c.adamEpsilon,
      weightDecay: c.weightDecay,
      maxGradNorm: c.maxGradNorm,
    }),
    ...options.extra,
  };
}

/**
 * Compares a checkpoint's fingerprint with the current run's and describes every differing key.
 *
 * @param saved The checkpoint's fingerprint.
 * @param current This run's fingerprint.
 * @returns One line per differing key (`batch: perDeviceTrainBatchSize=8 ... -> ...=4 ...`); empty when equal.
 * @example
 * ```ts
 * import { fingerprintDifferences } from "@wpo/trainer";
 * const d = fingerprintDifferences({ data: "a", loss: "beta=0.1" }, { data: "a", loss: "beta=0.5" });
 * console.assert(d.length === 1 && d[0] === "loss: beta=0.1 -> beta=0.5");
 * ```
 */
export function fingerprintDifferences(saved: RunFingerprint, current: RunFingerprint): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(saved), ...Object.keys(current)])) {
    const a = Object.hasOwn(saved, key) ? saved[key] : undefined;
    const b = Object.hasOwn(current, key) ? current[key] : undefined;
    if (a === b) continue;
    if (a === undefined || b === undefined) {
      out.push(`${key}: ${a === undefined ? "not in the checkpoint" : "not given now"}`);
      continue;
    }
    const wa = a.split(" ");
    const wb = b.split(" ");
    const differs = wa.length === wb.length && wa.length > 1;
    out.push(
      differs
        ? `${key}: ${wa.filter((w, i) => w !== wb[i]).join(" ")} -> ${wb.filter((w, i) => w !== wa[i]).join(" ")}`
        : `${key}: ${a} -> ${b}`,
    );
  }
  return out;
}
