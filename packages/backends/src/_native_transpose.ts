import type * as tf from "@tensorflow/tfjs-core";
import type { HeapBackend } from "./_wasm_heap.ts";
import type { NativeKernels } from "@wpo/kernels";

type Values = Float32Array | Int32Array | Uint8Array;

/** `@wpo/blas`' native `permute` (4-byte elements), when the addon has it. */
export type NativePermute = NativeKernels["permute"];

/**
 * Writes `x` (shape `shape`) permuted by `perm` into `out`, walking the output in order with an odometer
 * over the source strides (no allocation per element, unlike tfjs cpu's `transposeImpl`). When the last
 * axis stays last, whole rows are copied at once.
 */
export function permute(x: Values, out: Values, shape: readonly number[], perm: readonly number[]): void {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  const outShape = perm.map((p) => shape[p]!);
  const srcStride = perm.map((p) => strides[p]!);
  const n = out.length;
  if (n === 0) return;
  const keepsLast = perm[rank - 1] === rank - 1;
  const run = keepsLast ? outShape[rank - 1]! : 1;
  const outer = keepsLast ? rank - 1 : rank;
  const idx = new Array<number>(outer).fill(0);
  let src = 0;
  if (keepsLast) {
    for (let o = 0; o < n; o += run) {
      if (run >= 16) out.set(x.subarray(src, src + run), o);
      else for (let j = 0; j < run; j++) out[o + j] = x[src + j]!;
      for (let d = outer - 1; d >= 0; d--) {
        src += srcStride[d]!;
        if (++idx[d]! < outShape[d]!) break;
        src -= srcStride[d]! * outShape[d]!;
        idx[d] = 0;
      }
    }
    return;
  }
  // The innermost output axis walks the source with a stride: run it as a tight loop.
  const inner = outShape[rank - 1]!;
  const innerStride = srcStride[rank - 1]!;
  for (let o = 0; o < n; o += inner) {
    for (let j = 0, s = src; j < inner; j++, s += innerStride) out[o + j] = x[s]!;
    for (let d = rank - 2; d >= 0; d--) {
      src += srcStride[d]!;
      if (++idx[d]! < outShape[d]!) break;
      src -= srcStride[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * `Transpose` for the `native` backend: the identity permutation shares the buffer (as on wasm: tfjs's
 * gather gradient transposes the whole embedding gradient by the identity), anything else is one pass of
 * `native` (`@wpo/blas`' threaded C permute, float32 and int32) or of {@linkcode permute} (bool, or an addon
 * without it). Strings and complex tensors go to `stock`.
 */
export function makeNativeTranspose(stock: tf.KernelFunc, native?: NativePermute): tf.KernelFunc {
  return ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const perm = (args.attrs as { perm: number[] }).perm;
    if (x.dtype === "string" || x.dtype === "complex64") return stock(args as never);
    const backend = args.backend as HeapBackend & { incRef(dataId: object): void };
    if (perm.every((p, i) => p === i)) {
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    }
    const out = backend.makeOutput(
      perm.map((p) => x.shape[p]!),
      x.dtype,
    );
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    if (native && !(src instanceof Uint8Array) && !(dst instanceof Uint8Array) && perm.length <= 8)
      native(src, dst, Int32Array.from(x.shape), Int32Array.from(perm));
    else permute(src, dst, x.shape, perm);
    return out;
  }) as unknown as tf.KernelFunc;
}
