import * as tf from "@tensorflow/tfjs-core";
import { LOGIT_ROW_STATS_KERNEL, type NativeKernels } from "@wpo/kernels";
import type { NativeLookup } from "./_wasm_fused_kernels.ts";
import type { HeapBackend } from "./_wasm_heap.ts";

type RowStats = NativeKernels["rowStats"];

/**
 * Registers {@linkcode LOGIT_ROW_STATS_KERNEL} on wasm over `@wpo/blas`' native `rowStats` (one vectorised,
 * threaded pass per statistic instead of ~8 tfjs kernels over [C, V]), or unregisters it when the addon
 * lacks it.
 * @returns the kernel names registered.
 */
export function patchWasmRowStats(native: NativeLookup | undefined, backendName = "wasm"): string[] {
  if (tf.getKernel(LOGIT_ROW_STATS_KERNEL, backendName))
    tf.unregisterKernel(LOGIT_ROW_STATS_KERNEL, backendName);
  const rowStats = native?.("rowStats") as RowStats | undefined;
  if (!rowStats) return [];
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const { logits } = args.inputs as { logits: tf.TensorInfo };
    if (
      logits.dtype !== "float32" ||
      logits.shape.length !== 2 ||
      logits.shape[0] === 0 ||
      logits.shape[1] === 0
    )
      throw new TypeError(
        `${LOGIT_ROW_STATS_KERNEL}: expected non-empty float32 logits [C, V], got ${logits.dtype} [${logits.shape}].`,
      );
    const backend = args.backend as HeapBackend;
    const rows = logits.shape[0]!;
    const outs = [backend.makeOutput([...logits.shape], "float32")];
    for (let i = 0; i < 4; i++) outs.push(backend.makeOutput([rows], "float32"));
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const [p, lse, sum, maxP, p2] = outs.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
    rowStats(backend.typedArrayFromHeap(logits) as Float32Array, p!, lse!, sum!, maxP!, p2!);
    return outs;
  }) as unknown as tf.KernelFunc;
  tf.registerKernel({ kernelName: LOGIT_ROW_STATS_KERNEL, backendName, kernelFunc });
  return [LOGIT_ROW_STATS_KERNEL];
}
