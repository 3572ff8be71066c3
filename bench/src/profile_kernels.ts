/**
 * Per-kernel time of one benchmark step on wasm (or `--backend native|cpu`), summed by kernel and by
 * kernel+shapes: `pnpm --filter @wpo/bench profile [--backend native] [--no-blas] [--handwritten]`. Use it to
 * decide what to fuse. `--cpu-time` sums the process's CPU time (user + system) instead of wall time: on a
 * loaded machine, with `--blas-threads 1` and OMP_NUM_THREADS=1, it counts the work and not the waiting.
 * Every kernel of the backend is wrapped with a timer (CPU kernels are synchronous, so the time is exact;
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
const bt = process.argv.indexOf("--blas-threads");
await initBackend(backend, {
  nativeBlas: !process.argv.includes("--no-blas"),
  ...(bt >= 0 ? { blasThreads: Number(process.argv[bt + 1]) } : {}),
});
const cpuTime = process.argv.includes("--cpu-time");
const now = cpuTime
  ? () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    }
  : () => performance.now();
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
    const t0 = now();
    const out = inner(args as never);
    const ms = now() - t0;
    bump(config.kernelName, ms);
    const shapes = Object.values(args.inputs).map((t) => `[${t?.shape}]`);
    bump(`  ${config.kernelName} ${shapes.join("")}`, ms);
    return out;
  }) as unknown as tf.KernelFunc;
  tf.unregisterKernel(config.kernelName, backend);
  tf.registerKernel({ ...config, kernelFunc: timed });
}

// The step after `--warmup N` (1) steps is profiled: the first grows the wasm heap and touches fresh pages
// (native's pool of freed outputs settles after 2).
const wi = process.argv.indexOf("--warmup");
const warmup = wi >= 0 ? Number(process.argv[wi + 1]) : 1;
let stepStart = 0;
let stepMs = 0;
await stepFn(BENCH_CONFIG, {
  steps: 1,
  warmup,
  onStep: (i) => {
    if (i === warmup - 1) {
      recording = true;
      stepStart = now();
    } else if (i === warmup) stepMs = now() - stepStart;
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
