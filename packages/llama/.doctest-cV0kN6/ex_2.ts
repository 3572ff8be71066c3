import { initBackend } from "@wpo/backends";
import { addLora, adapterTensors, parseLlamaConfig, randomLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
addLora(m, { r: 2, targetModules: "q_proj" }, { seed: 1 });
const t = await adapterTensors(m);
console.assert(t.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")!.shape.join() === "2,4");
m.dispose();
export {};
