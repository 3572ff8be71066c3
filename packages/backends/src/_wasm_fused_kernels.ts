import { patchWasmRMSNorm } from "./_wasm_native_rmsnorm.ts";
import { patchWasmRope } from "./_wasm_native_rope.ts";
import { patchWasmRowStats } from "./_wasm_native_rowstats.ts";
import { patchWasmSwiGLU } from "./_wasm_native_swiglu.ts";
import { patchWasmSoftmax } from "./_wasm_native_softmax.ts";

/** A native kernel function of the addon by name (`Blas.native`), or undefined when the build lacks it. */
export type { NativeLookup } from "@wpo/kernels";
import type { NativeLookup } from "@wpo/kernels";

/**
 * Registers the fused model kernels (SwiGLU, RMSNorm, ... of `@wpo/blas`' `native/*.c`) on the wasm
 * backend when the addon provides them, or unregisters them when `native` is undefined (the model
 * then runs its tensor-op path). `backendName`: where to register them (default wasm; the `native`
 * backend passes its own: its tensors are typed arrays behind the same `HeapBackend` view).
 * @returns the names of the kernels registered.
 */
export function patchWasmFusedKernels(native: NativeLookup | undefined, backendName = "wasm"): string[] {
  const patchers: ((native: NativeLookup | undefined, backendName: string) => string[])[] = [
    patchWasmRowStats,
    patchWasmSoftmax,
    patchWasmRope,
    patchWasmRMSNorm,
    patchWasmSwiGLU,
  ];
  return patchers.flatMap((patch) => patch(native, backendName));
}
