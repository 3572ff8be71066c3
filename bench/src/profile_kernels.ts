/**
 * Per-kernel time of one benchmark step on wasm (or `--backend native|cpu`), summed by kernel and by
 * kernel+shapes: `pnpm --filter @wpo/bench profile [--backend native] [--no-blas] [--handwritten]`. Use it to
 * decide what to fuse. Every kernel of the backend is wrapped with a timer (CPU kernels are synchronous, so the time is exact;
 * `tf.profile` adds its own per-kernel bookkeeping and inflates short kernels). Nested kernels
 * (a kernel calling another) are counted in both.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { BENCH_CONFIG } from "./bench_config.ts";
import { benchTfjsStep } from "./step_tfjs.ts";
import { benchWpoStep } from "./step_wpo.ts";

const at = process.argv.indexOf("--backend");
const backend = (at >= 0 ? process.argv[at + 1] : "wasm") as "wasm" | "native" | "cpu";
await initBackend(backend, { nativeBlas: !process.argv.includes("--no-blas") });
const stepFn = process.argv.includes("--handwritten") ? benchTfjsStep : benchWpoStep;

const agg = new Map<string, [number, number]>();
let recording = false;
const bump = (key: string, ms: number) => {
  const cur = agg.get(key) ?? [0, 0];
  agg.set(key, [cur[0] + ms, cur[1] + 1]);
};
for (const config of tf.getKernelsForBackend(backend)) {
  const inner = config.kernelFunc;
  const timed = ((args: { inputs: tf.NamedTensorInfoMap }) => {
    if (!recording) return inner(args as never);
    const t0 = performance.now();
    const out = inner(args as never);
    const ms = performance.now() - t0;
    bump(config.kernelName, ms);
    const shapes = Object.values(args.inputs).map((t) => `[${t?.shape}]`);
    bump(`  ${config.kernelName} ${shapes.join("")}`, ms);
    return out;
  }) as unknown as tf.KernelFunc;
  tf.unregisterKernel(config.kernelName, backend);
  tf.registerKernel({ ...config, kernelFunc: timed });
}

// The second step of a run is profiled: the first grows the wasm heap and touches fresh pages.
let stepStart = 0;
let stepMs = 0;
await stepFn(BENCH_CONFIG, {
  steps: 1,
  warmup: 1,
  onStep: (i) => {
    if (i === 0) {
      recording = true;
      stepStart = performance.now();
    } else stepMs = performance.now() - stepStart;
  },
});
recording = false;
const total = [...agg].filter(([k]) => !k.startsWith(" ")).reduce((a, [, [ms]]) => a + ms, 0);
console.log(
  `step ${stepMs.toFixed(0)} ms; time inside kernels ${total.toFixed(0)} ms (the rest is JS between kernels)`,
);
for (const [name, [ms, n]] of [...agg].sort((a, b) => b[1][0] - a[1][0]).slice(0, 60)) {
  console.log(ms.toFixed(1).padStart(8), String(n).padStart(5), name);
}
