import { initBackend } from "@wpo/backends";
import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 2, num_attention_heads: 2 }), { seed: 1 });
addLora(m, { r: 2, targetModules: ["q_proj", "v_proj"] }, { seed: 1 });
console.assert(m.adapterVariables().size === 8);
m.dispose();
export {};
