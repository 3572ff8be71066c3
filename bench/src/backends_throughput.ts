/**
 * Training-step throughput per backend, same model, batch and seed, in one run:
 * cpu, wasm with the native OpenBLAS matmul, wasm without it, and WebGPU (Dawn in
 * Node; llvmpipe here). Each step is a full WPO step: policy forward on
 * [chosen; rejected], chunked log-probs with the WPO log weight, sigmoid DPO loss
 * weighted by the (detached) pair weights, gradients, clipping, AdamW. The loss is
 * read back asynchronously every step so the time covers the device work.
 *
 * Run: `pnpm --filter @wpo/bench exec tsx --conditions=@wpo/source src/backends_throughput.ts`
 * Options (env): WPO_BT_BACKENDS=cpu,wasm+blas,wasm,webgpu  WPO_BT_STEPS=5  WPO_BT_SEQ=64
 * Prints a table and one JSON line.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend, shutdownBackend } from "@wpo/backends";
import { type LlamaConfig, randomLlama } from "@wpo/llama";
import { chunkedSequenceLogps, wpoPairWeights } from "@wpo/losses";
import { AdamW, clipGradNorm } from "@wpo/optim";

const CONFIG = {
  vocabSize: 512,
  hiddenSize: 64,
  intermediateSize: 172,
  numHiddenLayers: 5,
  numAttentionHeads: 8,
  numKeyValueHeads: 4,
  headDim: 8,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  ropeScaling: null,
  tieWordEmbeddings: true,
  maxPositionEmbeddings: 512,
  bosTokenId: 1,
  eosTokenId: 2,
  initializerRange: 0.02,
} as LlamaConfig;
const PAIRS = 2;
const SEQ = Number(process.env.WPO_BT_SEQ ?? 64);
const PROMPT = Math.floor(SEQ / 2);
const STEPS = Number(process.env.WPO_BT_STEPS ?? 5);
const WARMUP = 2;
const BETA = 0.1;

const VARIANTS: Record<string, () => Promise<unknown>> = {
  cpu: () => initBackend("cpu"),
  "wasm+blas": () => initBackend("wasm", { nativeBlas: true }),
  wasm: () => initBackend("wasm", { nativeBlas: false }),
  webgpu: () => initBackend("webgpu"),
};

/** The batch as host arrays: rows [chosen; rejected], prompt tokens unscored. */
function batchArrays(): { ids: Int32Array; labels: Int32Array } {
  const rows = 2 * PAIRS;
  const ids = new Int32Array(rows * SEQ);
  let s = 7;
  for (let i = 0; i < ids.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    ids[i] = 3 + (s % (CONFIG.vocabSize - 3));
  }
  for (let p = 0; p < PAIRS; p++) {
    for (let t = 0; t < PROMPT; t++) ids[(PAIRS + p) * SEQ + t] = ids[p * SEQ + t]!; // shared prompt
  }
  const labels = Int32Array.from(ids, (x, i) => (i % SEQ < PROMPT ? -100 : x));
  return { ids, labels };
}

interface Result {
  backend: string;
  msPerStep: number;
  tokensPerSecond: number;
  firstStepMs: number;
  losses: number[];
  note?: string;
}

async function measure(label: string): Promise<Result> {
  await VARIANTS[label]!();
  const policy = randomLlama(CONFIG, { seed: 42 });
  const vars = policy.trainableVariables();
  const optimizer = new AdamW(policy.variables(), { lr: 1e-3, weightDecay: 0 });
  const host = batchArrays();
  const ids = tf.tensor2d(host.ids, [2 * PAIRS, SEQ], "int32");
  const labels = tf.tensor2d(host.labels, [2 * PAIRS, SEQ], "int32");
  const chunkSize = 32;
  const ref = tf.tidy(
    () => chunkedSequenceLogps(policy.hiddenStates(ids), policy.lmHeadWeight(), labels, { chunkSize }).sum,
  );
  const half = (t: tf.Tensor, second: boolean) => tf.slice(t, [second ? PAIRS : 0], [PAIRS]);
  const losses: number[] = [];
  const times: number[] = [];
  for (let step = 0; step < WARMUP + STEPS; step++) {
    const t0 = performance.now();
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const lp = chunkedSequenceLogps(policy.hiddenStates(ids), policy.lmHeadWeight(), labels, {
          chunkSize,
          alignment: "sampled",
        });
        const w = wpoPairWeights(
          half(lp.wpoLogWeight!, false) as tf.Tensor1D,
          half(lp.wpoLogWeight!, true) as tf.Tensor1D,
          { clamp: 1 },
        );
        const z = tf.sub(
          tf.sub(half(lp.sum, false), half(lp.sum, true)),
          tf.sub(half(ref, false), half(ref, true)),
        );
        return tf.mean(tf.mul(tf.softplus(tf.mul(z, -BETA)), w)) as tf.Scalar;
      }, vars);
      const named = new Map<string, tf.Tensor>();
      for (const [name, v] of policy.variables()) if (grads[v.name]) named.set(name, grads[v.name]!);
      const clipped = clipGradNorm(named, 1);
      optimizer.step(clipped.grads, { lr: 1e-3 });
      return value;
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
    times.push(performance.now() - t0);
  }
  tf.dispose([ids, labels, ref]);
  optimizer.dispose?.();
  policy.dispose();
  const timed = times.slice(WARMUP);
  const msPerStep = timed.reduce((a, b) => a + b, 0) / timed.length;
  return {
    backend: label,
    msPerStep,
    tokensPerSecond: (2 * PAIRS * SEQ) / (msPerStep / 1000),
    firstStepMs: times[0]!,
    losses,
  };
}

const wanted = (process.env.WPO_BT_BACKENDS ?? Object.keys(VARIANTS).join(",")).split(",");
const results: Result[] = [];
for (const label of wanted) {
  if (!VARIANTS[label])
    throw new RangeError(`Unknown backend '${label}': choose from ${Object.keys(VARIANTS).join(", ")}.`);
  try {
    results.push(await measure(label));
  } catch (error) {
    results.push({
      backend: label,
      msPerStep: Number.NaN,
      tokensPerSecond: Number.NaN,
      firstStepMs: Number.NaN,
      losses: [],
      note: (error as Error).message.split("\n")[0],
    });
  }
}
shutdownBackend();
const base = results.find((r) => r.backend === "cpu" && r.losses.length > 0);
console.log(
  `WPO step, random Llama ${CONFIG.numHiddenLayers}x${CONFIG.hiddenSize} (V=${CONFIG.vocabSize}, GQA ${CONFIG.numAttentionHeads}/${CONFIG.numKeyValueHeads}), ${PAIRS} pairs x ${SEQ} tokens, ${STEPS} timed steps after ${WARMUP}`,
);
console.log("backend     ms/step   tokens/s   first step ms   max |loss - cpu loss| / cpu");
for (const r of results) {
  const dev =
    base && r.losses.length
      ? Math.max(...r.losses.map((l, i) => Math.abs(l - base.losses[i]!) / Math.abs(base.losses[i]!)))
      : Number.NaN;
  console.log(
    `${r.backend.padEnd(10)} ${r.msPerStep.toFixed(1).padStart(8)} ${r.tokensPerSecond.toFixed(0).padStart(10)} ${r.firstStepMs.toFixed(0).padStart(15)}   ${dev.toExponential(2)}${r.note ? `  (${r.note})` : ""}`,
  );
}
console.log(
  JSON.stringify({ bench: "backends_throughput", pairs: PAIRS, seqLen: SEQ, steps: STEPS, results }),
);
process.exit(0);
