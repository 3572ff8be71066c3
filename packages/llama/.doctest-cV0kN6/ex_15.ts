import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { loraWeightShapes, parseLlamaConfig, randomLlama, resolveLoraConfig } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
const lora = resolveLoraConfig({ r: 2, targetModules: "q_proj" });
m.attachLora(lora, new Map([...loraWeightShapes(m.config, lora)].map(([n, s]) => [n, tf.zeros(s)])));
console.assert(m.trainableVariables().length === 2);
m.dispose();
export {};
