/**
 * Backends for WPO training on TensorFlow.js: one call, `await initBackend(name)`,
 * selects and initialises cpu, wasm, native (Node: typed arrays with the `@wpo/blas`
 * kernels, no 4 GiB heap), WebGPU (browser or Node through Dawn) or native TensorFlow, loads the gradient registrations (the only place in the project that
 * does), fills kernel gaps, and reports the adapter and its limits.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * const info = await initBackend("wasm");
 * console.log(info.name, info.limits, info.missingKernels);
 * ```
 *
 * @module
 */
export type {
  AdapterDescription,
  BackendInfo,
  BackendLimits,
  BackendName,
  ConcreteBackendName,
} from "./backend_info.ts";
export {
  type InitBackendOptions,
  initBackend,
  shutdownBackend,
  WASM_AUTO_LIMIT_BYTES,
  WASM_HEAP_MAX_BYTES,
} from "./init_backend.ts";
export { missingKernels } from "./missing_kernels.ts";
export { REQUIRED_KERNELS } from "./required_kernels.ts";
export { GRADIENTS_REGISTERED } from "./register_gradients.ts";
export { type ConformanceResult, runConformance } from "./conformance.ts";
export { selectedLogProbs } from "./selected_log_probs.ts";
