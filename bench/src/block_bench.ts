/**
 * The transformer-block microbenchmark of docs/environment.md (x[8,128,256] → 1024 →
 * relu → 256, forward + backward, weights as y = x·Wᵀ) on the wasm backend, with the
 * matmul on WebAssembly (explicit transposes) and on native OpenBLAS:
 * `tsx --conditions=@wpo/source src/block_bench.ts`. Prints one JSON line.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";

async function block(nativeBlas: boolean, reps = 10): Promise<number> {
  await initBackend("wasm", { nativeBlas });
  const x = tf.randomNormal([8, 128, 256]) as tf.Tensor3D;
  const w1 = tf.variable(tf.randomNormal([1024, 256], 0, 0.05));
  const w2 = tf.variable(tf.randomNormal([256, 1024], 0, 0.05));
  const run = () => {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.mean(tf.square(tf.matMul(tf.relu(tf.matMul(x, w1, false, true)), w2, false, true))) as tf.Scalar,
      [w1, w2],
    );
    tf.dispose([value, ...Object.values(grads)]);
  };
  run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  tf.dispose([x, w1, w2]);
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

const wasmMs = await block(false);
const nativeMs = await block(true);
console.log(
  JSON.stringify({
    block_wasm_explicit_transpose_ms: Math.round(wasmMs),
    block_native_blas_ms: Math.round(nativeMs * 10) / 10,
  }),
);
