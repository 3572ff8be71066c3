import * as tf from "@tensorflow/tfjs-core";
import { SeededRng } from "@wpo/random";
import { LlamaModel } from "./llama_model.ts";
import { type LoraConfig, type LoraConfigInput, loraScale, resolveLoraConfig } from "./lora_config.ts";
import { loraWeightShapes } from "./lora_shapes.ts";

/** Options of {@linkcode initLoraWeights} and {@linkcode addLora}. */
export interface InitLoraOptions {
  /** Seed of A's Kaiming-uniform draw. */
  seed: number;
}

/**
 * PEFT's initial adapter: A [r, in] Kaiming-uniform with a = sqrt(5) (torch's
 * `kaiming_uniform_`: bound = gain · sqrt(3 / fan_in) with gain = sqrt(2 / (1 + a²)), i.e.
 * U(-1/sqrt(in), 1/sqrt(in))), B [out, r] zeros, so the adapted model starts equal to the base.
 *
 * @param model The base model (only its config is read).
 * @param lora The resolved LoRA config.
 * @param options The seed.
 * @returns Name -> `{ shape, data }`, as {@linkcode LlamaModel.attachLora} takes them.
 * @example
 * ```ts
 * import { initLoraWeights, parseLlamaConfig, randomLlama, resolveLoraConfig } from "@wpo/llama";
 * import { initBackend } from "@wpo/backends";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * const w = initLoraWeights(m, resolveLoraConfig({ r: 2, targetModules: "q_proj" }), { seed: 3 });
 * const a = w.get("model.layers.0.self_attn.q_proj.lora_A.weight")!.data;
 * console.assert(a.every((x) => Math.abs(x) <= 0.5) && w.get("model.layers.0.self_attn.q_proj.lora_B.weight")!.data.every((x) => x === 0));
 * m.dispose();
 * ```
 */
export function initLoraWeights(
  model: LlamaModel,
  lora: LoraConfig,
  options: InitLoraOptions,
): Map<string, { shape: number[]; data: Float32Array }> {
  const rng = new SeededRng(options.seed).asFunction();
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, shape] of loraWeightShapes(model.config, lora)) {
    const data = new Float32Array(shape[0]! * shape[1]!);
    if (name.endsWith(".lora_A.weight")) {
      const fanIn = shape[1]!;
      const gain = Math.sqrt(2 / (1 + 5));
      const bound = gain * Math.sqrt(3 / fanIn);
      for (let i = 0; i < data.length; i++) data[i] = (2 * rng() - 1) * bound;
    }
    out.set(name, { shape, data });
  }
  return out;
}

/**
 * Attaches a freshly initialised LoRA adapter to a model (PEFT's `get_peft_model`): base
 * weights frozen, adapter trainable.
 *
 * @param model The model (changed in place).
 * @param config LoRA settings (r, alpha, dropout, target modules, rsLoRA).
 * @param options The seed of A's initialisation.
 * @returns The resolved config.
 * @throws {RangeError} for a bad config.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * addLora(m, { r: 2, loraAlpha: 4 }, { seed: 1 });
 * const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
 * const diff = tf.max(tf.abs(tf.sub(m.forward(ids), m.forward(ids, { adapters: false })))).dataSync()[0]!;
 * console.assert(diff === 0 && m.trainableVariables().length === 14);
 * m.dispose();
 * ```
 */
export function addLora(model: LlamaModel, config: LoraConfigInput, options: InitLoraOptions): LoraConfig {
  const lora = resolveLoraConfig(config);
  model.attachLora(lora, initLoraWeights(model, lora, options));
  return lora;
}

/**
 * The merged weights W + scale · B A of every adapted projection, keyed by the base
 * weight's name (PEFT's `merge_and_unload`).
 *
 * @param model A model with an adapter.
 * @returns New tensors (the caller disposes them).
 * @throws {Error} when the model has no adapter.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { addLora, mergedLoraWeights, parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * addLora(m, { r: 2, targetModules: "o_proj" }, { seed: 1 });
 * const merged = mergedLoraWeights(m);
 * console.assert([...merged.keys()].join() === "model.layers.0.self_attn.o_proj.weight");
 * merged.forEach((t) => t.dispose());
 * m.dispose();
 * ```
 */
export function mergedLoraWeights(model: LlamaModel): Map<string, tf.Tensor> {
  const lora = model.loraConfig();
  if (!lora) throw new Error("mergedLoraWeights: the model has no LoRA adapter.");
  const scale = loraScale(lora);
  const out = new Map<string, tf.Tensor>();
  for (const name of loraWeightShapes(model.config, lora).keys()) {
    if (!name.endsWith(".lora_A.weight")) continue;
    const prefix = name.slice(0, -".lora_A.weight".length);
    out.set(
      `${prefix}.weight`,
      tf.tidy(() =>
        tf.add(
          model.weight(`${prefix}.weight`),
          tf.mul(
            tf.matMul(
              model.weight(`${prefix}.lora_B.weight`) as tf.Tensor2D,
              model.weight(name) as tf.Tensor2D,
            ),
            scale,
          ),
        ),
      ),
    );
  }
  return out;
}

/**
 * A plain model (no adapter, its own Variables) whose projections are W + scale · B A.
 *
 * @param model A model with an adapter.
 * @returns The merged model; dispose it separately.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { addLora, mergeLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
 * addLora(m, { r: 2 }, { seed: 1 });
 * const merged = mergeLora(m);
 * console.assert(merged.loraConfig() === undefined && merged.variables().size === m.variables().size);
 * merged.dispose();
 * m.dispose();
 * ```
 */
export function mergeLora(model: LlamaModel): LlamaModel {
  const merged = mergedLoraWeights(model);
  const weights = new Map<string, tf.Tensor>();
  for (const [name, v] of model.variables()) weights.set(name, merged.get(name) ?? v);
  try {
    return LlamaModel.fromTensors(model.config, weights);
  } finally {
    for (const t of merged.values()) t.dispose();
  }
}
