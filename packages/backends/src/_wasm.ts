import * as tf from "@tensorflow/tfjs-core";
import { patchWasmKernels } from "./_wasm_kernels.ts";

/** Options of the wasm backend. */
export interface WasmOptions {
  /** Where the `.wasm` binaries are served from (browsers); defaults to the package's own files. */
  wasmPaths?: string;
  /** Threads (browsers with cross-origin isolation only; Node always runs one). */
  threads?: number;
}

/** Registers and activates the WebAssembly backend (SIMD), adding the kernels it lacks. */
export async function activateWasm(options: WasmOptions = {}): Promise<string[]> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
  if (options.threads !== undefined) wasm.setThreadsCount(options.threads);
  if (!(await tf.setBackend("wasm"))) {
    throw new Error(
      "The tfjs wasm backend failed to initialise. In a browser, pass `wasmPaths` pointing to the folder that serves " +
        "tfjs-backend-wasm's .wasm files.",
    );
  }
  return patchWasmKernels();
}

/** Threads the wasm backend runs with. */
export async function wasmThreads(): Promise<number> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  return wasm.getThreadsCount();
}
