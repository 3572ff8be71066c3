import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { parseLlamaConfig, randomLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1, std: 0.5 });
const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
const { grads } = tf.variableGrads(() => tf.sum(tf.square(m.forward(ids))) as tf.Scalar, m.trainableVariables());
console.assert(Object.keys(grads).length === m.variables().size);
m.dispose();
export {};
