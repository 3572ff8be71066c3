import * as tf from "@tensorflow/tfjs-core";
import "./register_gradients.ts";
import { activateCpu } from "./_cpu.ts";
import { probeDawnAdapter } from "./_dawn_probe.ts";
import { isNode } from "./_runtime.ts";
import { activateTensorflow, type TensorflowOptions, tensorflowAvailable } from "./_tensorflow.ts";
import { activateWasm, type WasmActivation, type WasmOptions, wasmThreads } from "./_wasm.ts";
import { activateWebGpu, releaseWebGpu, type WebGpuOptions, webGpuAdapter, webGpuLimits } from "./_webgpu.ts";
import type { BackendInfo, BackendName, ConcreteBackendName } from "./backend_info.ts";
import { missingKernels } from "./missing_kernels.ts";

/** Options of {@linkcode initBackend}. */
export interface InitBackendOptions extends WasmOptions, WebGpuOptions, TensorflowOptions {
  /** With `auto`, accept a software WebGPU adapter (llvmpipe, SwiftShader) over wasm. Default false: they are slower. */
  allowSoftwareWebGpu?: boolean;
}

const NAMES: readonly BackendName[] = ["cpu", "wasm", "webgpu", "tensorflow", "auto"];

async function activate(
  name: ConcreteBackendName,
  options: InitBackendOptions,
): Promise<Partial<WasmActivation>> {
  switch (name) {
    case "cpu":
      await activateCpu();
      return {};
    case "wasm":
      return activateWasm(options);
    case "webgpu":
      await activateWebGpu(options);
      return {};
    case "tensorflow":
      await activateTensorflow(options);
      return {};
  }
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
      return "wasm";
    }
    if (adapter.isSoftware && !options.allowSoftwareWebGpu) {
      notes.push(
        `auto: only a software WebGPU adapter ('${adapter.description || adapter.vendor}'); wasm is faster`,
      );
      return "wasm";
    }
  }
  try {
    await activateWebGpu(options);
    const adapter = webGpuAdapter();
    if (adapter && (!adapter.isSoftware || options.allowSoftwareWebGpu)) {
      notes.push(`auto: WebGPU adapter '${adapter.description || adapter.vendor}'`);
      return "webgpu";
    }
    notes.push("auto: only a software WebGPU adapter exists; wasm is faster on the CPU");
    releaseWebGpu();
  } catch (error) {
    notes.push(`auto: no WebGPU (${(error as Error).message.split(".")[0]})`);
  }
  return "wasm";
}

/**
 * Selects and initialises a TensorFlow.js backend, loads the gradient
 * registrations, fills known kernel gaps, and reports what it got.
 *
 * - `cpu`: plain JavaScript, always available, slow; the exactness baseline.
 * - `wasm`: WebAssembly with SIMD; the fastest CPU backend without native code.
 * - `webgpu`: the browser's `navigator.gpu`, or Dawn in Node (the `webgpu` package).
 * - `tensorflow`: native TensorFlow from `@tensorflow/tfjs-node(-gpu)`, if installed.
 * - `auto`: tensorflow if installed, else a hardware WebGPU adapter, else wasm.
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
