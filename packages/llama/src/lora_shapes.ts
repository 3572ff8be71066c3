import type { LlamaConfig } from "./config.ts";
import { type LoraConfig, loraModulePath } from "./lora_config.ts";
import { llamaWeightShapes } from "./weight_shapes.ts";

/**
 * The adapter tensors of a LoRA config on a model, named under the layer prefix as PEFT
 * names them without `base_model.model.`: `model.layers.{l}.self_attn.q_proj.lora_A.weight`
 * [r, in] and `...lora_B.weight` [out, r], in model order.
 *
 * @param config The model config.
 * @param lora The LoRA config.
 * @returns Name -> shape.
 * @example
 * ```ts
 * import { loraWeightShapes, parseLlamaConfig, resolveLoraConfig } from "@wpo/llama";
 * const c = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 });
 * const s = loraWeightShapes(c, resolveLoraConfig({ r: 2, targetModules: "down_proj" }));
 * console.assert(s.get("model.layers.0.mlp.down_proj.lora_A.weight")!.join() === "2,6");
 * console.assert(s.get("model.layers.0.mlp.down_proj.lora_B.weight")!.join() === "4,2");
 * ```
 */
export function loraWeightShapes(config: LlamaConfig, lora: LoraConfig): Map<string, number[]> {
  const base = llamaWeightShapes(config);
  const shapes = new Map<string, number[]>();
  for (let l = 0; l < config.numHiddenLayers; l++) {
    for (const m of lora.targetModules) {
      const prefix = `model.layers.${l}.${loraModulePath(m)}`;
      const [out, inDim] = base.get(`${prefix}.weight`)!;
      shapes.set(`${prefix}.lora_A.weight`, [lora.r, inDim!]);
      shapes.set(`${prefix}.lora_B.weight`, [out!, lora.r]);
    }
  }
  return shapes;
}
