/**
 * Forward + backward time and peak tensor memory of @wpo/llama on the bench shape (E 384, 6 layers, 6/2 heads,
 * SwiGLU 1024, V 8192) for each memory option: attention in one piece or in query blocks, with and without
 * gradient checkpointing. `pnpm --filter @wpo/bench exec tsx --conditions=@wpo/source src/memory_options_bench.ts
 * [backend] [seqLen,...] [rows]` (default wasm, 256,512,1024, 2 rows). The fastest of TIMED (default 2) passes
 * after one warm-up, wall and process CPU time (the CPU time is what a loaded machine distorts least); the peak
 * is tf.profile's `peakBytes` above the weights (skipped with NO_PROFILE=1; tfjs counts aliases separately).
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { type ForwardOptions, randomLlama } from "@wpo/llama";
import { BENCH_CONFIG } from "./bench_config.ts";
import { llamaConfigOf } from "./step_wpo.ts";

const backend = (process.argv[2] ?? "wasm") as "wasm" | "cpu";
const lengths = (process.argv[3] ?? "256,512,1024").split(",").map(Number);
const rows = Number(process.argv[4] ?? 2);
const timed = Number(process.env.TIMED ?? 2);
await initBackend(backend);
const c = BENCH_CONFIG;
const model = randomLlama(llamaConfigOf({ ...c, seqLen: Math.max(...lengths) }), { seed: 0 });

function step(t: number, options: ForwardOptions): void {
  tf.tidy(() => {
    const ids = tf.cast(
      tf.floor(tf.randomUniform([rows, t], 0, c.vocab, "float32", 7)),
      "int32",
    ) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.logSoftmax(model.forward(ids, options))) as tf.Scalar,
      model.trainableVariables(),
    );
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
}

const allVariants: [string, ForwardOptions][] = [
  ["one piece", { attentionBlockSize: 0 }],
  ["blocks of 256", { attentionBlockSize: 256 }],
  ["one piece + checkpointing", { attentionBlockSize: 0, gradientCheckpointing: true }],
  ["blocks of 256 + checkpointing", { attentionBlockSize: 256, gradientCheckpointing: true }],
];
const pick = process.env.VARIANTS?.split(",").map(Number);
const variants = pick ? pick.map((i) => allVariants[i]!) : allVariants;
console.log(
  `backend ${backend}, ${rows} rows, bench shape; fwd+bwd ms (fastest of ${timed}), peak MB above weights`,
);
for (const t of lengths) {
  for (const [name, options] of variants) {
    step(t, options);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i < timed; i++) {
      const start = performance.now();
      const cpu = process.cpuUsage();
      step(t, options);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
      times.push(performance.now() - start);
    }
    let mb = Number.NaN;
    if (!process.env.NO_PROFILE) {
      const before = tf.memory().numBytes;
      const { peakBytes } = await tf.profile(() => step(t, options));
      mb = (peakBytes - before) / 2 ** 20;
    }
    const ms = (x: number[]) =>
      Math.min(...x)
        .toFixed(0)
        .padStart(7);
    console.log(`T=${t} ${name.padEnd(30)} ${ms(times)} ms wall ${ms(cpuTimes)} ms cpu  ${mb.toFixed(1)} MB`);
  }
}
model.dispose();
