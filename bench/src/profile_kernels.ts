/** Per-kernel time of one policy forward+backward of the bench model on wasm: `tsx --conditions=@wpo/source src/profile_kernels.ts [noblas]`. */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { BENCH_CONFIG as c } from "./bench_config.ts";
import { constants, forward, initParams } from "./model_tfjs.ts";
await initBackend("wasm", { nativeBlas: process.argv[2] !== "noblas" });
const p = initParams(c, 0);
const k = constants(c);
const ids = tf.zeros([2 * c.pairs, c.seqLen], "int32") as tf.Tensor2D;
const vars = [...p.values()];
const run = () => tf.variableGrads(() => tf.sum(forward(p, ids, c, k)) as tf.Scalar, vars);
tf.dispose(run().grads);
const prof = await tf.profile(() => {
  const r = run();
  tf.dispose(r.grads);
  return r.value;
});
const agg = new Map<string, [number, number]>();
for (const kk of prof.kernels) {
  const key = `${kk.name} ${kk.inputShapes.map((s) => `[${s}]`).join("")}`;
  const cur = agg.get(kk.name) ?? [0, 0];
  agg.set(kk.name, [cur[0] + (kk.kernelTimeMs as number), cur[1] + 1]);
  const cur2 = agg.get(key) ?? [0, 0];
  agg.set(key, [cur2[0] + (kk.kernelTimeMs as number), cur2[1] + 1]);
}
const total = prof.kernels.reduce((a, kk) => a + (kk.kernelTimeMs as number), 0);
console.log("total", total.toFixed(0));
for (const [name, [ms, n]] of [...agg].sort((a, b) => b[1][0] - a[1][0]).slice(0, 40))
  console.log(ms.toFixed(1).padStart(8), String(n).padStart(4), name);
