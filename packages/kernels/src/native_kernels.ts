/**
 * The native functions of `@wpo/blas`' addon behind the fused kernels, by name, with their signatures: each works
 * in place on Float32Array views (rows of the last axis), as `@wpo/backends` calls them on the wasm heap.
 */
export interface NativeKernels {
  /** `RMS_NORM_KERNEL`'s forward: `out = weight * (x * rsqrt(mean(x², -1) + eps))`. */
  rmsnorm(x: Float32Array, weight: Float32Array, out: Float32Array, eps: number): void;
  /** `RMS_NORM_GRAD_KERNEL`: `dx` and `dWeight` from `dy`. */
  rmsnormGrad(
    dy: Float32Array,
    x: Float32Array,
    weight: Float32Array,
    dx: Float32Array,
    dWeight: Float32Array,
    eps: number,
  ): void;
  /** `SWIGLU_KERNEL`: `out = gate * sigmoid(gate) * up`. */
  swiglu(gate: Float32Array, up: Float32Array, out: Float32Array): void;
  /** `SWIGLU_GRAD_KERNEL`: `dGate` and `dUp` from `dy`. */
  swigluGrad(
    dy: Float32Array,
    gate: Float32Array,
    up: Float32Array,
    dGate: Float32Array,
    dUp: Float32Array,
  ): void;
  /** `ROPE_KERNEL`: rows of `d`, `rowsPerItem` rows per item, tables of `tableRows` × `tableItems`. */
  rope(
    x: Float32Array,
    cos: Float32Array,
    sin: Float32Array,
    y: Float32Array,
    d: number,
    rowsPerItem: number,
    tableRows: number,
    tableItems: number,
    inverse: boolean,
  ): void;
  /** `LOGIT_ROW_STATS_KERNEL`: the softmax and four statistics of each row. */
  rowStats(
    logits: Float32Array,
    probs: Float32Array,
    lse: Float32Array,
    logitSum: Float32Array,
    logMaxP: Float32Array,
    logSumP2: Float32Array,
  ): void;
  /** `SOFTMAX_GRAD_KERNEL`: rows of `cols`. */
  softmaxGrad(y: Float32Array, dy: Float32Array, dx: Float32Array, cols: number): void;
  /** The `native` backend's Transpose: `x` of shape `shape` permuted by `perm` into `out`. */
  permute(
    x: Float32Array | Int32Array,
    out: Float32Array | Int32Array,
    shape: Int32Array,
    perm: Int32Array,
  ): void;
  /** `MASKED_SOFTMAX_KERNEL`: rows of `cols`, the bias repeating per item. */
  maskedSoftmax(
    x: Float32Array,
    bias: Float32Array,
    y: Float32Array,
    cols: number,
    scale: number,
    rowsPerItem: number,
    biasRowsPerItem: number,
    biasItems: number,
  ): void;
}

/** The name of a native kernel function. */
export type NativeKernelName = keyof NativeKernels;

/** Looks a native kernel function up by name: undefined when this build of the addon lacks it. */
export type NativeLookup = <K extends NativeKernelName>(name: K) => NativeKernels[K] | undefined;
