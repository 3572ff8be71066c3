/** llama3 RoPE frequency scaling (Llama 3.1 and later), as in Hugging Face `rope_scaling`. */
export interface Llama3RopeScaling {
  /** Always "llama3". */
  ropeType: "llama3";
  /** Divisor of the low frequencies (8 for Llama 3.1). */
  factor: number;
  /** Wavelengths longer than originalMaxPositionEmbeddings / lowFreqFactor are divided by `factor`. */
  lowFreqFactor: number;
  /** Wavelengths shorter than originalMaxPositionEmbeddings / highFreqFactor are kept. */
  highFreqFactor: number;
  /** The context length the model was pretrained with (8192 for Llama 3.1). */
  originalMaxPositionEmbeddings: number;
}

/** The fields of a Hugging Face Llama `config.json` that define the model, in camelCase. */
export interface LlamaConfig {
  /** Vocabulary size V. */
  vocabSize: number;
  /** Model width E. */
  hiddenSize: number;
  /** SwiGLU inner width I. */
  intermediateSize: number;
  /** Number of decoder layers. */
  numHiddenLayers: number;
  /** Query heads H. */
  numAttentionHeads: number;
  /** Key/value heads (grouped-query attention); divides numAttentionHeads. */
  numKeyValueHeads: number;
  /** Per-head width d (default hiddenSize / numAttentionHeads). */
  headDim: number;
  /** RMSNorm epsilon. */
  rmsNormEps: number;
  /** RoPE base θ. */
  ropeTheta: number;
  /** llama3 RoPE scaling, or null for plain RoPE. */
  ropeScaling: Llama3RopeScaling | null;
  /** True when the output classifier is the token embedding (no `lm_head.weight`). */
  tieWordEmbeddings: boolean;
  /** Longest context the model supports. */
  maxPositionEmbeddings: number;
  /** Beginning-of-sequence id, if any. */
  bosTokenId: number | null;
  /** End-of-sequence id(s); a list when the config lists several. */
  eosTokenId: number | number[] | null;
  /** Initialiser standard deviation (used by randomLlama). */
  initializerRange: number;
}

type Json = Record<string, unknown>;

function num(json: Json, key: string, fallback?: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new TypeError(
      `Llama config field '${key}' must be a finite number, got ${JSON.stringify(json[key])}.`,
    );
  }
  return v;
}

function posInt(json: Json, key: string, fallback?: number): number {
  const v = num(json, key, fallback);
  if (!Number.isInteger(v) || v <= 0) {
    throw new RangeError(`Llama config field '${key}' must be a positive integer, got ${v}.`);
  }
  return v;
}

function positive(json: Json, key: string, fallback: number): number {
  const v = num(json, key, fallback);
  if (!(v > 0)) throw new RangeError(`Llama config field '${key}' must be > 0, got ${v}.`);
  return v;
}

function idField(json: Json, key: string): number | number[] | null {
  const v = json[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isInteger(x))) return v as number[];
  throw new TypeError(`Llama config field '${key}' must be an integer, a list of integers or null.`);
}

function parseRopeScaling(v: unknown): Llama3RopeScaling | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "object")
    throw new TypeError("Llama config field 'rope_scaling' must be an object or null.");
  const rs = v as Json;
  const type = rs.rope_type ?? rs.type;
  if (type === "default") return null;
  if (type !== "llama3") {
    throw new RangeError(
      `Unsupported rope_scaling type '${String(type)}': only "llama3" (and "default") are implemented.`,
    );
  }
  const scaling: Llama3RopeScaling = {
    ropeType: "llama3",
    factor: num(rs, "factor"),
    lowFreqFactor: num(rs, "low_freq_factor"),
    highFreqFactor: num(rs, "high_freq_factor"),
    originalMaxPositionEmbeddings: posInt(rs, "original_max_position_embeddings"),
  };
  if (scaling.highFreqFactor <= scaling.lowFreqFactor || scaling.factor <= 0) {
    throw new RangeError("rope_scaling: need factor > 0 and high_freq_factor > low_freq_factor.");
  }
  return scaling;
}

/**
 * Parses a Hugging Face Llama `config.json` object into a {@linkcode LlamaConfig}.
 * Settings the model does not implement (biases, activations other than silu, rope
 * types other than llama3, attention head counts that do not divide) are refused, and
 * so are `rms_norm_eps <= 0` and `rope_theta <= 0`.
 *
 * @param json The parsed `config.json` (snake_case keys).
 * @returns The config in camelCase with defaults filled in.
 * @throws {TypeError} for a missing or mistyped field; {RangeError} for an unsupported or invalid value.
 *
 * @example
 * ```ts
 * import { parseLlamaConfig } from "@wpo/llama";
 * const c = parseLlamaConfig({ vocab_size: 32, hidden_size: 16, intermediate_size: 24,
 *   num_hidden_layers: 1, num_attention_heads: 4 });
 * console.assert(c.numKeyValueHeads === 4 && c.headDim === 4 && c.tieWordEmbeddings === false);
 * ```
 */
export function parseLlamaConfig(json: Record<string, unknown>): LlamaConfig {
  if (json === null || typeof json !== "object") throw new TypeError("Llama config must be a JSON object.");
  const modelType = json.model_type;
  if (modelType !== undefined && modelType !== "llama") {
    throw new RangeError(`Unsupported model_type '${String(modelType)}': only "llama" is implemented.`);
  }
  for (const key of ["attention_bias", "mlp_bias"]) {
    if (json[key] === true)
      throw new RangeError(`Unsupported setting ${key}=true: this Llama has no biases.`);
  }
  const act = json.hidden_act ?? "silu";
  if (act !== "silu") throw new RangeError(`Unsupported hidden_act '${String(act)}': only "silu" (SwiGLU).`);
  const heads = posInt(json, "num_attention_heads");
  const hidden = posInt(json, "hidden_size");
  const kvHeads = posInt(json, "num_key_value_heads", heads);
  if (heads % kvHeads !== 0) {
    throw new RangeError(
      `num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${kvHeads}).`,
    );
  }
  const headDim = posInt(json, "head_dim", Math.floor(hidden / heads));
  if (json.head_dim === undefined && hidden % heads !== 0) {
    throw new RangeError(
      `hidden_size (${hidden}) is not divisible by num_attention_heads (${heads}); set head_dim.`,
    );
  }
  if (headDim % 2 !== 0) throw new RangeError(`head_dim must be even for RoPE, got ${headDim}.`);
  return {
    vocabSize: posInt(json, "vocab_size"),
    hiddenSize: hidden,
    intermediateSize: posInt(json, "intermediate_size"),
    numHiddenLayers: posInt(json, "num_hidden_layers"),
    numAttentionHeads: heads,
    numKeyValueHeads: kvHeads,
    headDim,
    rmsNormEps: positive(json, "rms_norm_eps", 1e-6),
    ropeTheta: positive(json, "rope_theta", 10000),
    ropeScaling: parseRopeScaling(json.rope_scaling),
    tieWordEmbeddings: json.tie_word_embeddings === true,
    maxPositionEmbeddings: posInt(json, "max_position_embeddings", 2048),
    bosTokenId: idField(json, "bos_token_id") as number | null,
    eosTokenId: idField(json, "eos_token_id"),
    initializerRange: num(json, "initializer_range", 0.02),
  };
}

/**
 * Serialises a {@linkcode LlamaConfig} as a Hugging Face `config.json` object that
 * transformers' `LlamaForCausalLM` accepts.
 *
 * @param config The config.
 * @returns A snake_case JSON object.
 *
 * @example
 * ```ts
 * import { llamaConfigToJson, parseLlamaConfig } from "@wpo/llama";
 * const c = parseLlamaConfig({ vocab_size: 32, hidden_size: 16, intermediate_size: 24,
 *   num_hidden_layers: 1, num_attention_heads: 4 });
 * console.assert(parseLlamaConfig(llamaConfigToJson(c)).headDim === 4);
 * ```
 */
export function llamaConfigToJson(config: LlamaConfig): Record<string, unknown> {
  const rs = config.ropeScaling;
  return {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    intermediate_size: config.intermediateSize,
    num_hidden_layers: config.numHiddenLayers,
    num_attention_heads: config.numAttentionHeads,
    num_key_value_heads: config.numKeyValueHeads,
    head_dim: config.headDim,
    hidden_act: "silu",
    rms_norm_eps: config.rmsNormEps,
    rope_theta: config.ropeTheta,
    rope_scaling: rs
      ? {
          rope_type: "llama3",
          factor: rs.factor,
          low_freq_factor: rs.lowFreqFactor,
          high_freq_factor: rs.highFreqFactor,
          original_max_position_embeddings: rs.originalMaxPositionEmbeddings,
        }
      : null,
    tie_word_embeddings: config.tieWordEmbeddings,
    max_position_embeddings: config.maxPositionEmbeddings,
    bos_token_id: config.bosTokenId,
    eos_token_id: config.eosTokenId,
    attention_bias: false,
    mlp_bias: false,
    initializer_range: config.initializerRange,
    torch_dtype: "float32",
  };
}
