import { type LlamaConfig, llamaWeightShapes } from "@wpo/llama";
import type { PlanLora } from "./memory_plan.ts";

/** Parameters of a Llama with this config (tied head counted once). */
export function parameterCount(c: LlamaConfig): number {
  let n = 0;
  for (const shape of llamaWeightShapes(c).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}

/** The projections LoRA can target, with their [in, out] widths. */
export function projectionWidths(c: LlamaConfig): Record<string, [number, number]> {
  const e = c.hiddenSize;
  const q = c.numAttentionHeads * c.headDim;
  const kv = c.numKeyValueHeads * c.headDim;
  const i = c.intermediateSize;
  return {
    q_proj: [e, q],
    k_proj: [e, kv],
    v_proj: [e, kv],
    o_proj: [q, e],
    gate_proj: [e, i],
    up_proj: [e, i],
    down_proj: [i, e],
  };
}

/** Adapter parameters: r·(in + out) per targeted projection per layer. */
export function loraParameterCount(c: LlamaConfig, lora: PlanLora): number {
  const widths = projectionWidths(c);
  const targets = lora.targetModules.includes("all-linear") ? Object.keys(widths) : lora.targetModules;
  let perLayer = 0;
  for (const t of targets) {
    const w = widths[t];
    if (w) perLayer += lora.r * (w[0] + w[1]);
  }
  return perLayer * c.numHiddenLayers;
}
