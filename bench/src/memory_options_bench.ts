/**
 * Forward + backward time and peak tensor memory of @wpo/llama on the bench shape (E 384, 6 layers, 6/2 heads,
 * SwiGLU 1024, V 8192) for each memory option: attention in one piece or in query blocks, with and without
 * gradient checkpointing. `pnpm --filter @wpo/bench exec tsx --conditions=@wpo/source src/memory_options_bench.ts
 * [backend] [seqLen,...] [rows]` (default wasm, 256,512,1024, 2 rows). The fastest of 2 timed passes after
 * one warm-up; the peak is tf.profile's, above the weights.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { type ForwardOptions, randomLlama } from "@wpo/llama";
import { BENCH_CONFIG } from "./bench_config.ts";
import { llamaConfigOf } from "./step_wpo.ts";

const backend = (process.argv[2] ?? "wasm") as "wasm" | "cpu";
const lengths = (process.argv[3] ?? "256,512,1024").split(",").map(Number);
const rows = Number(process.argv[4] ?? 2);
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

const variants: [string, ForwardOptions][] = [
  ["one piece", { attentionBlockSize: 0 }],
  ["blocks of 256", { attentionBlockSize: 256 }],
  ["one piece + checkpointing", { attentionBlockSize: 0, gradientCheckpointing: true }],
  ["blocks of 256 + checkpointing", { attentionBlockSize: 256, gradientCheckpointing: true }],
];
console.log(
  `backend ${backend}, ${rows} rows, bench shape; fwd+bwd ms (fastest of 2), peak MB above weights`,
);
for (const t of lengths) {
  for (const [name, options] of variants) {
    step(t, options);
    const times: number[] = [];
    for (let i = 0; i < 2; i++) {
      const start = performance.now();
      step(t, options);
      times.push(performance.now() - start);
    }
    const before = tf.memory().numBytes;
    const { peakBytes } = await tf.profile(() => step(t, options));
    const mb = (peakBytes - before) / 2 ** 20;
    console.log(
      `T=${t} ${name.padEnd(30)} ${Math.min(...times)
        .toFixed(0)
        .padStart(7)} ms  ${mb.toFixed(1)} MB`,
    );
  }
}
model.dispose();
