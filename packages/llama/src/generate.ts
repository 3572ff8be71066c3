import * as tf from "@tensorflow/tfjs-core";
import { decode, type LayerCache } from "./_decoder.ts";
import { attentionBias } from "./_mask.ts";
import { ropeInvFreq, ropeTables } from "./_rope.ts";
import { SeededRng } from "@wpo/random";
import { makeSampler } from "./_sampling.ts";
import type { LlamaModel } from "./llama_model.ts";

/** Options of {@linkcode generate}. */
export interface GenerateOptions {
  /** Most tokens generated per prompt. */
  maxNewTokens: number;
  /** Softmax temperature; 0 (default) is greedy decoding. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 = off, default). */
  topK?: number;
  /** Nucleus sampling mass (1 = off, default). */
  topP?: number;
  /** Seed of the sampler (default 0): same seed, same completions. */
  seed?: number;
  /** A row stops after emitting one of these ids. Default: the config's eos_token_id(s). */
  stopTokenIds?: number[];
  /** Keep the stop token at the end of a completion, as transformers does. Default true. */
  includeStopToken?: boolean;
  /** Id used for left padding of shorter prompts (never attended). Default 0. */
  padTokenId?: number;
}

function defaultStops(model: LlamaModel): number[] {
  const eos = model.config.eosTokenId;
  return eos === null ? [] : Array.isArray(eos) ? eos : [eos];
}

/**
 * Generates completions for a batch of prompts with a KV cache: prompts are
 * left-padded to a common length, position ids count only real tokens, and each step
 * feeds one token per row. Sampling (greedy, temperature, top-k, top-p) runs on
 * CPU-side logits read with `await data()`. No gradients are recorded.
 *
 * @param model The model.
 * @param promptIds One non-empty list of token ids per prompt.
 * @param options Length, sampling and stopping.
 * @returns The completion ids of each prompt (the prompt is not included).
 * @throws {RangeError} for an empty prompt, an id outside the vocabulary or a bad option.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { generate, loadLlama2c } from "@wpo/llama";
 * await initBackend("cpu");
 * const model = await loadLlama2c("../../assets/stories260K.bin");
 * const out = await generate(model, [[1], [1, 403]], { maxNewTokens: 4, temperature: 0.8, topK: 20, seed: 7 });
 * console.assert(out.length === 2 && out.every((ids) => ids.length <= 4));
 * model.dispose();
 * ```
 */
export async function generate(
  model: LlamaModel,
  promptIds: number[][],
  options: GenerateOptions,
): Promise<number[][]> {
  const c = model.config;
  const { maxNewTokens } = options;
  const params = { temperature: options.temperature ?? 0, topK: options.topK ?? 0, topP: options.topP ?? 1 };
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
    throw new RangeError(`maxNewTokens must be a non-negative integer, got ${maxNewTokens}.`);
  }
  if (!(params.temperature >= 0) || !(params.topP > 0 && params.topP <= 1) || !(params.topK >= 0)) {
    throw new RangeError("generate: need temperature >= 0, 0 < topP <= 1 and topK >= 0.");
  }
  const b = promptIds.length;
  promptIds.forEach((p, i) => {
    if (p.length === 0) throw new RangeError(`Prompt ${i} is empty; start it with at least a BOS token.`);
    for (const id of p) {
      if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) {
        throw new RangeError(`Prompt ${i} has token id ${id}, outside the vocabulary [0, ${c.vocabSize}).`);
      }
    }
  });
  const out: number[][] = promptIds.map(() => []);
  if (b === 0 || maxNewTokens === 0) return out;
  const stops = new Set(options.stopTokenIds ?? defaultStops(model));
  const includeStop = options.includeStopToken ?? true;
  const pad = options.padTokenId ?? 0;
  const rng = new SeededRng(options.seed ?? 0).asFunction();
  const sample = makeSampler(c.vocabSize, params);
  const invFreq = ropeInvFreq(c);
  const weight = (name: string): tf.Tensor => model.weight(name);
  const active = model.loraRuntime();
  const lora = active && { ...active, dropout: undefined };
  const lmHead = model.lmHeadWeight();

  const promptLen = Math.max(...promptIds.map((p) => p.length));
  const total = promptLen + maxNewTokens;
  const keyMask = new Float32Array(b * total);
  const ids = new Int32Array(b * promptLen).fill(pad);
  const positions = new Int32Array(b * promptLen);
  const nextPos = new Int32Array(b);
  promptIds.forEach((p, r) => {
    const offset = promptLen - p.length;
    for (let j = 0; j < p.length; j++) {
      ids[r * promptLen + offset + j] = p[j]!;
      positions[r * promptLen + offset + j] = j;
      keyMask[r * total + offset + j] = 1;
    }
    nextPos[r] = p.length;
  });
  const maskTensor = (len: number): tf.Tensor2D => {
    const m = new Float32Array(b * len);
    for (let r = 0; r < b; r++) m.set(keyMask.subarray(r * total, r * total + len), r * len);
    return tf.tensor2d(m, [b, len]);
  };

  let cache: LayerCache[] | undefined;
  let stepIds = tf.tensor2d(ids, [b, promptLen], "int32");
  let stepPositions = positions;
  let keyLen = promptLen;
  const done = new Uint8Array(b);
  try {
    for (let step = 0; step < maxNewTokens; step++) {
      const t = stepIds.shape[1];
      const result = tf.tidy(() => {
        const { cos, sin } = ropeTables(invFreq, stepPositions, b, t);
        const bias = attentionBias(t, keyLen, maskTensor(keyLen));
        const inputs = cache ? { cos, sin, bias, cache, lora } : { cos, sin, bias, lora };
        const { hidden, cache: next } = decode(c, weight, stepIds, inputs);
        const lastStep = t === 1 ? hidden : tf.slice(hidden, [0, t - 1, 0], [b, 1, c.hiddenSize]);
        const last = tf.reshape(lastStep, [b, c.hiddenSize]);
        return [tf.matMul(last, lmHead, false, true), ...next.flatMap((l) => [l.k, l.v])];
      });
      if (cache) tf.dispose(cache.flatMap((l) => [l.k, l.v]));
      const [logitsTensor, ...kv] = result;
      cache = Array.from({ length: kv.length / 2 }, (_, l) => ({
        k: kv[2 * l] as tf.Tensor4D,
        v: kv[2 * l + 1] as tf.Tensor4D,
      }));
      stepIds.dispose();
      const logits = (await logitsTensor!.data()) as Float32Array;
      logitsTensor!.dispose();
      const chosen = new Int32Array(b).fill(pad);
      for (let r = 0; r < b; r++) {
        const u = rng();
        if (done[r]) continue;
        const token = sample(logits.subarray(r * c.vocabSize, (r + 1) * c.vocabSize), u);
        chosen[r] = token;
        if (stops.has(token)) {
          done[r] = 1;
          if (includeStop) out[r]!.push(token);
        } else {
          out[r]!.push(token);
        }
      }
      stepIds = tf.tensor2d(chosen, [b, 1], "int32");
      if (done.every((d) => d === 1)) break;
      for (let r = 0; r < b; r++) keyMask[r * total + keyLen] = 1;
      keyLen += 1;
      stepPositions = Int32Array.from(nextPos);
      for (let r = 0; r < b; r++) nextPos[r]! += 1;
    }
  } finally {
    stepIds.dispose();
    if (cache) tf.dispose(cache.flatMap((l) => [l.k, l.v]));
  }
  return out;
}
