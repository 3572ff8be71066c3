import * as tf from "@tensorflow/tfjs-core";
import "./register_gradients.ts";
import { activateCpu } from "./_cpu.ts";
import { probeDawnAdapter } from "./_dawn_probe.ts";
import { activateNative, type NativeOptions, nativeAvailable } from "./_native.ts";
import { isNode } from "./_runtime.ts";
import { activateTensorflow, type TensorflowOptions, tensorflowAvailable } from "./_tensorflow.ts";
import { activateWasm, type WasmActivation, type WasmOptions, wasmThreads } from "./_wasm.ts";
import { activateWebGpu, releaseWebGpu, type WebGpuOptions, webGpuAdapter, webGpuLimits } from "./_webgpu.ts";
import type { BackendInfo, BackendName, ConcreteBackendName } from "./backend_info.ts";
import { missingKernels } from "./missing_kernels.ts";

/** Options of {@linkcode initBackend}. */
export interface InitBackendOptions extends WasmOptions, WebGpuOptions, TensorflowOptions, NativeOptions {
  /** With `auto`, accept a software WebGPU adapter (llvmpipe, SwiftShader) over wasm. Default false: they are slower. */
  allowSoftwareWebGpu?: boolean;
  /**
   * With `auto`: the bytes the run needs in the backend's memory at its peak (weights, gradients, optimizer
   * state, activations, reference model). Above {@linkcode WASM_AUTO_LIMIT_BYTES} wasm's 32-bit heap cannot hold
   * the run: auto picks `native` (its CPU choice in Node anyway), and where native is unavailable (a browser,
   * no addon, `nativeBlas: false`) it picks wasm and says in `notes` that the run will likely run out of memory.
   */
  requiredBytes?: number;
}

/**
 * The largest heap tfjs-backend-wasm 4.22 can grow to: 4 GiB less one 64 KiB page (its `getHeapMax()`). Every
 * wasm tensor lives in it; the `native` backend has no such limit.
 *
 * @example
 * ```ts
 * import { WASM_HEAP_MAX_BYTES } from "@wpo/backends";
 * console.assert(WASM_HEAP_MAX_BYTES === 2 ** 32 - 2 ** 16);
 * ```
 */
export const WASM_HEAP_MAX_BYTES = 4294901760;

/**
 * The `requiredBytes` above which `auto` does not pick wasm: 90% of {@linkcode WASM_HEAP_MAX_BYTES}, for the
 * wasm allocator's fragmentation (a run predicted just under the maximum still fails to grow the heap).
 *
 * @example
 * ```ts
 * import { initBackend, WASM_AUTO_LIMIT_BYTES } from "@wpo/backends";
 * const info = await initBackend("auto", { requiredBytes: WASM_AUTO_LIMIT_BYTES + 1 });
 * console.assert(info.name !== "wasm" || info.notes.some((n) => n.includes("out of memory")));
 * ```
 */
export const WASM_AUTO_LIMIT_BYTES = Math.floor(WASM_HEAP_MAX_BYTES * 0.9);

const NAMES: readonly BackendName[] = ["cpu", "wasm", "native", "webgpu", "tensorflow", "auto"];

async function activate(
  name: ConcreteBackendName,
  options: InitBackendOptions,
): Promise<Partial<WasmActivation> & { threads?: number }> {
  switch (name) {
    case "cpu":
      await activateCpu();
      return {};
    case "wasm":
      return activateWasm(options);
    case "native": {
      const native = await activateNative(options);
      return { ...native, matmul: "native-blas" };
    }
    case "webgpu":
      await activateWebGpu(options);
      return {};
    case "tensorflow":
      await activateTensorflow(options);
      return {};
  }
}

/**
 * The CPU backend for `auto`: `native` in Node when the `@wpo/blas` addon loads (wasm+native's speed without
 * its 4 GiB heap; `nativeBlas: false` opts out), else wasm.
 */
async function pickCpu(options: InitBackendOptions, notes: string[]): Promise<ConcreteBackendName> {
  const required = options.requiredBytes ?? 0;
  const over = required > WASM_AUTO_LIMIT_BYTES;
  const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (options.nativeBlas !== false && isNode() && (await nativeAvailable())) {
    notes.push(
      over
        ? `auto: the run needs ${gb(required)}, over wasm's ${gb(WASM_AUTO_LIMIT_BYTES)}: native`
        : "auto: native (Node, @wpo/blas): as fast as wasm with the same kernels, and no 4 GiB heap",
    );
    return "native";
  }
  if (!over) return "wasm";
  notes.push(
    `auto: the run needs ${gb(required)}, over wasm's ${gb(WASM_AUTO_LIMIT_BYTES)}, and the native backend is ` +
      "unavailable here (Node with @wpo/blas built): wasm will likely run out of memory",
  );
  return "wasm";
}

async function pickAuto(options: InitBackendOptions, notes: string[]): Promise<ConcreteBackendName> {
  if (isNode() && (await tensorflowAvailable())) {
    notes.push("auto: tfjs-node is installed (native TensorFlow kernels)");
    return "tensorflow";
  }
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (isNode() && !nav?.gpu && !options.dawnCandidates) {
    // Probe Dawn out of process: loading it here would keep its device and print its warnings.
    const adapter = await probeDawnAdapter();
    if (!adapter) {
      notes.push("auto: no WebGPU adapter from Dawn");
      return pickCpu(options, notes);
    }
    if (adapter.isSoftware && !options.allowSoftwareWebGpu) {
      notes.push(
        `auto: only a software WebGPU adapter ('${adapter.description || adapter.vendor}'); the CPU is faster`,
      );
      return pickCpu(options, notes);
    }
  }
  try {
    await activateWebGpu(options);
    const adapter = webGpuAdapter();
    if (adapter && (!adapter.isSoftware || options.allowSoftwareWebGpu)) {
      notes.push(`auto: WebGPU adapter '${adapter.description || adapter.vendor}'`);
      return "webgpu";
    }
    notes.push("auto: only a software WebGPU adapter exists; the CPU is faster");
    releaseWebGpu();
  } catch (error) {
    notes.push(`auto: no WebGPU (${(error as Error).message.split(".")[0]})`);
  }
  return pickCpu(options, notes);
}

/**
 * Selects and initialises a TensorFlow.js backend, loads the gradient
 * registrations, fills known kernel gaps, and reports what it got.
 *
 * - `cpu`: plain JavaScript, always available, slow; the exactness baseline.
 * - `wasm`: WebAssembly with SIMD; the browser's CPU backend (Node adds `@wpo/blas` kernels). One 32-bit heap:
 *   at most 4 GiB of tensors.
 * - `native`: Node only; tfjs cpu's typed-array storage (no 4 GiB limit) with the matmuls, fused kernels and
 *   element-wise ops on `@wpo/blas` (OpenBLAS). Needs the addon built.
 * - `webgpu`: the browser's `navigator.gpu`, or Dawn in Node (the `webgpu` package).
 * - `tensorflow`: native TensorFlow from `@tensorflow/tfjs-node(-gpu)`, if installed.
 * - `auto`: tensorflow if installed, else a hardware WebGPU adapter, else the CPU: `native` in Node when the
 *   addon loads (unless `nativeBlas: false`), else wasm. Give `options.requiredBytes` to be told when a run
 *   needs more than wasm's heap holds ({@linkcode WASM_AUTO_LIMIT_BYTES}) and native is unavailable.
 *
 * @param name Which backend to use. Default `auto`.
 * @param options Backend-specific options.
 * @returns What was initialised: name, adapter, limits, missing kernels.
 * @throws {RangeError} for an unknown name; {Error} naming the package to install when a backend cannot load.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * const info = await initBackend("cpu");
 * console.assert(info.name === "cpu" && info.missingKernels.length === 0);
 * ```
 */
export async function initBackend(
  name: BackendName = "auto",
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (!NAMES.includes(name)) {
    throw new RangeError(`Unknown backend '${String(name)}': choose one of ${NAMES.join(", ")}.`);
  }
  const notes: string[] = [];
  const concrete = name === "auto" ? await pickAuto(options, notes) : name;
  const activation = await activate(concrete, options);
  await tf.ready();
  const info: BackendInfo = {
    name: concrete,
    requested: name,
    limits: {},
    missingKernels: missingKernels(concrete),
    patchedKernels: activation.patched ?? [],
    notes: [...notes, ...(activation.notes ?? [])],
  };
  if (activation.matmul) info.matmul = activation.matmul;
  if (concrete === "webgpu") {
    const adapter = webGpuAdapter();
    if (adapter) info.adapter = adapter;
    info.limits = webGpuLimits();
  } else if (concrete === "wasm") {
    info.limits = { threads: await wasmThreads() };
  } else if (concrete === "cpu") {
    info.limits = { threads: 1 };
  } else if (concrete === "native") {
    info.limits = { threads: activation.threads ?? 1 };
  }
  return info;
}

/**
 * Releases what {@linkcode initBackend} acquired that would keep Node alive (the
 * Dawn WebGPU device). Call it before exiting a Node program that used `webgpu`.
 *
 * @example
 * ```ts
 * import { initBackend, shutdownBackend } from "@wpo/backends";
 * await initBackend("cpu");
 * shutdownBackend();
 * ```
 */
export function shutdownBackend(): void {
  releaseWebGpu();
}
