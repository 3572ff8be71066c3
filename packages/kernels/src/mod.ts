/**
 * The fused-kernel contract of wpo, in one place: the names of the `Wpo*` kernels, their attributes and the
 * signatures of the native functions behind them. `@wpo/backends` registers the kernels (on wasm, over the native
 * `@wpo/blas` addon), `@wpo/llama`, `@wpo/losses` and `@wpo/optim` run them where the active backend has them.
 * No tensors, no dependencies.
 *
 * @example
 * ```ts
 * import { ADAMW_UPDATE_KERNEL, FUSED_KERNELS } from "@wpo/kernels";
 * console.assert(ADAMW_UPDATE_KERNEL === "WpoAdamWUpdate" && FUSED_KERNELS.every((k) => k.startsWith("Wpo")));
 * ```
 *
 * @module
 */
export {
  ADAMW_UPDATE_KERNEL,
  type AdamWUpdateAttrs,
  FUSED_KERNELS,
  type FusedKernelName,
  LOGIT_ROW_STATS_KERNEL,
  MASKED_SOFTMAX_KERNEL,
  type MaskedSoftmaxAttrs,
  RMS_NORM_GRAD_KERNEL,
  RMS_NORM_KERNEL,
  type RmsNormAttrs,
  ROPE_KERNEL,
  type RopeAttrs,
  SOFTMAX_GRAD_KERNEL,
  SWIGLU_GRAD_KERNEL,
  SWIGLU_KERNEL,
} from "./fused_kernels.ts";
export type { NativeKernelName, NativeKernels, NativeLookup } from "./native_kernels.ts";
