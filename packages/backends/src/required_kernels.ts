/**
 * Kernels that WPO training uses: the forward ops of the Llama model, log-probs and
 * losses, and the kernels their gradients call. A backend that lacks one of these
 * cannot train; {@linkcode initBackend} lists the missing ones in
 * `BackendInfo.missingKernels`.
 *
 * @example
 * ```ts
 * import { REQUIRED_KERNELS } from "@wpo/backends";
 * console.assert(REQUIRED_KERNELS.includes("BatchMatMul"));
 * ```
 */
export const REQUIRED_KERNELS: readonly string[] = Object.freeze([
  // linear algebra and shapes
  "BatchMatMul",
  "Reshape",
  "Transpose",
  "Concat",
  "Slice",
  "StridedSlice",
  "Pack",
  "Tile",
  "PadV2",
  "Cast",
  "Fill",
  "Range",
  "Identity",
  // embeddings and their gradient
  "GatherV2",
  "UnsortedSegmentSum",
  "OneHot",
  // elementwise
  "Add",
  "AddN",
  "Sub",
  "Multiply",
  "RealDiv",
  "Neg",
  "Exp",
  "Log",
  "Sqrt",
  "Rsqrt",
  "Square",
  "Pow",
  "Sigmoid",
  "Softplus",
  "Cos",
  "Sin",
  "Abs",
  "Sign",
  "Maximum",
  "Minimum",
  "Relu",
  "Step",
  "ClipByValue",
  "Select",
  "Equal",
  "NotEqual",
  "Greater",
  "GreaterEqual",
  "Less",
  "LessEqual",
  "LogicalAnd",
  "ZerosLike",
  "OnesLike",
  // reductions
  "Sum",
  "Max",
  "Min",
  "Mean",
  "Prod",
  "ArgMax",
  "Softmax",
  "Cumsum",
  "TopK",
]);
