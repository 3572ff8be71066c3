/**
 * Times one SwiGLU forward + backward on the bench shape ([4, 256, 1024], wasm backend) through the fused
 * WpoSwiGLU / WpoSwiGLUGrad kernels (and the forward alone) and through the tensor ops (the kernels
 * unregistered), and prints the largest relative differences between the two. Run: `pnpm --filter
 * @wpo/bench exec tsx --conditions=@wpo/source src/fused_swiglu_bench.ts` (a few seconds).
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { patchWasmSwiGLU } from "../../packages/backends/src/_wasm_native_swiglu.ts";
import { loadBlas } from "../../packages/blas/src/load_blas.ts";
import { ops } from "../../packages/llama/src/_fused.ts";
import { SWIGLU_GRAD_KERNEL, SWIGLU_KERNEL } from "../../packages/kernels/src/mod.ts";

const { swiglu } = ops;
import { BENCH_CONFIG } from "./bench_config.ts";

const SHAPE = [2 * BENCH_CONFIG.pairs, BENCH_CONFIG.seqLen, BENCH_CONFIG.hidden];
const REPS = 100;

/** Forward value and gradients of gate and up for an incoming gradient dy. */
function step(g: tf.Tensor, u: tf.Tensor, dy: tf.Tensor): tf.Tensor[] {
  return [tf.tidy(() => swiglu(g, u)), ...tf.grads(swiglu)([g, u], dy)];
}

/** Mean ms of `f` over REPS runs (wasm kernels run synchronously, so no read-back is needed to time them). */
function mean(f: () => tf.Tensor | tf.Tensor[]): number {
  for (let i = 0; i < 3; i++) tf.dispose(f());
  const t0 = performance.now();
  for (let i = 0; i < REPS; i++) tf.dispose(f());
  return (performance.now() - t0) / REPS;
}

async function time(g: tf.Tensor, u: tf.Tensor, dy: tf.Tensor) {
  const ms = mean(() => step(g, u, dy));
  const forwardMs = mean(() => tf.tidy(() => swiglu(g, u)));
  const outs = step(g, u, dy);
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
  // Registered by initBackend once wired into the wasm registration; patched here too (idempotent).
  if (patchWasmSwiGLU((n) => loadBlas()?.native(n)).length === 0)
    throw new Error("WpoSwiGLU cannot be registered on wasm (native addon not built?)");
  const kernels = [SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL].map((n) => tf.getKernel(n, "wasm")!);
  const g = tf.randomNormal(SHAPE, 0, 2, "float32", 1);
  const u = tf.randomNormal(SHAPE, 0, 1, "float32", 2);
  const dy = tf.randomNormal(SHAPE, 0, 1, "float32", 3);
  const fused = await time(g, u, dy);
  for (const k of kernels) tf.unregisterKernel(k.kernelName, "wasm");
  const ops = await time(g, u, dy);
  for (const k of kernels) tf.registerKernel(k);
  const names = ["out", "dGate", "dUp"];
  console.log(`SwiGLU forward + backward on [${SHAPE}] (wasm), mean of ${REPS}:`);
  console.log(`  fused ${fused.ms.toFixed(2)} ms, tensor ops ${ops.ms.toFixed(2)} ms`);
  console.log(
    `  forward only: fused ${fused.forwardMs.toFixed(2)} ms, tensor ops ${ops.forwardMs.toFixed(2)} ms`,
  );
  console.log(
    `  relative differences: ${names.map((n, i) => `${n} ${relErr(fused.out[i]!, ops.out[i]!).toExponential(2)}`).join(", ")}`,
  );
  tf.dispose([g, u, dy]);
}

await main();
