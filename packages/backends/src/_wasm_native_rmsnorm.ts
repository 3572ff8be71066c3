import * as tf from "@tensorflow/tfjs-core";
import { RMS_NORM_GRAD_KERNEL, RMS_NORM_KERNEL, type NativeKernels } from "@wpo/kernels";
import type { NativeLookup } from "./_wasm_fused_kernels.ts";
import type { HeapBackend } from "./_wasm_heap.ts";

type RmsNorm = NativeKernels["rmsnorm"];
type RmsNormGrad = NativeKernels["rmsnormGrad"];

/** Throws unless every tensor is float32 and `x` (and `dy`) end in weight's length E. */
function checkShapes(kernel: string, x: tf.TensorInfo, weight: tf.TensorInfo, dy?: tf.TensorInfo): void {
  const e = weight.shape[0];
  const ok =
    weight.shape.length === 1 &&
    x.shape.length >= 1 &&
    x.shape[x.shape.length - 1] === e &&
    [x, weight, dy].every((t) => t === undefined || t.dtype === "float32") &&
    (dy === undefined || tf.util.arraysEqual(dy.shape, x.shape));
  if (!ok)
    throw new TypeError(
      `${kernel}: expected float32 x [..., E]${dy ? ", dy of x's shape" : ""} and weight [E], got x ${x.dtype} [${x.shape}]${dy ? `, dy ${dy.dtype} [${dy.shape}]` : ""} and weight ${weight.dtype} [${weight.shape}].`,
    );
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: unknown;
}

function forwardKernel(rmsnorm: RmsNorm): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const { x, weight } = args.inputs as { x: tf.TensorInfo; weight: tf.TensorInfo };
    const { eps } = args.attrs as { eps: number };
    checkShapes(RMS_NORM_KERNEL, x, weight);
    const backend = args.backend as HeapBackend;
    const out = backend.makeOutput([...x.shape], "float32");
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    if (tf.util.sizeFromShape(x.shape) > 0) rmsnorm(view(x), view(weight), view(out), eps);
    return out;
  }) as unknown as tf.KernelFunc;
}

function gradKernel(rmsnormGrad: RmsNormGrad): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const { dy, x, weight } = args.inputs as Record<"dy" | "x" | "weight", tf.TensorInfo>;
    const { eps } = args.attrs as { eps: number };
    checkShapes(RMS_NORM_GRAD_KERNEL, x, weight, dy);
    const backend = args.backend as HeapBackend;
    const dx = backend.makeOutput([...x.shape], "float32");
    const dWeight = backend.makeOutput([...weight.shape], "float32");
    const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    if (tf.util.sizeFromShape(x.shape) > 0)
      rmsnormGrad(view(dy), view(x), view(weight), view(dx), view(dWeight), eps);
    else view(dWeight).fill(0);
    return [dx, dWeight];
  }) as unknown as tf.KernelFunc;
}

/**
 * Registers {@linkcode RMS_NORM_KERNEL} and {@linkcode RMS_NORM_GRAD_KERNEL} on wasm over `@wpo/blas`'
 * native `rmsnorm` and `rmsnormGrad` (one threaded pass each on the wasm heap, instead of ~5 forward and
 * ~12 autodiff kernels), or unregisters them when the addon lacks them.
 * @param native the addon's functions by name, or undefined to unregister.
 * @returns the kernel names registered (both or none).
 */
export function patchWasmRMSNorm(native: NativeLookup | undefined, backendName = "wasm"): string[] {
  for (const name of [RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL])
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
  const rmsnorm = native?.("rmsnorm") as RmsNorm | undefined;
  const rmsnormGrad = native?.("rmsnormGrad") as RmsNormGrad | undefined;
  if (!rmsnorm || !rmsnormGrad) return [];
  tf.registerKernel({ kernelName: RMS_NORM_KERNEL, backendName, kernelFunc: forwardKernel(rmsnorm) });
  tf.registerKernel({
    kernelName: RMS_NORM_GRAD_KERNEL,
    backendName,
    kernelFunc: gradKernel(rmsnormGrad),
  });
  return [RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL];
}
