import { initBackend } from "@wpo/backends";
import { loadLlama } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = await loadLlama("fixtures/gqa_untied");
console.assert(m.config.numKeyValueHeads === 2);
m.dispose();
export {};
