import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { checkpointIdentity, parseLlamaConfig, randomLlama, saveLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = randomLlama(parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
  num_hidden_layers: 1, num_attention_heads: 2 }), { seed: 1 });
const dir = await mkdtemp(join(tmpdir(), "llama-"));
await saveLlama(m, dir);
const id = await checkpointIdentity(dir);
console.assert(id.hash.length === 16 && id.hash === (await checkpointIdentity(dir)).hash);
m.dispose();
export {};
