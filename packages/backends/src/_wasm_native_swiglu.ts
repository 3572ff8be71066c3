import * as tf from "@tensorflow/tfjs-core";
import { SWIGLU_GRAD_KERNEL, SWIGLU_KERNEL, type NativeKernels } from "@wpo/kernels";
import type { NativeLookup } from "./_wasm_fused_kernels.ts";
import type { HeapBackend } from "./_wasm_heap.ts";

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
}

type SwiGLU = NativeKernels["swiglu"];
type SwiGLUGrad = NativeKernels["swigluGrad"];

/** Throws unless every tensor is float32 and all have the same shape. */
function checkInputs(kernel: string, named: Record<string, tf.TensorInfo>): void {
  const all = Object.values(named);
  const shape = all[0]!.shape;
  if (all.every((t) => t.dtype === "float32" && tf.util.arraysEqual(t.shape, shape))) return;
  const got = Object.entries(named).map(([n, t]) => `${n} ${t.dtype} [${t.shape}]`);
  throw new TypeError(
    `${kernel}: expected float32 ${Object.keys(named).join(", ")} of one shape, got ${got.join(", ")}.`,
  );
}

function forwardKernel(swiglu: SwiGLU): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const { gate, up } = args.inputs as Record<"gate" | "up", tf.TensorInfo>;
    checkInputs(SWIGLU_KERNEL, { gate, up });
    const backend = args.backend as HeapBackend;
    const out = backend.makeOutput([...gate.shape], "float32");
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    if (tf.util.sizeFromShape(gate.shape) > 0) swiglu(view(gate), view(up), view(out));
    return out;
  }) as unknown as tf.KernelFunc;
}

function gradKernel(swigluGrad: SwiGLUGrad): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const { dy, gate, up } = args.inputs as Record<"dy" | "gate" | "up", tf.TensorInfo>;
    checkInputs(SWIGLU_GRAD_KERNEL, { dy, gate, up });
    const backend = args.backend as HeapBackend;
    const dGate = backend.makeOutput([...gate.shape], "float32");
    const dUp = backend.makeOutput([...gate.shape], "float32");
    const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    if (tf.util.sizeFromShape(gate.shape) > 0)
      swigluGrad(view(dy), view(gate), view(up), view(dGate), view(dUp));
    return [dGate, dUp];
  }) as unknown as tf.KernelFunc;
}

/**
 * Registers {@linkcode SWIGLU_KERNEL} and {@linkcode SWIGLU_GRAD_KERNEL} on wasm over `@wpo/blas`' native
 * `swiglu` and `swigluGrad` (one threaded pass each on the wasm heap, instead of 3 forward and ~8 autodiff
 * kernels), or unregisters them when `native` is undefined or lacks them.
 * @param native the addon's functions by name, or undefined to unregister.
 * @returns the kernel names registered (both or none).
 */
export function patchWasmSwiGLU(native: NativeLookup | undefined, backendName = "wasm"): string[] {
  for (const name of [SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL])
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
  const swiglu = native?.("swiglu") as SwiGLU | undefined;
  const swigluGrad = native?.("swigluGrad") as SwiGLUGrad | undefined;
  if (!swiglu || !swigluGrad) return [];
  tf.registerKernel({ kernelName: SWIGLU_KERNEL, backendName, kernelFunc: forwardKernel(swiglu) });
  tf.registerKernel({
    kernelName: SWIGLU_GRAD_KERNEL,
    backendName,
    kernelFunc: gradKernel(swigluGrad),
  });
  return [SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL];
}
