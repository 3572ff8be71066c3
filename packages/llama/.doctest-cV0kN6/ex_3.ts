import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { addLora, loadAdapter, parseLlamaConfig, randomLlama, saveAdapter } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const c = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 });
const m = randomLlama(c, { seed: 1 });
addLora(m, { r: 2 }, { seed: 1 });
const dir = await mkdtemp(join(tmpdir(), "adapter-"));
await saveAdapter(m, dir);
const other = randomLlama(c, { seed: 1 });
await loadAdapter(other, dir);
console.assert(other.adapterVariables().size === m.adapterVariables().size);
other.dispose();
m.dispose();
export {};
