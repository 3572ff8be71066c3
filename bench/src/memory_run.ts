import * as tf from "@tensorflow/tfjs-core";
import type { BenchConfig } from "./bench_config.ts";
import type { StepResult } from "./step_tfjs.ts";

/** A step benchmark function (the project step or the hand-written one). */
export type StepBench = (
  c: BenchConfig,
  options: { steps: number; warmup: number; onStep?: (step: number) => void },
) => Promise<StepResult>;

/** Tensor count and RSS sampled during a long run. */
export interface MemoryTrace {
  steps: number;
  num_tensors: number[];
  rss_mb: number[];
  /** Size of the wasm backend's heap (it only grows), MB; empty on other backends. */
  wasm_heap_mb: number[];
  /** V8 heap used, MB. */
  js_heap_mb: number[];
  /** Largest minus smallest tensor count over the samples (0 = no leak). */
  tensor_drift: number;
  /** RSS growth from the first sample to the last, MB. */
  rss_growth_mb: number;
}

/** A small config for the long memory run (fast enough for 200 steps). */
export const MEMORY_CONFIG: BenchConfig = {
  vocab: 512,
  dim: 64,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  hidden: 172,
  eps: 1e-5,
  ropeTheta: 10000,
  pairs: 2,
  seqLen: 64,
  promptLen: 16,
  beta: 0.1,
  lr: 1e-4,
};

/** Runs `steps` training steps in chunks, sampling tensor count and RSS after each chunk. */
export async function memoryRun(bench: StepBench, steps: number, samples = 10): Promise<MemoryTrace> {
  const numTensors: number[] = [];
  const rss: number[] = [];
  const heap: number[] = [];
  const js: number[] = [];
  const wasmHeap = () =>
    (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.buffer.byteLength;
  const chunk = Math.max(1, Math.floor(steps / samples));
  await bench(MEMORY_CONFIG, {
    steps,
    warmup: 0,
    onStep: (i) => {
      if ((i + 1) % chunk === 0) {
        numTensors.push(tf.memory().numTensors);
        rss.push(process.memoryUsage().rss / 2 ** 20);
        js.push(Math.round(process.memoryUsage().heapUsed / 2 ** 20));
        const h = wasmHeap();
        if (h !== undefined) heap.push(Math.round(h / 2 ** 20));
      }
    },
  });
  return {
    steps,
    num_tensors: numTensors,
    rss_mb: rss.map((x) => Math.round(x)),
    wasm_heap_mb: heap,
    js_heap_mb: js,
    tensor_drift: Math.max(...numTensors) - Math.min(...numTensors),
    rss_growth_mb: Math.round((rss.at(-1) ?? 0) - (rss[1] ?? rss[0] ?? 0)),
  };
}
