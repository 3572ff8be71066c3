import * as tf from "@tensorflow/tfjs-core";
import { patchWasmKernels } from "./_wasm_kernels.ts";
import { patchWasmMatMul, type WasmMatMulPath } from "./_wasm_kernels_matmul.ts";

/** Options of the wasm backend. */
export interface WasmOptions {
  /** Where the `.wasm` binaries are served from (browsers); defaults to the package's own files. */
  wasmPaths?: string;
  /** Threads (browsers with cross-origin isolation only; Node always runs one). */
  threads?: number;
  /**
   * Run wasm's matmuls on the native OpenBLAS addon (`@wpo/blas`, Node only) when it
   * loads. Default true; false keeps them in WebAssembly (explicit transposes).
   */
  nativeBlas?: boolean;
  /** OpenBLAS threads for the native matmul. Default: OpenBLAS's own (the core count). */
  blasThreads?: number;
}

/** What {@linkcode activateWasm} set up. */
export interface WasmActivation {
  /** Kernels added or replaced. */
  patched: string[];
  /** Which path runs BatchMatMul. */
  matmul: WasmMatMulPath;
  /** Human-readable notes (the matmul path and why). */
  notes: string[];
}

/** Registers and activates the WebAssembly backend (SIMD), adding the kernels it lacks. */
export async function activateWasm(options: WasmOptions = {}): Promise<WasmActivation> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
  if (options.threads !== undefined) wasm.setThreadsCount(options.threads);
  if (!(await tf.setBackend("wasm"))) {
    throw new Error(
      "The tfjs wasm backend failed to initialise. In a browser, pass `wasmPaths` pointing to the folder that serves " +
        "tfjs-backend-wasm's .wasm files.",
    );
  }
  const patched = patchWasmKernels();
  const matmul = await patchWasmMatMul(options);
  const notes = [matmul.note];
  if (matmul.nativeKernels.length > 0)
    notes.push(`element-wise: ${matmul.nativeKernels.join(", ")} native (@wpo/blas) on the wasm heap`);
  return {
    patched: [...patched, "BatchMatMul", ...matmul.nativeKernels],
    matmul: matmul.path,
    notes,
  };
}

/** Threads the wasm backend runs with. */
export async function wasmThreads(): Promise<number> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  return wasm.getThreadsCount();
}
