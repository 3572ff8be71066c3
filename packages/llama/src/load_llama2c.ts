import { readFile } from "#node-only";
import { parseLlamaConfig } from "./config.ts";
import { LlamaModel, type LlamaModelOptions } from "./llama_model.ts";

/** Options of {@linkcode loadLlama2c}. */
export type LoadLlama2cOptions = LlamaModelOptions;

/** Rows of each head go from llama2.c's interleaved pairs (2i, 2i+1) to HF's halves (i, i + hs/2). */
function permuteRows(w: Float32Array, heads: number, headSize: number, dim: number): Float32Array {
  const out = new Float32Array(w.length);
  const half = headSize / 2;
  for (let h = 0; h < heads; h++) {
    for (let p = 0; p < 2; p++) {
      for (let i = 0; i < half; i++) {
        const src = (h * headSize + 2 * i + p) * dim;
        const dst = (h * headSize + p * half + i) * dim;
        out.set(w.subarray(src, src + dim), dst);
      }
    }
  }
  return out;
}

/**
 * Imports a llama2.c checkpoint (e.g. Karpathy's `stories260K.bin`): the 7-int32
 * header, then float32 weights, permuting the q/k rows into the Hugging Face
 * rotate-half layout. A positive vocab_size in the header means the classifier is the
 * embedding (tied). RMSNorm eps 1e-5, RoPE θ 10000, BOS 1, EOS 2.
 *
 * @param pathOrBytes A file path or the file's bytes.
 * @param options Whether the weights are trainable.
 * @returns The model.
 * @throws {RangeError} when the file is shorter than its header says.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { loadLlama2c } from "@wpo/llama";
 * await initBackend("cpu");
 * const m = await loadLlama2c("../../assets/stories260K.bin");
 * console.assert(m.config.hiddenSize === 64 && m.config.tieWordEmbeddings);
 * m.dispose();
 * ```
 */
export async function loadLlama2c(
  pathOrBytes: string | Uint8Array,
  options: LoadLlama2cOptions = {},
): Promise<LlamaModel> {
  const where = typeof pathOrBytes === "string" ? pathOrBytes : "llama2.c checkpoint";
  const bytes = typeof pathOrBytes === "string" ? new Uint8Array(await readFile(pathOrBytes)) : pathOrBytes;
  if (bytes.length < 28) throw new RangeError(`${where}: ${bytes.length} bytes is too short for the header.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [dim, hidden, layers, heads, kvHeads, vocabSigned, seqLen] = Array.from({ length: 7 }, (_, i) =>
    view.getInt32(4 * i, true),
  ) as [number, number, number, number, number, number, number];
  const vocab = Math.abs(vocabSigned);
  const hs = dim / heads;
  const config = parseLlamaConfig({
    vocab_size: vocab,
    hidden_size: dim,
    intermediate_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: vocabSigned > 0,
    max_position_embeddings: seqLen,
    bos_token_id: 1,
    eos_token_id: 2,
  });
  const floats = (bytes.length - 28) >> 2;
  const data = new Float32Array(floats);
  for (let i = 0; i < floats; i++) data[i] = view.getFloat32(28 + 4 * i, true);
  let pos = 0;
  const take = (shape: number[]): Float32Array => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (pos + n > floats)
      throw new RangeError(`${where}: truncated (need ${pos + n} floats, have ${floats}).`);
    const out = data.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const kvDim = kvHeads * hs;
  const emb = take([vocab, dim]);
  const rmsAtt = take([layers, dim]);
  const wq = take([layers, dim, dim]);
  const wk = take([layers, kvDim, dim]);
  const wv = take([layers, kvDim, dim]);
  const wo = take([layers, dim, dim]);
  const rmsFfn = take([layers, dim]);
  const w1 = take([layers, hidden, dim]);
  const w2 = take([layers, dim, hidden]);
  const w3 = take([layers, hidden, dim]);
  const rmsFinal = take([dim]);
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  const set = (name: string, shape: number[], d: Float32Array) => weights.set(name, { shape, data: d });
  const layer = (all: Float32Array, l: number, size: number) => all.subarray(l * size, (l + 1) * size);
  set("model.embed_tokens.weight", [vocab, dim], emb);
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}.`;
    set(`${p}input_layernorm.weight`, [dim], layer(rmsAtt, l, dim));
    set(`${p}self_attn.q_proj.weight`, [dim, dim], permuteRows(layer(wq, l, dim * dim), heads, hs, dim));
    set(
      `${p}self_attn.k_proj.weight`,
      [kvDim, dim],
      permuteRows(layer(wk, l, kvDim * dim), kvHeads, hs, dim),
    );
    set(`${p}self_attn.v_proj.weight`, [kvDim, dim], layer(wv, l, kvDim * dim));
    set(`${p}self_attn.o_proj.weight`, [dim, dim], layer(wo, l, dim * dim));
    set(`${p}post_attention_layernorm.weight`, [dim], layer(rmsFfn, l, dim));
    set(`${p}mlp.gate_proj.weight`, [hidden, dim], layer(w1, l, hidden * dim));
    set(`${p}mlp.down_proj.weight`, [dim, hidden], layer(w2, l, dim * hidden));
    set(`${p}mlp.up_proj.weight`, [hidden, dim], layer(w3, l, hidden * dim));
  }
  set("model.norm.weight", [dim], rmsFinal);
  if (vocabSigned <= 0) {
    take([seqLen * hs]); // legacy RoPE tables (freq_cis_real, freq_cis_imag)
    set("lm_head.weight", [vocab, dim], take([vocab, dim]));
  }
  return LlamaModel.fromTensors(config, weights, options);
}
