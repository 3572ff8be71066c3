import type { LlamaConfig } from "./config.ts";

/**
 * The Hugging Face tensor names and shapes of a Llama with this config, in model
 * order (embedding, layers, final norm, then `lm_head.weight` when untied). Matrices
 * are `[out, in]`, so a projection computes y = x·Wᵀ.
 *
 * @param config The model config.
 * @returns A map from tensor name to shape.
 *
 * @example
 * ```ts
 * import { llamaWeightShapes, parseLlamaConfig } from "@wpo/llama";
 * const c = parseLlamaConfig({ vocab_size: 32, hidden_size: 16, intermediate_size: 24,
 *   num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2 });
 * const shapes = llamaWeightShapes(c);
 * console.assert(shapes.get("model.layers.0.self_attn.k_proj.weight")?.join() === "8,16");
 * console.assert(shapes.get("lm_head.weight")?.join() === "32,16");
 * ```
 */
export function llamaWeightShapes(config: LlamaConfig): Map<string, number[]> {
  const e = config.hiddenSize;
  const q = config.numAttentionHeads * config.headDim;
  const kv = config.numKeyValueHeads * config.headDim;
  const i = config.intermediateSize;
  const shapes = new Map<string, number[]>();
  shapes.set("model.embed_tokens.weight", [config.vocabSize, e]);
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    shapes.set(`${p}input_layernorm.weight`, [e]);
    shapes.set(`${p}self_attn.q_proj.weight`, [q, e]);
    shapes.set(`${p}self_attn.k_proj.weight`, [kv, e]);
    shapes.set(`${p}self_attn.v_proj.weight`, [kv, e]);
    shapes.set(`${p}self_attn.o_proj.weight`, [e, q]);
    shapes.set(`${p}post_attention_layernorm.weight`, [e]);
    shapes.set(`${p}mlp.gate_proj.weight`, [i, e]);
    shapes.set(`${p}mlp.up_proj.weight`, [i, e]);
    shapes.set(`${p}mlp.down_proj.weight`, [e, i]);
  }
  shapes.set("model.norm.weight", [e]);
  if (!config.tieWordEmbeddings) shapes.set("lm_head.weight", [config.vocabSize, e]);
  return shapes;
}
