import { describe, expect, it } from "vitest";
import { llamaConfigToJson, parseLlamaConfig } from "./config.ts";

const base = {
  vocab_size: 128256,
  hidden_size: 4096,
  intermediate_size: 14336,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_theta: 500000,
  max_position_embeddings: 131072,
  tie_word_embeddings: false,
  bos_token_id: 128000,
  eos_token_id: [128001, 128008, 128009],
  hidden_act: "silu",
  attention_bias: false,
  mlp_bias: false,
  model_type: "llama",
  rope_scaling: {
    factor: 8.0,
    low_freq_factor: 1.0,
    high_freq_factor: 4.0,
    original_max_position_embeddings: 8192,
    rope_type: "llama3",
  },
};

describe("parseLlamaConfig", () => {
  it("reads a Llama 3.1 8B config", () => {
    const c = parseLlamaConfig(base);
    expect(c).toMatchObject({
      headDim: 128,
      numKeyValueHeads: 8,
      ropeTheta: 500000,
      eosTokenId: [128001, 128008, 128009],
      ropeScaling: { ropeType: "llama3", factor: 8, originalMaxPositionEmbeddings: 8192 },
    });
    expect(parseLlamaConfig(llamaConfigToJson(c))).toEqual(c);
  });

  it("refuses what it does not implement", () => {
    expect(() => parseLlamaConfig({ ...base, attention_bias: true })).toThrow(/attention_bias/);
    expect(() => parseLlamaConfig({ ...base, mlp_bias: true })).toThrow(RangeError);
    expect(() => parseLlamaConfig({ ...base, hidden_act: "gelu" })).toThrow(/hidden_act/);
    expect(() => parseLlamaConfig({ ...base, rope_scaling: { type: "linear", factor: 2 } })).toThrow(
      /linear/,
    );
    expect(() => parseLlamaConfig({ ...base, rope_scaling: { rope_type: "yarn", factor: 2 } })).toThrow(
      RangeError,
    );
    expect(() => parseLlamaConfig({ ...base, model_type: "mistral" })).toThrow(/model_type/);
    expect(() => parseLlamaConfig({ ...base, num_key_value_heads: 5 })).toThrow(/multiple/);
    expect(() => parseLlamaConfig({ ...base, vocab_size: "big" })).toThrow(TypeError);
    expect(() => parseLlamaConfig({ ...base, num_hidden_layers: 0 })).toThrow(RangeError);
  });

  it("fills transformers' defaults", () => {
    const c = parseLlamaConfig({
      vocab_size: 10,
      hidden_size: 8,
      intermediate_size: 12,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      rope_scaling: { rope_type: "default" },
    });
    expect(c).toMatchObject({
      numKeyValueHeads: 2,
      headDim: 4,
      rmsNormEps: 1e-6,
      ropeTheta: 10000,
      ropeScaling: null,
    });
  });
});
