import { initBackend } from "@wpo/backends";
import { addLora, parseLlamaConfig, randomLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
addLora(m, { r: 2, loraDropout: 0.1 }, { seed: 1 });
m.setLoraDropout(7);
console.assert(m.loraRuntime()!.dropout!.seed === 7);
m.setLoraDropout(undefined);
console.assert(m.loraRuntime()!.dropout === undefined);
m.dispose();
export {};
