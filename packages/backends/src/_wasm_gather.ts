import type * as tf from "@tensorflow/tfjs-core";
import type { HeapBackend } from "./_wasm_heap.ts";

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/**
 * Builds `GatherV2` for wasm that copies whole slices on the heap (one `set` per
 * index) whenever the gathered axis has contiguous slices behind it; the stock kernel
 * computes a coordinate per element, which made the embedding lookup (1024 rows of
 * 384) take ~18 ms. Anything else (batchDims, string/bool tensors, an index out of
 * range, so that tfjs's own error is raised) goes to the stock kernel.
 */
export function makeGatherWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs): tf.TensorInfo => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const attrs = args.attrs as { axis: number; batchDims?: number };
    const rank = x.shape.length;
    const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
    const simple =
      (attrs.batchDims ?? 0) === 0 &&
      (x.dtype === "float32" || x.dtype === "int32") &&
      indices.dtype === "int32" &&
      axis >= 0 &&
      axis < rank;
    if (!simple) return stock(args as never) as tf.TensorInfo;
    const backend = args.backend as HeapBackend;
    const dim = x.shape[axis]!;
    const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    const count = ids.length;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (id < 0 || id >= dim) return stock(args as never) as tf.TensorInfo;
    }
    const out = backend.makeOutput(
      [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)],
      x.dtype,
    );
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const dst = backend.typedArrayFromHeap(out);
    const src = backend.typedArrayFromHeap(x);
    const idv = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let o = 0; o < outer; o++) {
      const srcBase = o * dim * inner;
      const dstBase = o * count * inner;
      for (let i = 0; i < count; i++) {
        const from = srcBase + idv[i]! * inner;
        dst.set(src.subarray(from, from + inner), dstBase + i * inner);
      }
    }
    return out;
  }) as unknown as tf.KernelFunc;
}
