/** A real Llama architecture by name, for random checkpoints, benches and memory plans. */
export interface NamedShape {
  /** Short name (`smollm2-135m`, `llama3.2-1b`, ...). */
  name: string;
  /** The Hugging Face id of the model this shape stands for (its config.json was checked; base and Instruct share it). */
  source: string;
  /** True when only config.json is meant to be written (too big to generate here). */
  configOnly: boolean;
  /** The Hugging Face `config.json` fields (snake_case), ready for `parseLlamaConfig`. */
  config: Record<string, unknown>;
}

/** The Llama 3 tokenizer's 256 special tokens sit at the end of the vocabulary. */
const SPECIALS = 256;

function shape(
  name: string,
  source: string,
  fields: Record<string, unknown> & { vocab_size: number },
  configOnly = false,
): NamedShape {
  // Token ids follow the (derived) Llama 3 tokenizer `wpo init-model` writes:
  // <|begin_of_text|> is the first special token, <|eot_id|> the tenth.
  const first = fields.vocab_size - SPECIALS;
  return {
    name,
    source,
    configOnly,
    config: {
      model_type: "llama",
      hidden_act: "silu",
      rms_norm_eps: 1e-5,
      initializer_range: 0.02,
      rope_scaling: null,
      bos_token_id: first,
      eos_token_id: first + 9,
      ...fields,
    },
  };
}

const LLAMA3_SCALING = {
  rope_type: "llama3",
  factor: 32,
  low_freq_factor: 1,
  high_freq_factor: 4,
  original_max_position_embeddings: 8192,
};

/**
 * The named shapes, checked against the public `config.json` of each source model.
 * Only the architecture is copied: the vocabulary is the Llama 3 tokenizer's (cut to
 * `vocab_size` for the smaller ones), so bos/eos ids point at its special tokens.
 *
 * @example
 * ```ts
 * import { NAMED_SHAPES } from "@wpo/llama";
 * console.assert(NAMED_SHAPES.some((s) => s.name === "smollm2-135m" && s.config.hidden_size === 576));
 * ```
 */
export const NAMED_SHAPES: readonly NamedShape[] = [
  shape("smollm2-135m", "HuggingFaceTB/SmolLM2-135M-Instruct", {
    vocab_size: 49152,
    hidden_size: 576,
    intermediate_size: 1536,
    num_hidden_layers: 30,
    num_attention_heads: 9,
    num_key_value_heads: 3,
    head_dim: 64,
    tie_word_embeddings: true,
    rope_theta: 100000,
    max_position_embeddings: 8192,
  }),
  shape("smollm2-360m", "HuggingFaceTB/SmolLM2-360M-Instruct", {
    vocab_size: 49152,
    hidden_size: 960,
    intermediate_size: 2560,
    num_hidden_layers: 32,
    num_attention_heads: 15,
    num_key_value_heads: 5,
    head_dim: 64,
    tie_word_embeddings: true,
    rope_theta: 100000,
    max_position_embeddings: 8192,
  }),
  shape("tinyllama-1.1b", "TinyLlama/TinyLlama-1.1B-Chat-v1.0", {
    vocab_size: 32000,
    hidden_size: 2048,
    intermediate_size: 5632,
    num_hidden_layers: 22,
    num_attention_heads: 32,
    num_key_value_heads: 4,
    head_dim: 64,
    tie_word_embeddings: false,
    rope_theta: 10000,
    max_position_embeddings: 2048,
  }),
  shape("llama3.2-1b", "meta-llama/Llama-3.2-1B-Instruct", {
    vocab_size: 128256,
    hidden_size: 2048,
    intermediate_size: 8192,
    num_hidden_layers: 16,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    head_dim: 64,
    tie_word_embeddings: true,
    rope_theta: 500000,
    rope_scaling: LLAMA3_SCALING,
    max_position_embeddings: 131072,
  }),
  shape("llama3.2-3b", "meta-llama/Llama-3.2-3B-Instruct", {
    vocab_size: 128256,
    hidden_size: 3072,
    intermediate_size: 8192,
    num_hidden_layers: 28,
    num_attention_heads: 24,
    num_key_value_heads: 8,
    head_dim: 128,
    tie_word_embeddings: true,
    rope_theta: 500000,
    rope_scaling: LLAMA3_SCALING,
    max_position_embeddings: 131072,
  }),
  shape(
    "llama3-8b",
    "meta-llama/Meta-Llama-3-8B-Instruct",
    {
      vocab_size: 128256,
      hidden_size: 4096,
      intermediate_size: 14336,
      num_hidden_layers: 32,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      head_dim: 128,
      tie_word_embeddings: false,
      rope_theta: 500000,
      max_position_embeddings: 8192,
    },
    true,
  ),
];

/**
 * Looks up a named shape.
 *
 * @param name One of {@linkcode NAMED_SHAPES}' names.
 * @returns The shape.
 * @throws {RangeError} listing the known names.
 *
 * @example
 * ```ts
 * import { namedShape, parseLlamaConfig } from "@wpo/llama";
 * const c = parseLlamaConfig(namedShape("llama3.2-1b").config);
 * console.assert(c.ropeScaling?.factor === 32 && c.tieWordEmbeddings && c.bosTokenId === 128000);
 * ```
 */
export function namedShape(name: string): NamedShape {
  const found = NAMED_SHAPES.find((s) => s.name === name);
  if (!found) {
    throw new RangeError(`Unknown shape '${name}'. Known: ${NAMED_SHAPES.map((s) => s.name).join(", ")}.`);
  }
  return found;
}
