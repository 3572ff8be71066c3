import * as tf from "@tensorflow/tfjs-core";
import type { HeapBackend } from "./_wasm_heap.ts";

/** A native element-wise square root on Float32Array views (`@wpo/blas`' `sqrt`). */
export type NativeSqrt = (x: Float32Array, out: Float32Array) => void;

const stock = new Map<string, tf.KernelConfig>();

/**
 * Runs the wasm backend's float32 `Sqrt` natively on the wasm heap (zero copy) when
 * `sqrt` is given, else restores the stock kernel. The stock kernel is ~5x slower than
 * wasm's other element-wise kernels (AdamW takes a square root of every parameter's
 * second moment each step). Both are IEEE square roots: results are identical. `backendName` is the backend
 * whose kernel is replaced (default wasm; the `native` backend passes its own).
 * @returns true when the native kernel is registered.
 */
export function patchWasmSqrt(sqrt: NativeSqrt | undefined, backendName = "wasm"): boolean {
  if (!stock.has(backendName)) {
    const k = tf.getKernel("Sqrt", backendName);
    if (!k) return false;
    stock.set(backendName, k);
  }
  const base = stock.get(backendName)!;
  const fallback = base.kernelFunc;
  const kernelFunc = sqrt
    ? (((args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        if (x.dtype !== "float32") return fallback(args as never);
        const backend = args.backend as HeapBackend;
        const out = backend.makeOutput([...x.shape], "float32");
        // Views are taken after makeOutput: allocation may grow (and detach) the heap.
        sqrt(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array);
        return out;
      }) as unknown as tf.KernelFunc)
    : fallback;
  tf.unregisterKernel("Sqrt", backendName);
  const config: tf.KernelConfig = { kernelName: "Sqrt", backendName, kernelFunc };
  if (base.setupFunc) config.setupFunc = base.setupFunc;
  tf.registerKernel(config);
  return sqrt !== undefined;
}
