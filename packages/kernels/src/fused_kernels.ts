/**
 * Fused RMSNorm: inputs `x` [..., E] and `weight` [E] (float32), attr `eps` ({@linkcode RmsNormAttrs}); output
 * `weight * (x * rsqrt(mean(x², -1) + eps))`. Run by `@wpo/llama`; native `rmsnorm`.
 */
export const RMS_NORM_KERNEL = "WpoRMSNorm";
/** Backward of {@linkcode RMS_NORM_KERNEL}: inputs `dy`, `x`, `weight`, attr `eps`; outputs `[dx, dWeight]`. Native `rmsnormGrad`. */
export const RMS_NORM_GRAD_KERNEL = "WpoRMSNormGrad";
/**
 * Fused SwiGLU: inputs `gate`, `up` (float32, one shape); output `gate * sigmoid(gate) * up`. Run by
 * `@wpo/llama`; native `swiglu`.
 */
export const SWIGLU_KERNEL = "WpoSwiGLU";
/** Backward of {@linkcode SWIGLU_KERNEL}: inputs `dy`, `gate`, `up`; outputs `[dGate, dUp]`. Native `swigluGrad`. */
export const SWIGLU_GRAD_KERNEL = "WpoSwiGLUGrad";
/**
 * Fused rotary embedding: inputs `x` [B, H, T, d], `cos`, `sin` [B|1, 1, T, d]; attr `inverse`
 * ({@linkcode RopeAttrs}): false gives `x·cos + rotate_half(x)·sin`, true its transpose (the gradient). Run by
 * `@wpo/llama`; native `rope`.
 */
export const ROPE_KERNEL = "WpoRope";
/**
 * Fused attention probabilities `softmax(x·scale + bias)` over the last axis: inputs `x` [B, H, R, L], `bias`
 * [B|1, 1, Q, L] with R a multiple of Q; attr `scale` ({@linkcode MaskedSoftmaxAttrs}). Run by `@wpo/llama`;
 * native `maskedSoftmax`.
 */
export const MASKED_SOFTMAX_KERNEL = "WpoMaskedSoftmax";
/**
 * Fused softmax gradient: inputs `y` (the softmax output) and `dy`, one shape, float32; output
 * `dy·y − (Σ_last-axis dy·y)·y`. Used by `@wpo/backends`' Softmax gradient and `@wpo/llama`; native `softmaxGrad`.
 */
export const SOFTMAX_GRAD_KERNEL = "WpoSoftmaxGrad";
/**
 * Fused log-prob row statistics of a [C, V] float32 logits slice, in one pass: outputs `[probs [C, V] (softmax),
 * lse [C] (log Σ exp), logitSum [C] (Σ logits), logMaxP [C] (log max softmax), logSumP2 [C] (log Σ softmax²)]`.
 * Run by `@wpo/losses`; native `rowStats`.
 */
export const LOGIT_ROW_STATS_KERNEL = "WpoLogitRowStats";
/**
 * Fused AdamW update of one parameter: inputs `param`, `grad`, `m`, `v` (float32, one shape); attrs
 * {@linkcode AdamWUpdateAttrs}; outputs `[param', m', v']` with every float32 operation rounded as in the op-by-op
 * update `m' = m*b1 + g*(1-b1)`, `v' = v*b2 + (g*(1-b2))*g`,
 * `p' = p*decay + (m'*(-stepSize)) / (sqrt(v')/bc2Sqrt + eps)`. Run by `@wpo/optim`; native `adamw` of `@wpo/blas`.
 */
export const ADAMW_UPDATE_KERNEL = "WpoAdamWUpdate";

/**
 * Every fused kernel name. `@wpo/backends` registers them (on wasm, over the native `@wpo/blas` addon); each
 * caller runs its tensor-op path where the active backend lacks them.
 *
 * @example
 * ```ts
 * import { FUSED_KERNELS, RMS_NORM_KERNEL } from "@wpo/kernels";
 * console.assert(FUSED_KERNELS.length === 9 && FUSED_KERNELS.includes(RMS_NORM_KERNEL));
 * ```
 */
export const FUSED_KERNELS = [
  RMS_NORM_KERNEL,
  RMS_NORM_GRAD_KERNEL,
  SWIGLU_KERNEL,
  SWIGLU_GRAD_KERNEL,
  ROPE_KERNEL,
  MASKED_SOFTMAX_KERNEL,
  SOFTMAX_GRAD_KERNEL,
  LOGIT_ROW_STATS_KERNEL,
  ADAMW_UPDATE_KERNEL,
] as const;

/** A fused kernel name. */
export type FusedKernelName = (typeof FUSED_KERNELS)[number];

/** Attributes of {@linkcode RMS_NORM_KERNEL} and {@linkcode RMS_NORM_GRAD_KERNEL}. */
export interface RmsNormAttrs {
  /** Added to the mean square before the reciprocal square root. */
  eps: number;
}

/** Attributes of {@linkcode ROPE_KERNEL}. */
export interface RopeAttrs {
  /** True: the transposed rotation (the gradient). */
  inverse?: boolean;
}

/** Attributes of {@linkcode MASKED_SOFTMAX_KERNEL}. */
export interface MaskedSoftmaxAttrs {
  /** Multiplies the scores before the bias is added. */
  scale: number;
}

/** Attributes of {@linkcode ADAMW_UPDATE_KERNEL}: the scalars of one parameter's update. */
export interface AdamWUpdateAttrs {
  /** `1 - lr * weightDecay`. */
  decay: number;
  beta1: number;
  beta2: number;
  /** `sqrt(1 - beta2^t)`. */
  bc2Sqrt: number;
  eps: number;
  /** `lr / (1 - beta1^t)`. */
  stepSize: number;
}
