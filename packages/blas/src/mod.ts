/**
 * Optional native BLAS for WPO on Node: OpenBLAS's `cblas_sgemm` through a small
 * Node-API addon, on Float32Array views (so the wasm backend's tensors are multiplied
 * in place, without copies). Built at install time when a C compiler and OpenBLAS are
 * present; otherwise `loadBlas()` returns undefined and callers fall back.
 *
 * @example
 * ```ts
 * import { loadBlas } from "@wpo/blas";
 * const blas = loadBlas();
 * console.log(blas ? blas.config : "no native BLAS");
 * ```
 *
 * @module
 */
export {
  type AdamWArgs,
  type BinaryArgs,
  type BinaryMode,
  type BinaryOp,
  type Blas,
  blasUnavailableReason,
  loadBlas,
  type SgemmArgs,
} from "./load_blas.ts";
