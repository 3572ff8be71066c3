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
import { attentionBias, keyPaddingBias } from "./_mask.ts";
import { ropeInvFreq, ropeTables } from "./_rope.ts";
import { llamaWeightShapes } from "./weight_shapes.ts";

/** Query rows per attention block by default; sequences up to this length run attention in one piece. */
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
}

/** A weight given to {@linkcode LlamaModel.fromTensors}: a tensor, or float32 values with their shape. */
export type WeightSource = tf.Tensor | { shape: readonly number[]; data: Float32Array };

let modelCounter = 0;

function checkShape(name: string, expected: number[], got: readonly number[]): string | undefined {
  if (expected.length === got.length && expected.every((v, i) => v === got[i])) return undefined;
  return `'${name}': expected shape [${expected.join(", ")}], got [${got.join(", ")}]`;
}

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
   */
  gradientCheckpointing: boolean;
  readonly #vars: Map<string, tf.Variable>;
  readonly #invFreq: Float32Array;

  private constructor(config: LlamaConfig, vars: Map<string, tf.Variable>, gradientCheckpointing: boolean) {
    this.config = config;
    this.#vars = vars;
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
    const problems: string[] = [];
    for (const [name, shape] of shapes) {
      const t = weights.get(name);
      if (t === undefined) problems.push(`missing '${name}' (shape [${shape.join(", ")}])`);
      else {
        const bad = checkShape(name, shape, t.shape);
        if (bad) problems.push(bad);
        else if (!(t instanceof tf.Tensor) && t.data.length !== t.shape.reduce((a, b) => a * b, 1)) {
          problems.push(`'${name}': ${t.data.length} values do not fill shape [${t.shape.join(", ")}]`);
        }
      }
    }
    for (const name of weights.keys()) if (!shapes.has(name)) problems.push(`unexpected '${name}'`);
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
   * The weight Variables, keyed by Hugging Face tensor name (model order).
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
    return [...this.#vars.values()].filter((v) => v.trainable);
  }

  #weight = (name: string): tf.Tensor => {
    const v = this.#vars.get(name);
    if (!v) throw new Error(`Llama weight '${name}' is not present (was the model disposed?).`);
    return v;
  };

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
      const inputs: DecodeInputs = { cos, sin };
      const blockSize = options.attentionBlockSize ?? DEFAULT_ATTENTION_BLOCK_SIZE;
      if (blockSize > 0 && t > blockSize) {
        inputs.attentionBlockSize = blockSize;
        if (options.attentionMask) inputs.keyBias = keyPaddingBias(options.attentionMask);
      } else {
        inputs.bias = attentionBias(t, t, options.attentionMask);
      }
      if (options.gradientCheckpointing ?? this.gradientCheckpointing) inputs.recompute = this.#vars;
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
   * A deep copy with its own Variables, e.g. the frozen reference model of DPO/WPO.
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
   * Disposes every weight Variable.
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
    for (const v of this.#vars.values()) v.dispose();
    this.#vars.clear();
  }
}
