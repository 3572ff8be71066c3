/**
 * The Llama decoder, top to bottom: RMSNorm, RoPE (rotate-half), grouped-query
 * attention with an additive finite mask, SwiGLU MLP, pre-norm residual blocks, final
 * norm. Weights are `[out, in]` (Hugging Face layout) and a projection is
 * `matMul(x, W, false, true)`. Pure functions of tensors: callers wrap them in tf.tidy.
 */
import * as tf from "@tensorflow/tfjs-core";
import { applyRope } from "./_apply_rope.ts";
import { type LoraRuntime, project } from "./_lora_linear.ts";
import { attentionProbs } from "./_attention_probs.ts";
import { rmsNorm } from "./_rms_norm.ts";
import { swiglu } from "./_swiglu.ts";
import type { LlamaConfig } from "./config.ts";

/** Keys and values of one layer after RoPE, [B, KV, L, d]. */
export interface LayerCache {
  k: tf.Tensor4D;
  v: tf.Tensor4D;
}

/** Inputs of {@linkcode decode} besides the token ids. */
export interface DecodeInputs {
  /** RoPE tables [B|1, 1, T, d]. */
  cos: tf.Tensor4D;
  sin: tf.Tensor4D;
  /** Additive attention bias [B|1, 1, T, L], L = past + T. */
  bias: tf.Tensor4D;
  /** Past keys/values per layer (generation); the new ones are returned. */
  cache?: LayerCache[];
  /** The active LoRA adapter, if any (its tensors are looked up by name like the base weights). */
  lora?: LoraRuntime | undefined;
}

type Weight = (name: string) => tf.Tensor;

/** [B, T, heads·d] -> [B, heads, T, d]. */
function splitHeads(x: tf.Tensor, heads: number, d: number): tf.Tensor {
  const [b, t] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [b, t, heads, d]), [0, 2, 1, 3]);
}

function attention(
  c: LlamaConfig,
  w: Weight,
  p: string,
  x: tf.Tensor,
  inputs: DecodeInputs,
  past: LayerCache | undefined,
): { out: tf.Tensor; cache: LayerCache } {
  const [b, t] = x.shape as [number, number, number];
  const h = c.numAttentionHeads;
  const kvh = c.numKeyValueHeads;
  const d = c.headDim;
  const g = h / kvh;
  const q = applyRope(
    splitHeads(project(w, `${p}q_proj`, "q_proj", x, inputs.lora), h, d),
    inputs.cos,
    inputs.sin,
  );
  let k = applyRope(
    splitHeads(project(w, `${p}k_proj`, "k_proj", x, inputs.lora), kvh, d),
    inputs.cos,
    inputs.sin,
  );
  let v = splitHeads(project(w, `${p}v_proj`, "v_proj", x, inputs.lora), kvh, d);
  if (past) {
    k = tf.concat([past.k, k], 2);
    v = tf.concat([past.v, v], 2);
  }
  // Query heads j*g..j*g+g-1 share KV head j: fold them into the query axis.
  const qg = tf.reshape(q, [b, kvh, g * t, d]);
  const probs = attentionProbs(tf.matMul(qg, k as tf.Tensor4D, false, true), inputs.bias, d ** -0.5, g);
  const ctx = tf.reshape(tf.matMul(probs, v as tf.Tensor4D), [b, h, t, d]);
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b, t, h * d]);
  return {
    out: project(w, `${p}o_proj`, "o_proj", merged, inputs.lora),
    cache: { k: k as tf.Tensor4D, v: v as tf.Tensor4D },
  };
}

function mlp(w: Weight, p: string, x: tf.Tensor, lora: LoraRuntime | undefined): tf.Tensor {
  const gate = project(w, `${p}gate_proj`, "gate_proj", x, lora);
  const up = project(w, `${p}up_proj`, "up_proj", x, lora);
  return project(w, `${p}down_proj`, "down_proj", swiglu(gate, up), lora);
}

/**
 * Runs the decoder on `ids` [B, T] and returns the final-norm hidden states [B, T, E]
 * plus the per-layer keys/values (including any past ones).
 */
export function decode(
  c: LlamaConfig,
  w: Weight,
  ids: tf.Tensor2D,
  inputs: DecodeInputs,
): { hidden: tf.Tensor3D; cache: LayerCache[] } {
  const [b, t] = ids.shape;
  let x: tf.Tensor = tf.reshape(tf.gather(w("model.embed_tokens.weight"), tf.reshape(ids, [-1])), [
    b,
    t,
    c.hiddenSize,
  ]);
  const cache: LayerCache[] = [];
  for (let l = 0; l < c.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    const attn = attention(
      c,
      w,
      `${p}self_attn.`,
      rmsNorm(x, w(`${p}input_layernorm.weight`), c.rmsNormEps),
      inputs,
      inputs.cache?.[l],
    );
    cache.push(attn.cache);
    const hMid = tf.add(x, attn.out);
    x = tf.add(
      hMid,
      mlp(w, `${p}mlp.`, rmsNorm(hMid, w(`${p}post_attention_layernorm.weight`), c.rmsNormEps), inputs.lora),
    );
  }
  return { hidden: rmsNorm(x, w("model.norm.weight"), c.rmsNormEps) as tf.Tensor3D, cache };
}
