/**
 * The browser entry of @wpo/blas: the native addon is Node-only, so `loadBlas()` returns undefined and
 * `blasUnavailableReason()` says why; callers (the wasm backend) keep their own kernels. Same types as Node.
 *
 * @example
 * ```ts
 * import { blasUnavailableReason, loadBlas } from "@wpo/blas";
 * console.log(loadBlas() ? "native BLAS" : blasUnavailableReason());
 * ```
 *
 * @module
 */
import type { Blas } from "./load_blas.ts";

export type { AdamWArgs, BinaryArgs, BinaryMode, BinaryOp, Blas, SgemmArgs } from "./load_blas.ts";

/** Native BLAS does not exist outside Node: always undefined. */
export function loadBlas(): Blas | undefined {
  return undefined;
}

/** Why {@linkcode loadBlas} returned undefined. */
export function blasUnavailableReason(): string | undefined {
  return "@wpo/blas is a Node-API addon: native BLAS is unavailable in the browser";
}
