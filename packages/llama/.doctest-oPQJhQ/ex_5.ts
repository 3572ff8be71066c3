import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { parseLlamaConfig, randomLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 2, num_attention_heads: 2 }), { seed: 1, std: 0.5 });
const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
const loss = () => tf.sum(tf.square(m.forward(ids))) as tf.Scalar;
const plain = tf.variableGrads(loss).grads;
m.gradientCheckpointing = true;
const recomputed = tf.variableGrads(loss).grads;
const name = m.variables().get("model.layers.0.mlp.up_proj.weight")!.name;
console.assert(tf.max(tf.abs(tf.sub(plain[name]!, recomputed[name]!))).dataSync()[0]! < 1e-6);
m.dispose();
export {};
