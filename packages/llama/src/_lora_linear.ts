/**
 * A decoder projection with an optional LoRA branch, as PEFT's `lora.Linear`:
 * y = x Wᵀ + scale · (dropout(x) Aᵀ) Bᵀ, with A [r, in] and B [out, r] reached through the
 * model's name lookup as `<prefix>.lora_A.weight` / `<prefix>.lora_B.weight`.
 */
import * as tf from "@tensorflow/tfjs-core";
import { linear } from "./_linear.ts";

/** The active adapter of a forward pass (absent: the base model). */
export interface LoraRuntime {
  /** alpha / r (or alpha / sqrt(r)). */
  scale: number;
  /** Projection names that carry an adapter (`q_proj`, ...). */
  targets: ReadonlySet<string>;
  /** Training-mode dropout on the branch input: rate and the seed of this forward pass. */
  dropout?: { rate: number; seed: number } | undefined;
}

/** A 32-bit hash of a string (FNV-1a), to derive one dropout seed per projection. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The projection `<prefix>.weight` applied to x, plus the LoRA branch when `module` is a target.
 * @param w The model's name -> tensor lookup.
 * @param prefix e.g. `model.layers.0.self_attn.q_proj`.
 * @param module e.g. `q_proj`.
 */
export function project(
  w: (name: string) => tf.Tensor,
  prefix: string,
  module: string,
  x: tf.Tensor,
  lora: LoraRuntime | undefined,
): tf.Tensor {
  const y = linear(x, w(`${prefix}.weight`));
  if (!lora?.targets.has(module)) return y;
  const drop = lora.dropout;
  const xin = drop && drop.rate > 0 ? tf.dropout(x, drop.rate, undefined, hash32(prefix, drop.seed)) : x;
  const down = linear(xin, w(`${prefix}.lora_A.weight`));
  return tf.add(y, tf.mul(linear(down, w(`${prefix}.lora_B.weight`)), lora.scale));
}
