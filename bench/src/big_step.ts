/**
 * One WPO training step (policy + live reference + AdamW, as `pnpm bench`) on a real model shape, to show
 * which backend holds it: `pnpm --filter @wpo/bench exec tsx --conditions=@wpo/source src/big_step.ts
 * --backend native [--layers 30] [--seq 256] [--pairs 1] [--steps 1]`. The default shape is SmolLM2-135M's
 * body (vocab 49152, E 576, 9/3 heads, SwiGLU 1536) with an untied head: 163M parameters, about 3.9 GiB of
 * weights, gradients, AdamW moments and reference model before activations; wasm's heap stops at 4 GiB.
 * Prints the step time, the most tensor bytes alive at once (tfjs's count, checked after every kernel; it
 * counts a buffer once per tensor sharing it), on native the most distinct typed-array bytes at once
 * (`tf.memory().peakBytesInNative`), and the peak RSS. Allocates ~5-6 GB: run it alone.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import type { BenchConfig } from "./bench_config.ts";
import { benchWpoStep } from "./step_wpo.ts";

const argv = process.argv.slice(2);
const num = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const at = argv.indexOf("--backend");
const backend = (at >= 0 ? argv[at + 1] : "native") as "native" | "wasm";
const config: BenchConfig = {
  vocab: 49152,
  dim: 576,
  layers: num("layers", 30),
  heads: 9,
  kvHeads: 3,
  hidden: 1536,
  eps: 1e-5,
  ropeTheta: 10000,
  pairs: num("pairs", 1),
  seqLen: num("seq", 256),
  promptLen: 64,
  beta: 0.1,
  lr: 1e-5,
};
const info = await initBackend(backend);
console.log(`backend ${info.name}: ${info.notes.join("; ")}`);
// The most tensor bytes alive at once: checked after every kernel (the engine's own counter).
let maxBytes = 0;
const state = (tf.engine() as unknown as { state: { numBytes: number } }).state;
for (const config of tf.getKernelsForBackend(info.name)) {
  const inner = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, info.name);
  tf.registerKernel({
    ...config,
    kernelFunc: ((args: never) => {
      const out = inner(args);
      maxBytes = Math.max(maxBytes, state.numBytes);
      return out;
    }) as tf.KernelFunc,
  });
}
const gib = (b: number) => (b / 2 ** 30).toFixed(2);
{
  const r = await benchWpoStep(config, {
    steps: num("steps", 1),
    warmup: 0,
    onStep: (i) => {
      maxBytes = Math.max(maxBytes, tf.memory().numBytes);
      console.log(
        `step ${i} done; tensors ${tf.memory().numTensors}, ${gib(tf.memory().numBytes)} GiB alive`,
      );
    },
  });
  console.log(
    JSON.stringify({
      backend: info.name,
      layers: config.layers,
      seq: config.seqLen,
      pairs: config.pairs,
      step_ms: Math.round(r.step_ms),
      phases_ms: Object.fromEntries(Object.entries(r.phases_ms).map(([k, v]) => [k, Math.round(v)])),
      loss: r.loss,
      max_tensor_gib: Number(gib(maxBytes)),
      // native only: distinct typed-array bytes (each buffer once), at the peak
      peak_native_gib: (() => {
        const peak = (tf.memory() as { peakBytesInNative?: number }).peakBytesInNative;
        return peak === undefined ? null : Number(gib(peak));
      })(),
      peak_rss_gib: Number(gib(process.resourceUsage().maxRSS * 1024)),
    }),
  );
}
