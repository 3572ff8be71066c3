/**
 * The Llama model (Hugging Face `LlamaForCausalLM`) as tfjs Variables named like transformers' weights.
 *
 * Architecture, in the order the forward pass runs it (`_decoder.ts` holds the layer maths):
 * - token embedding `model.embed_tokens.weight` [V, E];
 * - L pre-norm decoder layers, each `h = x + attention(RMSNorm(x))`, `out = h + mlp(RMSNorm(h))`;
 * - RMSNorm: `w · x / sqrt(mean(x²) + eps)` over E (`rms_norm_eps`);
 * - RoPE in the rotate-half layout on queries and keys, with per-row position ids and optional llama3
 *   frequency scaling (`rope_scaling.rope_type: "llama3"`), inverse frequencies rounded as transformers';
 * - grouped-query attention: H query heads share KV key/value heads (the g = H/KV heads of a group are
 *   folded into the query axis), scores scaled by d^-0.5, causal + key-padding mask added as a finite
 *   -1e9 (never -Infinity), softmax in float32;
 * - SwiGLU MLP: `down(silu(gate(x)) · up(x))`;
 * - final RMSNorm, then the LM head `lm_head.weight`, or the embedding itself when `tie_word_embeddings`.
 * All projections are bias-free `x · Wᵀ` with W in the HF `[out, in]` layout.
 *
 * Memory options of the forward pass (same values, different memory/speed trade-offs): attention above
 * `attentionBlockSize` positions runs in query blocks and never holds [B, H, T, T] probabilities, and
 * `gradientCheckpointing` recomputes each layer in the backward pass. Fused kernels (wasm + `@wpo/blas`)
 * replace RMSNorm, RoPE, the masked softmax and SwiGLU where the backend registers them (`_fused.ts`).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LlamaConfig } from "./config.ts";
import { type DecodeInputs, decode } from "./_decoder.ts";
import type { LoraRuntime } from "./_lora_linear.ts";
import { attentionBias } from "./_mask.ts";
import { type LoraConfig, loraScale } from "./lora_config.ts";
import { loraWeightShapes } from "./lora_shapes.ts";
import { ropeInvFreq, ropeTables } from "./_rope.ts";
import { weightProblems } from "./_weight_problems.ts";
import { llamaWeightShapes } from "./weight_shapes.ts";

/**
 * Query rows per attention block by default ({@linkcode ForwardOptions.attentionBlockSize}): sequences up to
 * this length run attention in one piece, longer ones in blocks of this many rows.
 *
 * @example
 * ```ts
 * import { DEFAULT_ATTENTION_BLOCK_SIZE } from "@wpo/llama";
 * console.assert(DEFAULT_ATTENTION_BLOCK_SIZE === 256);
 * ```
 */
export const DEFAULT_ATTENTION_BLOCK_SIZE = 256;

/** Options of {@linkcode LlamaModel.fromTensors} and {@linkcode LlamaModel.clone}. */
export interface LlamaModelOptions {
  /** Whether the weight Variables are trainable. Default true. */
  trainable?: boolean;
  /** Initial value of {@linkcode LlamaModel.gradientCheckpointing}. Default false. */
  gradientCheckpointing?: boolean;
}

/** Options of {@linkcode LlamaModel.forward} and {@linkcode LlamaModel.hiddenStates}. */
export interface ForwardOptions {
  /** [B, T] with 1 for real tokens and 0 for padding (int32 or float32); keys at 0 are never attended. */
  attentionMask?: tf.Tensor2D;
  /** Position of each token, [B][T]. Default 0..T-1 for every row (as transformers' forward). */
  positionIds?: number[][];
  /**
   * Recompute each decoder layer in the backward pass instead of keeping its activations (Hugging Face's
   * gradient checkpointing): only each layer's input is kept. Same values and gradients; one more forward
   * pass of the layers per backward. Default: the model's {@linkcode LlamaModel.gradientCheckpointing}.
   */
  gradientCheckpointing?: boolean;
  /**
   * Above this many positions, attention runs in blocks of this many query rows, forward and backward,
   * keeping only q, k and v (memory linear in T); up to it, in one piece (probabilities kept, a little
   * faster at short T). 0 or Infinity: never in blocks. Default {@linkcode DEFAULT_ATTENTION_BLOCK_SIZE}.
   */
  attentionBlockSize?: number;
  /** Run with the attached LoRA adapter (default true); false gives the frozen base model. */
  adapters?: boolean;
}

/** A weight given to {@linkcode LlamaModel.fromTensors}: a tensor, or float32 values with their shape. */
export type WeightSource = tf.Tensor | { shape: readonly number[]; data: Float32Array };

let modelCounter = 0;

/**
 * A Llama decoder whose weights are tfjs Variables named by their Hugging Face tensor
 * names. `forward` returns float32 logits and is differentiable w.r.t. the Variables
 * (use `tf.variableGrads`); `hiddenStates` stops before the lm_head so a loss can
 * compute log-probs in vocabulary chunks.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1, std: 0.5 });
 * const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
 * const { grads } = tf.variableGrads(() => tf.sum(tf.square(m.forward(ids))) as tf.Scalar, m.trainableVariables());
 * console.assert(Object.keys(grads).length === m.variables().size);
 * m.dispose();
 * ```
 */
export class LlamaModel {
  /** The model config. */
  readonly config: LlamaConfig;
  /**
   * Recompute each decoder layer in the backward pass (Hugging Face's `gradient_checkpointing_enable()`):
   * the default of {@linkcode ForwardOptions.gradientCheckpointing}. Settable.
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs-core";
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 2, num_attention_heads: 2 }), { seed: 1, std: 0.5 });
   * const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
   * const loss = () => tf.sum(tf.square(m.forward(ids))) as tf.Scalar;
   * const plain = tf.variableGrads(loss).grads;
   * m.gradientCheckpointing = true;
   * const recomputed = tf.variableGrads(loss).grads;
   * const name = m.variables().get("model.layers.0.mlp.up_proj.weight")!.name;
   * console.assert(tf.max(tf.abs(tf.sub(plain[name]!, recomputed[name]!))).dataSync()[0]! < 1e-6);
   * m.dispose();
   * ```
   */
  gradientCheckpointing: boolean;
  readonly #vars: Map<string, tf.Variable>;
  readonly #invFreq: Float32Array;
  /** LoRA adapter Variables by name (`model.layers.{l}.<module>.lora_A.weight`, ...). */
  readonly #adapters = new Map<string, tf.Variable>();
  #lora: LoraConfig | undefined;
  /** Seed of the training-mode LoRA dropout (undefined: no dropout, eval mode). */
  #dropoutSeed: number | undefined;
  /** False for a view sharing another model's weights (its `dispose` frees nothing). */
  readonly #owner: boolean;

  private constructor(
    config: LlamaConfig,
    vars: Map<string, tf.Variable>,
    gradientCheckpointing: boolean,
    owner = true,
  ) {
    this.config = config;
    this.#vars = vars;
    this.#owner = owner;
    this.#invFreq = ropeInvFreq(config);
    this.gradientCheckpointing = gradientCheckpointing;
  }

  /**
   * Builds a model from weights keyed by Hugging Face name. The tensors are copied
   * into new Variables (the caller keeps ownership of what it passed).
   *
   * @param config The model config.
   * @param weights Every tensor of {@linkcode llamaWeightShapes}, as tensors or `{ shape, data }`.
   * @param options Whether the Variables are trainable.
   * @returns The model.
   * @throws {TypeError} listing every missing, unexpected or mis-shaped tensor by name.
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs-core";
   * import { initBackend } from "@wpo/backends";
   * import { LlamaModel, llamaWeightShapes, parseLlamaConfig } from "@wpo/llama";
   * await initBackend("cpu");
   * const c = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 });
   * const w = new Map([...llamaWeightShapes(c)].map(([n, s]) => [n, tf.ones(s)]));
   * const m = LlamaModel.fromTensors(c, w);
   * console.assert(m.variables().size === w.size);
   * m.dispose();
   * ```
   */
  static fromTensors(
    config: LlamaConfig,
    weights: Map<string, WeightSource>,
    options: LlamaModelOptions = {},
  ): LlamaModel {
    const shapes = llamaWeightShapes(config);
    const problems = weightProblems(shapes, weights);
    if (problems.length > 0) {
      throw new TypeError(`Cannot build the Llama model: ${problems.join("; ")}.`);
    }
    const trainable = options.trainable ?? true;
    const id = modelCounter++;
    const vars = new Map<string, tf.Variable>();
    for (const [name, shape] of shapes) {
      const t = weights.get(name)!;
      const init = t instanceof tf.Tensor ? tf.cast(t, "float32") : tf.tensor(t.data, shape, "float32");
      vars.set(name, tf.variable(init, trainable, `llama${id}/${name}`, "float32"));
      init.dispose();
    }
    return new LlamaModel(config, vars, options.gradientCheckpointing ?? false);
  }

  /**
   * The base weight Variables, keyed by Hugging Face tensor name (model order); LoRA
   * adapter tensors are in {@linkcode LlamaModel.adapterVariables}.
   * @returns The live map (do not dispose its entries; use `dispose()`).
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2, tie_word_embeddings: true }), { seed: 1 });
   * console.assert(m.variables().has("model.embed_tokens.weight") && !m.variables().has("lm_head.weight"));
   * m.dispose();
   * ```
   */
  variables(): Map<string, tf.Variable> {
    return this.#vars;
  }

  /**
   * The trainable Variables, in model order.
   * @returns The Variables whose `trainable` flag is set.
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * console.assert(m.trainableVariables().length === 12);
   * m.dispose();
   * ```
   */
  trainableVariables(): tf.Variable[] {
    return [...this.#vars.values(), ...this.#adapters.values()].filter((v) => v.trainable);
  }

  #weight = (name: string): tf.Tensor => {
    const v = this.#vars.get(name) ?? this.#adapters.get(name);
    if (!v) throw new Error(`Llama weight '${name}' is not present (was the model disposed?).`);
    return v;
  };

  /**
   * The model's name -> tensor lookup: base weights and LoRA adapter tensors
   * (`model.layers.0.self_attn.q_proj.lora_A.weight`, ...).
   * @param name A Hugging Face tensor name, or an adapter tensor name.
   * @returns The Variable itself.
   * @throws {Error} when no such tensor exists.
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * addLora(m, { r: 2 }, { seed: 1 });
   * console.assert(m.weight("model.layers.0.mlp.up_proj.lora_B.weight").shape.join() === "6,2");
   * m.dispose();
   * ```
   */
  weight(name: string): tf.Tensor {
    return this.#weight(name);
  }

  /**
   * Attaches a LoRA adapter: its tensors become trainable Variables named under the layer
   * prefix, and the base weights are frozen (`trainable` false), so `trainableVariables()`
   * returns only the adapter. Use {@linkcode addLora} or `loadAdapter` rather than this directly.
   *
   * @param config The resolved LoRA config.
   * @param weights Every tensor of `loraWeightShapes(model.config, config)`.
   * @throws {TypeError} listing missing, unexpected or mis-shaped adapter tensors; {Error} when one is attached.
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs-core";
   * import { initBackend } from "@wpo/backends";
   * import { loraWeightShapes, parseLlamaConfig, randomLlama, resolveLoraConfig } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * const lora = resolveLoraConfig({ r: 2, targetModules: "q_proj" });
   * m.attachLora(lora, new Map([...loraWeightShapes(m.config, lora)].map(([n, s]) => [n, tf.zeros(s)])));
   * console.assert(m.trainableVariables().length === 2);
   * m.dispose();
   * ```
   */
  attachLora(config: LoraConfig, weights: Map<string, WeightSource>): void {
    if (!this.#owner) throw new Error("attachLora: this model is a view without adapters; use the policy.");
    if (this.#lora) throw new Error("attachLora: the model already has a LoRA adapter.");
    const shapes = loraWeightShapes(this.config, config);
    const problems = weightProblems(shapes, weights);
    if (problems.length > 0) throw new TypeError(`Cannot attach the LoRA adapter: ${problems.join("; ")}.`);
    const id = modelCounter++;
    for (const [name, shape] of shapes) {
      const t = weights.get(name)!;
      const init = t instanceof tf.Tensor ? tf.cast(t, "float32") : tf.tensor(t.data, shape, "float32");
      this.#adapters.set(name, tf.variable(init, true, `lora${id}/${name}`, "float32"));
      init.dispose();
    }
    for (const v of this.#vars.values()) v.trainable = false;
    this.#lora = { ...config, targetModules: [...config.targetModules] };
  }

  /**
   * The attached adapter's config, or undefined for a plain model.
   * @returns The LoRA config.
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * console.assert(m.loraConfig() === undefined);
   * m.dispose();
   * ```
   */
  loraConfig(): LoraConfig | undefined {
    return this.#lora;
  }

  /**
   * The adapter Variables by name (empty without an adapter), in model order.
   * @returns The live map (do not dispose its entries).
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 2, num_attention_heads: 2 }), { seed: 1 });
   * addLora(m, { r: 2, targetModules: ["q_proj", "v_proj"] }, { seed: 1 });
   * console.assert(m.adapterVariables().size === 8);
   * m.dispose();
   * ```
   */
  adapterVariables(): Map<string, tf.Variable> {
    return this.#adapters;
  }

  /**
   * The same model with the adapter off: a view sharing this model's base Variables (no copy),
   * e.g. the reference model of DPO/WPO with LoRA. Its `dispose()` frees nothing.
   * @returns A model without adapter whose weights are this model's.
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * addLora(m, { r: 2 }, { seed: 1 });
   * const ref = m.withAdaptersDisabled();
   * console.assert(ref.loraConfig() === undefined && ref.lmHeadWeight() === m.lmHeadWeight());
   * m.dispose();
   * ```
   */
  withAdaptersDisabled(): LlamaModel {
    return new LlamaModel(this.config, this.#vars, this.gradientCheckpointing, false);
  }

  /**
   * Turns the adapter's training-mode dropout on with a seed (the same seed gives the same
   * masks, so a recomputed or resumed pass is identical), or off with undefined.
   * @param seed Seed of the next forward passes, or undefined for eval mode.
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * addLora(m, { r: 2, loraDropout: 0.1 }, { seed: 1 });
   * m.setLoraDropout(7);
   * console.assert(m.loraRuntime()!.dropout!.seed === 7);
   * m.setLoraDropout(undefined);
   * console.assert(m.loraRuntime()!.dropout === undefined);
   * m.dispose();
   * ```
   */
  setLoraDropout(seed: number | undefined): void {
    this.#dropoutSeed = seed;
  }

  /**
   * What a forward pass needs of the adapter (scale, targets, dropout), or undefined
   * when the model has none or `enabled` is false.
   * @param enabled Whether the adapter is used (default true).
   * @returns The runtime settings.
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * addLora(m, { r: 4, loraAlpha: 8 }, { seed: 1 });
   * console.assert(m.loraRuntime()!.scale === 2 && m.loraRuntime(false) === undefined);
   * m.dispose();
   * ```
   */
  loraRuntime(enabled = true): LoraRuntime | undefined {
    const lora = this.#lora;
    if (!lora || !enabled) return undefined;
    const dropout =
      this.#dropoutSeed !== undefined && lora.loraDropout > 0
        ? { rate: lora.loraDropout, seed: this.#dropoutSeed }
        : undefined;
    return { scale: loraScale(lora), targets: new Set(lora.targetModules), dropout };
  }

  /**
   * The output classifier [V, E]: `lm_head.weight`, or the embedding when tied.
   * @returns The Variable itself (not a copy).
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2, tie_word_embeddings: true }), { seed: 1 });
   * console.assert(m.lmHeadWeight() === m.variables().get("model.embed_tokens.weight"));
   * m.dispose();
   * ```
   */
  lmHeadWeight(): tf.Tensor2D {
    const name = this.config.tieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight";
    return this.#weight(name) as tf.Tensor2D;
  }

  /**
   * Hidden states after the final RMSNorm, [B, T, E]; logits = hidden · lmHeadWeightᵀ.
   *
   * @param inputIds int32 token ids [B, T].
   * @param options Attention mask and position ids.
   * @returns float32 [B, T, E].
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs-core";
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * const h = m.hiddenStates(tf.tensor2d([[1, 2, 3]], [1, 3], "int32"));
   * console.assert(h.shape.join() === "1,3,4");
   * m.dispose();
   * ```
   */
  hiddenStates(inputIds: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    if (inputIds.rank !== 2) throw new TypeError(`inputIds must be [B, T], got shape [${inputIds.shape}].`);
    const [b, t] = inputIds.shape;
    return tf.tidy(() => {
      const ids = inputIds.dtype === "int32" ? inputIds : tf.cast(inputIds, "int32");
      let positions: Int32Array;
      let rows = 1;
      if (options.positionIds) {
        rows = b;
        positions = new Int32Array(b * t);
        if (options.positionIds.length !== b) throw new TypeError(`positionIds must have ${b} rows.`);
        options.positionIds.forEach((row, r) => {
          if (row.length !== t) throw new TypeError(`positionIds row ${r} must have ${t} entries.`);
          positions.set(row, r * t);
        });
      } else {
        positions = Int32Array.from({ length: t }, (_, i) => i);
      }
      const maskShape = options.attentionMask?.shape;
      if (maskShape && (maskShape[0] !== b || maskShape[1] !== t)) {
        throw new TypeError(`attentionMask must be [${b}, ${t}], got [${maskShape}].`);
      }
      const { cos, sin } = ropeTables(this.#invFreq, positions, rows, t);
      const bias = attentionBias(t, t, options.attentionMask);
      const blockSize = options.attentionBlockSize ?? DEFAULT_ATTENTION_BLOCK_SIZE;
      const lora = this.loraRuntime(options.adapters ?? true);
      const inputs: DecodeInputs = { cos, sin, bias, attentionBlockSize: blockSize, lora };
      if (options.gradientCheckpointing ?? this.gradientCheckpointing) {
        inputs.recompute = lora ? new Map([...this.#vars, ...this.#adapters]) : this.#vars;
      }
      return decode(this.config, this.#weight, ids as tf.Tensor2D, inputs).hidden;
    });
  }

  /**
   * Logits [B, T, V] (float32) for token ids [B, T]; position t scores token t+1.
   *
   * @param inputIds int32 token ids [B, T].
   * @param options Attention mask (padding) and position ids.
   * @returns float32 logits [B, T, V].
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs-core";
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * const ids = tf.tensor2d([[1, 2, 3], [4, 5, 0]], [2, 3], "int32");
   * const mask = tf.tensor2d([[1, 1, 1], [1, 1, 0]], [2, 3], "int32");
   * console.assert(m.forward(ids, { attentionMask: mask }).shape.join() === "2,3,8");
   * m.dispose();
   * ```
   */
  forward(inputIds: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const h = this.hiddenStates(inputIds, options);
      const [b, t, e] = h.shape;
      const logits = tf.matMul(tf.reshape(h, [b * t, e]), this.lmHeadWeight(), false, true);
      return tf.reshape(logits, [b, t, this.config.vocabSize]);
    });
  }

  /**
   * A deep copy of the base weights with its own Variables (no adapter), e.g. the frozen
   * reference model of DPO/WPO without LoRA.
   *
   * @param options `trainable` for the copy (default true).
   * @returns A new model; dispose it separately.
   * @example
   * ```ts
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
   * const ref = m.clone({ trainable: false });
   * console.assert(ref.trainableVariables().length === 0);
   * ref.dispose();
   * m.dispose();
   * ```
   */
  clone(options: LlamaModelOptions = {}): LlamaModel {
    return LlamaModel.fromTensors(this.config, this.#vars, options);
  }

  /**
   * Disposes every weight Variable, adapters included (a view from `withAdaptersDisabled` frees nothing).
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs-core";
   * import { initBackend } from "@wpo/backends";
   * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
   * await initBackend("cpu");
   * const before = tf.memory().numTensors;
   * randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
   *   num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 }).dispose();
   * console.assert(tf.memory().numTensors === before);
   * ```
   */
  dispose(): void {
    if (!this.#owner) return;
    for (const v of [...this.#vars.values(), ...this.#adapters.values()]) v.dispose();
    this.#vars.clear();
    this.#adapters.clear();
    this.#lora = undefined;
  }
}
