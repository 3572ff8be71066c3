import { initBackend } from "@wpo/backends";
import { generate, loadLlama2c } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
await initBackend("cpu");
const model = await loadLlama2c("../../assets/stories260K.bin");
const out = await generate(model, [[1], [1, 403]], { maxNewTokens: 4, temperature: 0.8, topK: 20, seed: 7 });
console.assert(out.length === 2 && out.every((ids) => ids.length <= 4));
model.dispose();
export {};
