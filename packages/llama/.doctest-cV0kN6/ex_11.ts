import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { LlamaModel, llamaWeightShapes, parseLlamaConfig } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const c = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 });
const w = new Map([...llamaWeightShapes(c)].map(([n, s]) => [n, tf.ones(s)]));
const m = LlamaModel.fromTensors(c, w);
console.assert(m.variables().size === w.size);
m.dispose();
export {};
