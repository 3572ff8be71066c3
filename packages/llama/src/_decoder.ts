/**
 * The Llama decoder, top to bottom: RMSNorm, RoPE (rotate-half), grouped-query
 * attention with an additive finite mask, SwiGLU MLP, pre-norm residual blocks, final
 * norm. Weights are `[out, in]` (Hugging Face layout) and a projection is
 * `matMul(x, W, false, true)`. Pure functions of tensors: callers wrap them in tf.tidy.
 * Fused kernels are chosen in `_fused.ts`; activation recomputation in `_recompute.ts`;
 * attention in query blocks (no [B, H, T, L] probabilities kept) in `_tiled_attention.ts`.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ops } from "./_fused.ts";
import { type LoraRuntime, project } from "./_lora_linear.ts";
import { type Lookup, recompute } from "./_recompute.ts";
import { tiledAttention } from "./_tiled_attention.ts";
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
  /** Additive attention bias [B|1, 1, T, L], L = past + T (causal + key padding). */
  bias: tf.Tensor4D;
  /**
   * Query rows per attention block: when T is larger, attention runs in blocks and keeps only q, k, v for the
   * backward pass (`_tiled_attention.ts`); otherwise in one piece, keeping its probabilities. Default: never.
   */
  attentionBlockSize?: number;
  /** Past keys/values per layer (generation); the new ones are returned. */
  cache?: LayerCache[];
  /**
   * Recompute each layer in the backward pass (gradient checkpointing): every tensor the model holds,
   * by name; those under `model.layers.{l}.` are layer l's. Not with `cache`.
   */
  recompute?: ReadonlyMap<string, tf.Tensor>;
  /** The active LoRA adapter, if any (its tensors are looked up by name like the base weights). */
  lora?: LoraRuntime | undefined;
}

type Weight = (name: string) => tf.Tensor;

/** [B, T, heads·d] -> [B, heads, T, d]. */
function splitHeads(x: tf.Tensor, heads: number, d: number): tf.Tensor {
  const [b, t] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [b, t, heads, d]), [0, 2, 1, 3]);
}

/** softmax(q·kᵀ/√d + bias)·v in one piece: q [B, H, T, d], k, v [B, KV, L, d]; returns [B, H, T, d]. */
function plainAttention(
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  bias: tf.Tensor4D,
  g: number,
): tf.Tensor {
  const [b, h, t, d] = q.shape;
  // Query heads j*g..j*g+g-1 share KV head j: fold them into the query axis.
  const qg = tf.reshape(q, [b, h / g, g * t, d]);
  const probs = ops.attentionProbs(tf.matMul(qg, k, false, true), bias, d ** -0.5, g);
  return tf.reshape(tf.matMul(probs, v), [b, h, t, d]);
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
  const lora = inputs.lora;
  const q = ops.applyRope(
    splitHeads(project(w, `${p}q_proj`, "q_proj", x, lora), h, d),
    inputs.cos,
    inputs.sin,
  );
  let k = ops.applyRope(
    splitHeads(project(w, `${p}k_proj`, "k_proj", x, lora), kvh, d),
    inputs.cos,
    inputs.sin,
  );
  let v = splitHeads(project(w, `${p}v_proj`, "v_proj", x, lora), kvh, d);
  if (past) {
    k = tf.concat([past.k, k], 2);
    v = tf.concat([past.v, v], 2);
  }
  const blockSize = inputs.attentionBlockSize ?? 0;
  const ctx =
    blockSize > 0 && t > blockSize && !past
      ? tiledAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, {
          bias: inputs.bias,
          blockSize,
          scale: d ** -0.5,
        })
      : plainAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, inputs.bias, g);
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b, t, h * d]);
  return {
    out: project(w, `${p}o_proj`, "o_proj", merged, lora),
    cache: { k: k as tf.Tensor4D, v: v as tf.Tensor4D },
  };
}

function mlp(w: Weight, p: string, x: tf.Tensor, lora: LoraRuntime | undefined): tf.Tensor {
  const gate = project(w, `${p}gate_proj`, "gate_proj", x, lora);
  const up = project(w, `${p}up_proj`, "up_proj", x, lora);
  return project(w, `${p}down_proj`, "down_proj", ops.swiglu(gate, up), lora);
}

/** One pre-norm decoder block: x + attention(norm(x)), then h + mlp(norm(h)). */
function decoderLayer(
  c: LlamaConfig,
  w: Weight,
  l: number,
  x: tf.Tensor,
  inputs: DecodeInputs,
  past: LayerCache | undefined,
): { out: tf.Tensor; cache: LayerCache } {
  const p = `model.layers.${l}.`;
  const normed = ops.rmsNorm(x, w(`${p}input_layernorm.weight`), c.rmsNormEps);
  const attn = attention(c, w, `${p}self_attn.`, normed, inputs, past);
  const hMid = tf.add(x, attn.out);
  const mlpIn = ops.rmsNorm(hMid, w(`${p}post_attention_layernorm.weight`), c.rmsNormEps);
  return { out: tf.add(hMid, mlp(w, `${p}mlp.`, mlpIn, inputs.lora)), cache: attn.cache };
}

/**
 * Layer l with its activations recomputed in the backward pass: the layer reads its input, its tensors
 * (every tensor under `model.layers.{l}.`, adapters included), the RoPE tables and the mask through one
 * lookup; the input and the trainable Variables receive gradients.
 */
function recomputedLayer(
  c: LlamaConfig,
  l: number,
  x: tf.Tensor,
  inputs: DecodeInputs,
  all: ReadonlyMap<string, tf.Tensor>,
): tf.Tensor {
  const prefix = `model.layers.${l}.`;
  const tensors = new Map<string, tf.Tensor>([
    ["hidden", x],
    ["inputs.cos", inputs.cos],
    ["inputs.sin", inputs.sin],
    ["inputs.bias", inputs.bias],
  ]);
  for (const [name, t] of all) if (name.startsWith(prefix)) tensors.set(name, t);
  const run = (get: Lookup) => {
    const layerInputs: DecodeInputs = {
      cos: get("inputs.cos") as tf.Tensor4D,
      sin: get("inputs.sin") as tf.Tensor4D,
      bias: get("inputs.bias") as tf.Tensor4D,
    };
    if (inputs.attentionBlockSize !== undefined) layerInputs.attentionBlockSize = inputs.attentionBlockSize;
    if (inputs.lora) layerInputs.lora = inputs.lora;
    return decoderLayer(c, get, l, get("hidden"), layerInputs, undefined).out;
  };
  return recompute(run, tensors, (name, t) => name === "hidden" || (t instanceof tf.Variable && t.trainable));
}

/**
 * Runs the decoder on `ids` [B, T] and returns the final-norm hidden states [B, T, E]
 * plus the per-layer keys/values (including any past ones; none when layers are recomputed).
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
    if (inputs.recompute && !inputs.cache) {
      x = recomputedLayer(c, l, x, inputs, inputs.recompute);
      continue;
    }
    const layer = decoderLayer(c, w, l, x, inputs, inputs.cache?.[l]);
    cache.push(layer.cache);
    x = layer.out;
  }
  return { hidden: ops.rmsNorm(x, w("model.norm.weight"), c.rmsNormEps) as tf.Tensor3D, cache };
}
