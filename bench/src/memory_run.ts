import { buildPairFeatures, type PairFeatures } from "@wpo/data";
import { randomLlama } from "@wpo/llama";
import { type MemorySample, sampleMemory, WpoTrainer } from "@wpo/trainer";
import type { BenchConfig } from "./bench_config.ts";
import { llamaConfigOf } from "./step_wpo.ts";

/** Tensor count and memory sampled (after a full garbage collection) during a long training run. */
export interface MemoryTrace {
  steps: number;
  /** Steps run before the first sample (kernels compiled, optimizer moments and heaps allocated). */
  warmup_steps: number;
  num_tensors: number[];
  /** RSS after a full GC, MB. */
  rss_mb: number[];
  /** Size of the wasm backend's heap (it only grows), MB; empty on other backends. */
  wasm_heap_mb: number[];
  /** V8 heap used after a full GC, MB. */
  js_heap_mb: number[];
  /** Largest minus smallest tensor count over the samples (0 = no leak). */
  tensor_drift: number;
  /** Largest RSS sample minus the first, MB (what a leak would make grow). */
  rss_growth_mb: number;
  /** Highest RSS seen without forcing a GC, MB (V8 collects lazily, so this is above the samples). */
  rss_no_gc_max_mb: number;
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

/** `count` random pairs of the config's shape: a `promptLen` prompt, responses filling `seqLen`. */
function randomPairs(c: BenchConfig, count: number): PairFeatures[] {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 3 + (state % (c.vocab - 3));
  };
  const ids = (n: number) => Array.from({ length: n }, next);
  const responseLen = c.seqLen - c.promptLen - 1; // BOS + prompt + response + EOS = seqLen
  return Array.from({ length: count }, () =>
    buildPairFeatures(
      { promptIds: ids(c.promptLen), chosenIds: ids(responseLen), rejectedIds: ids(responseLen) },
      { bosId: 1, eosId: 2, maxLength: c.seqLen, maxPromptLength: c.promptLen + 1 },
    ),
  );
}

/**
 * Runs the project's trainer (`WpoTrainer`: live reference, WPO weights, clipping, AdamW, cosine
 * schedule) for `warmup + steps` steps on `c` and samples tensors and memory after a full garbage
 * collection every `steps / samples` steps after the warm-up.
 */
export async function memoryRun(
  steps: number,
  options: { samples?: number; warmup?: number; config?: BenchConfig } = {},
): Promise<MemoryTrace> {
  const c = options.config ?? MEMORY_CONFIG;
  const samples = options.samples ?? 10;
  const warmup = options.warmup ?? 50;
  const policy = randomLlama(llamaConfigOf(c), { seed: 0 });
  const trainer = await WpoTrainer.create(policy, {
    trainPairs: randomPairs(c, 64),
    padTokenId: 0,
    config: {
      beta: c.beta,
      learningRate: c.lr,
      lrSchedulerType: "cosine",
      warmupRatio: 0.1,
      perDeviceTrainBatchSize: c.pairs,
      maxSteps: warmup + steps,
      loggingSteps: 10,
    },
  });
  const chunk = Math.max(1, Math.floor(steps / samples));
  let noGcMax = 0;
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await trainer.trainStep();
      noGcMax = Math.max(noGcMax, sampleMemory().rssMb ?? 0);
    }
  };
  await run(warmup);
  const trace: MemorySample[] = [sampleMemory({ collectGarbage: true })];
  for (let done = 0; done < steps; done += chunk) {
    await run(Math.min(chunk, steps - done));
    trace.push(sampleMemory({ collectGarbage: true }));
  }
  trainer.dispose();
  policy.dispose();
  const tensors = trace.map((s) => s.tensors);
  const rss = trace.map((s) => s.rssMb ?? 0);
  return {
    steps,
    warmup_steps: warmup,
    num_tensors: tensors,
    rss_mb: rss.map((x) => Math.round(x * 10) / 10),
    wasm_heap_mb: trace.flatMap((s) => (s.wasmHeapMb === undefined ? [] : [Math.round(s.wasmHeapMb)])),
    js_heap_mb: trace.map((s) => Math.round((s.jsHeapMb ?? 0) * 10) / 10),
    tensor_drift: Math.max(...tensors) - Math.min(...tensors),
    rss_growth_mb: Math.round((Math.max(...rss) - (rss[0] ?? 0)) * 10) / 10,
    rss_no_gc_max_mb: Math.round(noGcMax),
  };
}
