import * as tf from "@tensorflow/tfjs-core";
import type { NativeLookup } from "./_wasm_fused_kernels.ts";
import { SOFTMAX_GRAD_KERNEL } from "./_softmax_gradient.ts";

interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type SoftmaxGrad = (y: Float32Array, dy: Float32Array, dx: Float32Array, cols: number) => void;

/**
 * Registers {@linkcode SOFTMAX_GRAD_KERNEL} on wasm over `@wpo/blas`' native `softmaxGrad` (one threaded,
 * vectorised pass instead of tfjs's four kernels), or unregisters it when the addon lacks it.
 * @returns the kernel names registered.
 */
export function patchWasmSoftmaxGrad(native: NativeLookup | undefined): string[] {
  if (tf.getKernel(SOFTMAX_GRAD_KERNEL, "wasm")) tf.unregisterKernel(SOFTMAX_GRAD_KERNEL, "wasm");
  const softmaxGrad = native?.("softmaxGrad") as SoftmaxGrad | undefined;
  if (!softmaxGrad) return [];
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const { y, dy } = args.inputs as { y: tf.TensorInfo; dy: tf.TensorInfo };
    if (
      y.dtype !== "float32" ||
      dy.dtype !== "float32" ||
      !tf.util.arraysEqual(y.shape, dy.shape) ||
      y.shape.length === 0
    )
      throw new TypeError(
        `${SOFTMAX_GRAD_KERNEL}: expected float32 y and dy of one shape (rank >= 1), got ${y.dtype} [${y.shape}] and ${dy.dtype} [${dy.shape}].`,
      );
    const backend = args.backend as HeapBackend;
    const out = backend.makeOutput([...y.shape], "float32");
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    if (tf.util.sizeFromShape(y.shape) > 0)
      softmaxGrad(view(y), view(dy), view(out), y.shape[y.shape.length - 1]!);
    return out;
  }) as unknown as tf.KernelFunc;
  tf.registerKernel({ kernelName: SOFTMAX_GRAD_KERNEL, backendName: "wasm", kernelFunc });
  return [SOFTMAX_GRAD_KERNEL];
}
