// Ad-hoc timing script (not part of the build):
//   tsx --conditions=@wpo/source test/bench_generate.ts [backend] [blasThreads|js]
// blasThreads: OpenBLAS threads of the wasm matmul; "js" keeps matmuls in WebAssembly (no native BLAS).
import { initBackend } from "@wpo/backends";
import type { BackendName } from "@wpo/backends";
import { generate } from "../src/generate.ts";
import { loadLlama2c } from "../src/load_llama2c.ts";

const backend = (process.argv[2] ?? "wasm") as BackendName;
const blas = process.argv[3];
await initBackend(backend, blas === "js" ? { nativeBlas: false } : blas ? { blasThreads: Number(blas) } : {});
const model = await loadLlama2c(new URL("../../../assets/stories260K.bin", import.meta.url).pathname);
const prompts = Array.from({ length: 512 }, (_, i) =>
  i % 3 === 0 ? [1] : i % 3 === 1 ? [1, 403] : [1, 385, 410],
);
await generate(model, prompts.slice(0, 8), { maxNewTokens: 4, temperature: 1, seed: 0 });
const t0 = performance.now();
const c0 = process.cpuUsage();
const out = await generate(model, prompts, {
  maxNewTokens: 48,
  temperature: 1,
  topP: 0.95,
  seed: 0,
  stopTokenIds: [],
});
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const cpuS = ((cpu.user + cpu.system) / 1e6).toFixed(2);
const n = out.reduce((a, o) => a + o.length, 0);
console.log(
  `${backend} (blas ${blas ?? "default"}): 512 x 48 tokens, wall ${(ms / 1000).toFixed(2)} s, process CPU ${cpuS} s; ${n} tokens`,
);
model.dispose();
