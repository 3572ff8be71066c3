import * as tf from "@tensorflow/tfjs-core";
import { REQUIRED_KERNELS } from "./required_kernels.ts";

/**
 * Lists the kernels from {@linkcode REQUIRED_KERNELS} that a registered backend lacks.
 *
 * @param backendName A backend registered with tfjs-core, e.g. "wasm".
 * @returns the missing kernel names, in the order of `REQUIRED_KERNELS`.
 *
 * @example
 * ```ts
 * import { initBackend, missingKernels } from "@wpo/backends";
 * await initBackend("cpu");
 * console.assert(missingKernels("cpu").length === 0);
 * ```
 */
export function missingKernels(backendName: string): string[] {
  const have = new Set(tf.getKernelsForBackend(backendName).map((k) => k.kernelName));
  return REQUIRED_KERNELS.filter((k) => !have.has(k));
}
