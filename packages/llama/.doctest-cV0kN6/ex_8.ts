import { llamaConfigToJson, parseLlamaConfig } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
const c = parseLlamaConfig({ vocab_size: 32, hidden_size: 16, intermediate_size: 24,
  num_hidden_layers: 1, num_attention_heads: 4 });
console.assert(parseLlamaConfig(llamaConfigToJson(c)).headDim === 4);
export {};
