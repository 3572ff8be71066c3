import * as tf from "@tensorflow/tfjs-core";
import { loadBlasModule } from "#node-only";
import { isNode } from "./_runtime.ts";
import { type NativeLookup, patchWasmFusedKernels } from "./_wasm_fused_kernels.ts";
import { ADAMW_UPDATE_KERNEL } from "@wpo/kernels";
import { type NativeAdamW, patchWasmAdamW } from "./_wasm_native_adamw.ts";
import { type NativeBinary, patchWasmBinary } from "./_wasm_native_binary.ts";
import { type NativeSqrt, patchWasmSqrt } from "./_wasm_native_sqrt.ts";
import { type BatchedSgemm, makeWasmMatMul } from "./_wasm_matmul.ts";

/** Which implementation runs the wasm backend's `BatchMatMul`. */
export type WasmMatMulPath = "native-blas" | "explicit-transpose";

let stockConfig: tf.KernelConfig | undefined;

interface BlasModule {
  loadBlas():
    | {
        sgemm: BatchedSgemm;
        sqrt?: NativeSqrt;
        binary?: NativeBinary;
        adamw?: NativeAdamW;
        native?: NativeLookup;
        threads(): number;
        setThreads(n: number): void;
        config: string;
      }
    | undefined;
  blasUnavailableReason(): string | undefined;
}

interface NativeKernels {
  sgemm?: BatchedSgemm;
  sqrt?: NativeSqrt;
  binary?: NativeBinary;
  adamw?: NativeAdamW;
  native?: NativeLookup;
  note: string;
}

/** Loads @wpo/blas in Node; explains why not otherwise. */
async function nativeSgemm(threads: number | undefined): Promise<NativeKernels> {
  if (!isNode()) return { note: "matmul: native BLAS is Node-only; using explicit transposes + wasm matmul" };
  let mod: BlasModule;
  try {
    mod = (await loadBlasModule()) as unknown as BlasModule;
  } catch (error) {
    return {
      note: `matmul: @wpo/blas not loadable (${(error as Error).message.split("\n")[0]}); using wasm matmul`,
    };
  }
  const blas = mod.loadBlas();
  if (!blas)
    return { note: `matmul: native BLAS unavailable (${mod.blasUnavailableReason()}); using wasm matmul` };
  if (threads !== undefined) blas.setThreads(threads);
  const sqrt = blas.sqrt;
  const binary = blas.binary;
  const adamw = blas.adamw;
  const lookup = blas.native;
  return {
    ...(lookup ? { native: lookup } : {}),
    ...(adamw ? { adamw: (args: Parameters<NativeAdamW>[0]) => adamw(args) } : {}),
    ...(binary ? { binary: (args: Parameters<NativeBinary>[0]) => binary(args) } : {}),
    sgemm: (args) => blas.sgemm(args),
    ...(sqrt ? { sqrt: (x: Float32Array, out: Float32Array) => sqrt(x, out) } : {}),
    note: `matmul: native OpenBLAS on the wasm heap, ${blas.threads()} thread(s) (${blas.config})`,
  };
}

/**
 * Replaces wasm's `BatchMatMul` with {@linkcode makeWasmMatMul}'s kernel: native
 * OpenBLAS when `nativeBlas` is not false and the addon loads, else explicit
 * transposes around the stock kernel. Re-running re-wraps the stock kernel.
 * @returns the active path and a note for `BackendInfo.notes`.
 */
export async function patchWasmMatMul(options: { nativeBlas?: boolean; blasThreads?: number }): Promise<{
  path: WasmMatMulPath;
  note: string;
  /** Other kernels that run natively too (Sqrt, Add, Sub, Multiply, RealDiv, the fused AdamW update). */
  nativeKernels: string[];
}> {
  stockConfig ??= tf.getKernel("BatchMatMul", "wasm");
  if (!stockConfig)
    throw new Error(
      "The wasm backend registered no BatchMatMul kernel; is @tensorflow/tfjs-backend-wasm 4.22 installed?",
    );
  const native: NativeKernels =
    options.nativeBlas === false
      ? { note: "matmul: native BLAS disabled by option; using explicit transposes + wasm matmul" }
      : await nativeSgemm(options.blasThreads);
  const nativeKernels = [
    ...(patchWasmSqrt(native.sgemm ? native.sqrt : undefined) ? ["Sqrt"] : []),
    ...patchWasmBinary(native.sgemm ? native.binary : undefined),
    ...(patchWasmAdamW(native.sgemm ? native.adamw : undefined) ? [ADAMW_UPDATE_KERNEL] : []),
    ...patchWasmFusedKernels(native.sgemm ? native.native : undefined),
  ];
  if (tf.getKernel("BatchMatMul", "wasm")) tf.unregisterKernel("BatchMatMul", "wasm");
  const config: tf.KernelConfig = {
    kernelName: "BatchMatMul",
    backendName: "wasm",
    kernelFunc: makeWasmMatMul(stockConfig.kernelFunc, native.sgemm),
  };
  if (stockConfig.setupFunc) config.setupFunc = stockConfig.setupFunc;
  tf.registerKernel(config);
  return { path: native.sgemm ? "native-blas" : "explicit-transpose", note: native.note, nativeKernels };
}
