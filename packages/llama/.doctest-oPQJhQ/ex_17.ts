import { initBackend } from "@wpo/backends";
import { parseLlamaConfig, randomLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const c = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 });
const a = randomLlama(c, { seed: 3 });
const b = randomLlama(c, { seed: 3 });
const x = await a.variables().get("lm_head.weight")!.data();
const y = await b.variables().get("lm_head.weight")!.data();
console.assert(x.every((v, i) => v === y[i]));
a.dispose(); b.dispose();
export {};
