import * as tf from "@tensorflow/tfjs-core";
import type { Blas } from "@wpo/blas";
import { makeNativeScatterNd } from "./_native_scatter.ts";
import { makeNativeTranspose, type NativePermute } from "./_native_transpose.ts";
import { type NativeLookup, patchWasmFusedKernels } from "./_wasm_fused_kernels.ts";
import { makeGatherWasm } from "./_wasm_gather.ts";
import { unsortedSegmentSumWasm } from "./_wasm_kernels.ts";
import { makeWasmMatMul } from "./_wasm_matmul.ts";
import { ADAMW_UPDATE_KERNEL } from "@wpo/kernels";
import { patchWasmAdamW } from "./_wasm_native_adamw.ts";
import { patchWasmBinary } from "./_wasm_native_binary.ts";
import { patchWasmSqrt } from "./_wasm_native_sqrt.ts";
import { makeSliceWasm } from "./_wasm_slice.ts";
import { tileWasm } from "./_wasm_tile.ts";

/** The backend name these kernels register under. */
export const NATIVE = "native";

/** The cpu kernels as they were when first copied (the fallbacks of the replacements). */
const cpuKernels = new Map<string, tf.KernelConfig>();

function put(name: string, kernelFunc: tf.KernelFunc): void {
  if (tf.getKernel(name, NATIVE)) tf.unregisterKernel(name, NATIVE);
  tf.registerKernel({ kernelName: name, backendName: NATIVE, kernelFunc });
}

function stock(name: string): tf.KernelFunc {
  const k = cpuKernels.get(name);
  if (!k)
    throw new Error(
      `native: tfjs cpu registers no ${name} kernel; is @tensorflow/tfjs-backend-cpu 4.22 loaded?`,
    );
  return k.kernelFunc;
}

/**
 * Registers every tfjs cpu kernel for the `native` backend (its tensors are the cpu backend's typed
 * arrays), then replaces the hot ones with `@wpo/blas` on those arrays in place: BatchMatMul through
 * OpenBLAS sgemm (every transpose form, batch broadcasting), the fused model, loss and optimizer kernels,
 * the element-wise binaries and Sqrt; and, in JavaScript, the shape kernels whose cpu versions compute
 * an index per element (Transpose, GatherV2, Slice, Tile, ScatterNd) or run kernels per segment
 * (UnsortedSegmentSum). Idempotent.
 * @returns the names of the kernels replaced.
 */
export function registerNativeKernels(blas: Blas): string[] {
  if (cpuKernels.size === 0) {
    for (const config of tf.getKernelsForBackend("cpu")) {
      cpuKernels.set(config.kernelName, config);
      if (!tf.getKernel(config.kernelName, NATIVE)) tf.registerKernel({ ...config, backendName: NATIVE });
    }
  }
  put(
    "BatchMatMul",
    makeWasmMatMul(stock("BatchMatMul"), (args) => blas.sgemm(args), NATIVE),
  );
  put(
    "Transpose",
    makeNativeTranspose(stock("Transpose"), blas.native("permute") as NativePermute | undefined),
  );
  put("GatherV2", makeGatherWasm(stock("GatherV2")));
  put("Slice", makeSliceWasm(stock("Slice")));
  put("Tile", tileWasm as unknown as tf.KernelFunc);
  put("UnsortedSegmentSum", unsortedSegmentSumWasm as unknown as tf.KernelFunc);
  put("ScatterNd", makeNativeScatterNd(stock("ScatterNd")));
  const replaced = [
    "BatchMatMul",
    "Transpose",
    "GatherV2",
    "Slice",
    "Tile",
    "UnsortedSegmentSum",
    "ScatterNd",
  ];
  if (patchWasmSqrt((x, out) => blas.sqrt(x, out), NATIVE)) replaced.push("Sqrt");
  const binary = blas.binary;
  replaced.push(...patchWasmBinary(binary ? (args) => binary(args) : undefined, NATIVE));
  const adamw = blas.adamw;
  if (patchWasmAdamW(adamw ? (args) => adamw(args) : undefined, NATIVE)) replaced.push(ADAMW_UPDATE_KERNEL);
  replaced.push(...patchWasmFusedKernels(blas.native as unknown as NativeLookup, NATIVE));
  return replaced;
}
