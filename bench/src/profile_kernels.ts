/**
 * Per-kernel time of benchmark steps on wasm, summed by kernel and by kernel+shapes:
 * `pnpm --filter @wpo/bench profile [--no-blas]`. Use it to decide what to fuse.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { BENCH_CONFIG } from "./bench_config.ts";
import { benchTfjsStep } from "./step_tfjs.ts";
import { benchWpoStep } from "./step_wpo.ts";

await initBackend("wasm", { nativeBlas: !process.argv.includes("--no-blas") });
const stepFn = process.argv.includes("--handwritten") ? benchTfjsStep : benchWpoStep;
// Warm up first (wasm heap growth, first-touch page faults, OpenBLAS thread start), then profile one step.
await stepFn(BENCH_CONFIG, { steps: 1, warmup: 0 });
const prof = await tf.profile(async () => {
  await stepFn(BENCH_CONFIG, { steps: 1, warmup: 0 });
  return [];
});
const agg = new Map<string, [number, number]>();
const bump = (key: string, ms: number) => {
  const cur = agg.get(key) ?? [0, 0];
  agg.set(key, [cur[0] + ms, cur[1] + 1]);
};
for (const k of prof.kernels) {
  const ms = k.kernelTimeMs as number;
  bump(k.name, ms);
  bump(`  ${k.name} ${k.inputShapes.map((s) => `[${s}]`).join("")}`, ms);
}
const total = prof.kernels.reduce((a, k) => a + (k.kernelTimeMs as number), 0);
console.log(`total kernel ms ${total.toFixed(0)} (includes model init)`);
for (const [name, [ms, n]] of [...agg].sort((a, b) => b[1][0] - a[1][0]).slice(0, 45)) {
  console.log(ms.toFixed(1).padStart(8), String(n).padStart(5), name);
}
