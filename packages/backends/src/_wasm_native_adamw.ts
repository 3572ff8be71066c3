import * as tf from "@tensorflow/tfjs-core";
import { ADAMW_UPDATE_KERNEL, type AdamWUpdateAttrs } from "@wpo/kernels";
import type { AdamWArgs } from "@wpo/blas";
import type { HeapBackend } from "./_wasm_heap.ts";

/** The native fused update (`@wpo/blas`' `adamw`). */
export type NativeAdamW = (args: AdamWArgs) => void;

/**
 * Registers {@linkcode ADAMW_UPDATE_KERNEL} on the wasm backend, running `adamw` on the wasm heap in one
 * pass (bit-identical to the op-by-op update), or unregisters it when `adamw` is undefined so that
 * `AdamW` falls back to tensor ops.
 * @returns true when the kernel is registered.
 */
export function patchWasmAdamW(adamw: NativeAdamW | undefined, backendName = "wasm"): boolean {
  if (tf.getKernel(ADAMW_UPDATE_KERNEL, backendName)) tf.unregisterKernel(ADAMW_UPDATE_KERNEL, backendName);
  if (!adamw) return false;
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const { param, grad, m, v } = args.inputs as Record<"param" | "grad" | "m" | "v", tf.TensorInfo>;
    for (const [name, t] of Object.entries({ param, grad, m, v })) {
      if (t.dtype !== "float32")
        throw new TypeError(`${ADAMW_UPDATE_KERNEL}: '${name}' must be float32, got ${t.dtype}.`);
      if (!tf.util.arraysEqual(t.shape, param.shape))
        throw new TypeError(
          `${ADAMW_UPDATE_KERNEL}: '${name}' has shape [${t.shape}], the parameter [${param.shape}].`,
        );
    }
    const backend = args.backend as HeapBackend;
    const outs = [0, 1, 2].map(() => backend.makeOutput([...param.shape], "float32"));
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    adamw({
      param: view(param),
      grad: view(grad),
      m: view(m),
      v: view(v),
      outParam: view(outs[0]!),
      outM: view(outs[1]!),
      outV: view(outs[2]!),
      ...(args.attrs as AdamWUpdateAttrs),
    });
    return outs;
  }) as unknown as tf.KernelFunc;
  tf.registerKernel({ kernelName: ADAMW_UPDATE_KERNEL, backendName, kernelFunc });
  return true;
}
