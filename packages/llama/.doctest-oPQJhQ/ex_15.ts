import { initBackend } from "@wpo/backends";
import { loadLlama2c } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const m = await loadLlama2c("../../assets/stories260K.bin");
console.assert(m.config.hiddenSize === 64 && m.config.tieWordEmbeddings);
m.dispose();
export {};
