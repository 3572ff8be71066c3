import * as tf from "@tensorflow/tfjs-core";
import { MASKED_SOFTMAX_KERNEL, type NativeKernels, SOFTMAX_GRAD_KERNEL } from "@wpo/kernels";
import type { NativeLookup } from "./_wasm_fused_kernels.ts";
import type { HeapBackend } from "./_wasm_heap.ts";

type SoftmaxGrad = NativeKernels["softmaxGrad"];
type MaskedSoftmax = NativeKernels["maskedSoftmax"];

function maskedSoftmaxKernel(maskedSoftmax: MaskedSoftmax): tf.KernelFunc {
  return ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const { x, bias } = args.inputs as { x: tf.TensorInfo; bias: tf.TensorInfo };
    const { scale } = args.attrs as { scale: number };
    const [b, h, r, l] = x.shape as number[];
    const [bb, one, q, bl] = bias.shape as number[];
    const fits =
      x.shape.length === 4 && bias.shape.length === 4 && one === 1 && bl === l && (bb === 1 || bb === b);
    if (x.dtype !== "float32" || bias.dtype !== "float32" || !fits || r! % q! !== 0)
      throw new TypeError(
        `${MASKED_SOFTMAX_KERNEL}: expected float32 x [B, H, R, L] and bias [B|1, 1, Q, L] with R a multiple of Q, got ${x.dtype} [${x.shape}] and ${bias.dtype} [${bias.shape}].`,
      );
    const backend = args.backend as HeapBackend;
    const out = backend.makeOutput([...x.shape], "float32");
    const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    if (tf.util.sizeFromShape(x.shape) > 0)
      maskedSoftmax(view(x), view(bias), view(out), l!, scale, h! * r!, q!, bb!);
    return out;
  }) as unknown as tf.KernelFunc;
}

/**
 * Registers {@linkcode SOFTMAX_GRAD_KERNEL} and {@linkcode MASKED_SOFTMAX_KERNEL} on wasm over `@wpo/blas`'
 * native `softmaxGrad` and `maskedSoftmax` (one threaded, vectorised pass each instead of three or four
 * tfjs kernels), or unregisters them when the addon lacks them.
 * @returns the kernel names registered.
 */
export function patchWasmSoftmax(native: NativeLookup | undefined, backendName = "wasm"): string[] {
  for (const name of [SOFTMAX_GRAD_KERNEL, MASKED_SOFTMAX_KERNEL])
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
  const softmaxGrad = native?.("softmaxGrad") as SoftmaxGrad | undefined;
  const maskedSoftmax = native?.("maskedSoftmax") as MaskedSoftmax | undefined;
  const registered: string[] = [];
  if (maskedSoftmax) {
    tf.registerKernel({
      kernelName: MASKED_SOFTMAX_KERNEL,
      backendName,
      kernelFunc: maskedSoftmaxKernel(maskedSoftmax),
    });
    registered.push(MASKED_SOFTMAX_KERNEL);
  }
  if (!softmaxGrad) return registered;
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
  tf.registerKernel({ kernelName: SOFTMAX_GRAD_KERNEL, backendName, kernelFunc });
  return [...registered, SOFTMAX_GRAD_KERNEL];
}
