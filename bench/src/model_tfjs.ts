import * as tf from "@tensorflow/tfjs-core";
import type { BenchConfig } from "./bench_config.ts";

/** Named weights of the benchmark Llama (HF layout: y = x·Wᵀ). */
export type Params = Map<string, tf.Variable>;

/** Random N(0, 0.02) weights and unit norms, as tools/reference/bench_step.py builds them. */
export function initParams(c: BenchConfig, seed = 0): Params {
  const hd = c.dim / c.heads;
  const kv = c.kvHeads * hd;
  const p: Params = new Map();
  let s = seed;
  const w = (name: string, shape: number[]) =>
    p.set(name, tf.variable(tf.randomNormal(shape, 0, 0.02, "float32", s++), true, `${name}_${seed}`));
  const one = (name: string) => p.set(name, tf.variable(tf.ones([c.dim]), true, `${name}_${seed}`));
  w("embed", [c.vocab, c.dim]);
  one("norm");
  w("lm_head", [c.vocab, c.dim]);
  for (let i = 0; i < c.layers; i++) {
    one(`${i}.attn_norm`);
    w(`${i}.q`, [c.dim, c.dim]);
    w(`${i}.k`, [kv, c.dim]);
    w(`${i}.v`, [kv, c.dim]);
    w(`${i}.o`, [c.dim, c.dim]);
    one(`${i}.mlp_norm`);
    w(`${i}.gate`, [c.hidden, c.dim]);
    w(`${i}.up`, [c.hidden, c.dim]);
    w(`${i}.down`, [c.dim, c.hidden]);
  }
  return p;
}

const rms = (x: tf.Tensor, w: tf.Tensor, eps: number) =>
  tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), w);
const linear = (x: tf.Tensor, w: tf.Tensor) => tf.matMul(x as tf.Tensor3D, w as tf.Tensor2D, false, true);

/** cos/sin tables [T, hd] of rotate-half RoPE, and the additive causal mask [T, T]. */
export function constants(c: BenchConfig): { cos: tf.Tensor2D; sin: tf.Tensor2D; mask: tf.Tensor2D } {
  return tf.tidy(() => {
    const hd = c.dim / c.heads;
    const inv = tf.div(1, tf.pow(c.ropeTheta, tf.div(tf.range(0, hd, 2), hd)));
    const f = tf.outerProduct(tf.range(0, c.seqLen), inv as tf.Tensor1D);
    const emb = tf.concat([f, f], 1) as tf.Tensor2D;
    const row = tf.reshape(tf.range(0, c.seqLen), [-1, 1]);
    const col = tf.reshape(tf.range(0, c.seqLen), [1, -1]);
    const mask = tf.mul(tf.cast(tf.greater(col, row), "float32"), -1e9) as tf.Tensor2D;
    return { cos: tf.cos(emb), sin: tf.sin(emb), mask };
  });
}

function rope(x: tf.Tensor4D, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor4D {
  const h = x.shape[3] / 2;
  const first = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, h]);
  const second = tf.slice(x, [0, 0, 0, h], [-1, -1, -1, h]);
  return tf.add(tf.mul(x, cos), tf.mul(tf.concat([tf.neg(second), first], 3), sin));
}

/** Logits [B, T, V] of the benchmark Llama for ids [B, T]. */
export function forward(
  p: Params,
  ids: tf.Tensor2D,
  c: BenchConfig,
  k: ReturnType<typeof constants>,
): tf.Tensor3D {
  const [b, t] = ids.shape;
  const hd = c.dim / c.heads;
  const rep = c.heads / c.kvHeads;
  const g = (name: string) => p.get(name)!;
  const heads = (x: tf.Tensor, n: number) =>
    tf.transpose(tf.reshape(x, [b, t, n, hd]), [0, 2, 1, 3]) as tf.Tensor4D;
  let x: tf.Tensor = tf.gather(g("embed"), ids);
  for (let i = 0; i < c.layers; i++) {
    const a = rms(x, g(`${i}.attn_norm`), c.eps);
    // Query heads j*rep..j*rep+rep-1 share KV head j: fold them into the query axis (no KV copies).
    const q = tf.reshape(rope(heads(linear(a, g(`${i}.q`)), c.heads), k.cos, k.sin), [
      b,
      c.kvHeads,
      rep * t,
      hd,
    ]);
    const kk = rope(heads(linear(a, g(`${i}.k`)), c.kvHeads), k.cos, k.sin);
    const v = heads(linear(a, g(`${i}.v`)), c.kvHeads);
    const scores = tf.add(
      tf.reshape(tf.mul(tf.matMul(q, kk, false, true), 1 / Math.sqrt(hd)), [b, c.heads, t, t]),
      k.mask,
    );
    const probs = tf.reshape(tf.softmax(scores), [b, c.kvHeads, rep * t, t]);
    const o = tf.reshape(tf.transpose(tf.reshape(tf.matMul(probs, v), [b, c.heads, t, hd]), [0, 2, 1, 3]), [
      b,
      t,
      c.dim,
    ]);
    x = tf.add(x, linear(o, g(`${i}.o`)));
    const m = rms(x, g(`${i}.mlp_norm`), c.eps);
    const gate = linear(m, g(`${i}.gate`));
    x = tf.add(x, linear(tf.mul(tf.mul(gate, tf.sigmoid(gate)), linear(m, g(`${i}.up`))), g(`${i}.down`)));
  }
  return linear(rms(x, g("norm"), c.eps), g("lm_head")) as tf.Tensor3D;
}
