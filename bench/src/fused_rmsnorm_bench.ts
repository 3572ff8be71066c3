/**
 * Times one RMSNorm forward + backward on the bench shape ([4, 256, 384], wasm backend) through the fused
 * WpoRMSNorm / WpoRMSNormGrad kernels (and the forward alone) and through the tensor ops (the kernels unregistered), and prints the
 * largest relative differences between the two. Run: `pnpm --filter @wpo/bench exec tsx
 * --conditions=@wpo/source src/fused_rmsnorm_bench.ts` (one core's worth of work; a few seconds).
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { ops } from "../../packages/llama/src/_fused.ts";
import { RMS_NORM_GRAD_KERNEL, RMS_NORM_KERNEL } from "../../packages/kernels/src/mod.ts";

const { rmsNorm } = ops;
import { BENCH_CONFIG } from "./bench_config.ts";

const SHAPE = [2 * BENCH_CONFIG.pairs, BENCH_CONFIG.seqLen, BENCH_CONFIG.dim];
const REPS = 100;

/** Forward value and gradients of x and weight for an incoming gradient dy. */
function step(x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor): tf.Tensor[] {
  const f = (a: tf.Tensor, b: tf.Tensor) => rmsNorm(a, b, BENCH_CONFIG.eps);
  return [tf.tidy(() => f(x, w)), ...tf.grads(f)([x, w], dy)];
}

async function time(
  x: tf.Tensor,
  w: tf.Tensor,
  dy: tf.Tensor,
): Promise<{ ms: number; forwardMs: number; out: Float32Array[] }> {
  for (let i = 0; i < 3; i++) tf.dispose(step(x, w, dy));
  const t0 = performance.now();
  for (let i = 0; i < REPS; i++) {
    const outs = step(x, w, dy);
    await outs[0]!.data();
    tf.dispose(outs);
  }
  const ms = (performance.now() - t0) / REPS;
  const t1 = performance.now();
  for (let i = 0; i < REPS; i++) {
    const y = rmsNorm(x, w, BENCH_CONFIG.eps);
    await y.data();
    y.dispose();
  }
  const forwardMs = (performance.now() - t1) / REPS;
  const outs = step(x, w, dy);
  const out = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  return { ms, forwardMs, out };
}

function relErr(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let size = 0;
  b.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(a[i]! - v));
    size = Math.max(size, Math.abs(v));
  });
  return diff / size;
}

async function main(): Promise<void> {
  await initBackend("wasm");
  const kernels = [RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL].map((n) => tf.getKernel(n, "wasm"));
  if (kernels.some((k) => !k))
    throw new Error("WpoRMSNorm is not registered on wasm (native addon not built?)");
  const x = tf.randomNormal(SHAPE, 0, 1, "float32", 1);
  const w = tf.randomNormal([SHAPE[2]!], 1, 0.2, "float32", 2);
  const dy = tf.randomNormal(SHAPE, 0, 1, "float32", 3);
  const fused = await time(x, w, dy);
  for (const k of kernels) tf.unregisterKernel(k!.kernelName, "wasm");
  const ops = await time(x, w, dy);
  for (const k of kernels) tf.registerKernel(k!);
  const names = ["out", "dx", "dWeight"];
  console.log(`RMSNorm forward + backward on [${SHAPE}] (wasm), mean of ${REPS}:`);
  console.log(`  fused ${fused.ms.toFixed(2)} ms, tensor ops ${ops.ms.toFixed(2)} ms`);
  console.log(
    `  forward only: fused ${fused.forwardMs.toFixed(2)} ms, tensor ops ${ops.forwardMs.toFixed(2)} ms`,
  );
  console.log(
    `  relative differences: ${names.map((n, i) => `${n} ${relErr(fused.out[i]!, ops.out[i]!).toExponential(2)}`).join(", ")}`,
  );
  tf.dispose([x, w, dy]);
}

await main();
