// @wpo/llama alone (+ its peers): load a Hugging Face safetensors folder and generate greedily.
import { initBackend } from "@wpo/backends";
import { generate, loadLlama } from "@wpo/llama";

const folder = process.argv[2];
if (!folder) throw new Error("usage: node llama.mjs MODEL_FOLDER");
await initBackend("cpu");
const model = await loadLlama(folder);
const [ids] = await generate(model, [[1, 5, 9]], { maxNewTokens: 4 });
const fresh = ids.slice(-4);
if (fresh.length !== 4 || fresh.some((t) => !(t >= 0 && t < model.config.vocabSize))) {
  throw new Error(`llama: unexpected generation ${ids}`);
}
console.log(`llama: generated [${fresh}] from ${folder}`);
model.dispose();
