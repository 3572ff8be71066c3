import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { loadAdapter, parseLlamaConfig, randomLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
const dir = await mkdtemp(join(tmpdir(), "adapter-"));
await writeFile(join(dir, "adapter_config.json"), JSON.stringify({ peft_type: "LORA", r: 0, target_modules: ["q_proj"] }));
let message = "";
try { await loadAdapter(m, dir); } catch (e) { message = (e as Error).message; }
console.assert(message.includes("adapter_config.json") && message.includes("r must be"));
m.dispose();
export {};
