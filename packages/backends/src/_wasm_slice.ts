import * as tf from "@tensorflow/tfjs-core";
import type { HeapBackend } from "./_wasm_heap.ts";

/**
 * `Slice` for wasm on heap views. The stock kernel first copies the WHOLE input out of the wasm heap
 * (`readSync`), so a [1024, 1] column of a [1024, 384] tensor cost 1 ms; this one copies only the
 * slice: one block when it is contiguous, else one run of the innermost axis at a time. Strings go to
 * the stock kernel.
 */
export function makeSliceWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return stock(args as never);
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
    const backend = args.backend as HeapBackend;
    const out = backend.makeOutput(s, x.dtype);
    const n = tf.util.sizeFromShape(s);
    if (n === 0) return out;
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const strides = tf.util.computeStrides(x.shape);
    if (tf.slice_util.isSliceContinous(x.shape, b, s)) {
      const offset = tf.slice_util.computeFlatOffset(b, strides);
      dst.set(src.subarray(offset, offset + n));
      return out;
    }
    const rank = s.length;
    const run = s[rank - 1]!;
    const idx = new Array<number>(rank - 1).fill(0);
    for (let o = 0; o < n; o += run) {
      let offset = b[rank - 1]!;
      for (let d = 0; d < rank - 1; d++) offset += (b[d]! + idx[d]!) * strides[d]!;
      if (run >= 32) dst.set(src.subarray(offset, offset + run), o);
      else for (let j = 0; j < run; j++) dst[o + j] = src[offset + j]!;
      for (let d = rank - 2; d >= 0; d--) {
        if (++idx[d]! < s[d]!) break;
        idx[d] = 0;
      }
    }
    return out;
  }) as unknown as tf.KernelFunc;
}
