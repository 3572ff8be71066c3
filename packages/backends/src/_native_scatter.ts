import * as tf from "@tensorflow/tfjs-core";
import type { HeapBackend } from "./_wasm_heap.ts";

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** out[row[i]] += updates[i] for each slice i (`size` values each); monomorphic for speed. */
function addSlices(
  out: Float32Array | Int32Array,
  updates: Float32Array | Int32Array,
  rows: Int32Array,
  size: number,
): void {
  for (let i = 0; i < rows.length; i++) {
    const src = i * size;
    const dst = rows[i]! * size;
    for (let k = 0; k < size; k++) out[dst + k] = out[dst + k]! + updates[src + k]!;
  }
}

/**
 * `ScatterNd` for the `native` backend: a zeroed output from the backend's pool and one pass adding each
 * update slice (duplicates sum, as in tfjs). tfjs cpu's kernel reads both inputs through `bufferSync` and
 * allocates a fresh output: the LM-head gradient's [V, E] scatter cost ~140 ms of a bench step. Other
 * dtypes, and an index out of range (so that tfjs's own error is raised), go to `stock`.
 */
export function makeNativeScatterNd(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs): tf.TensorInfo => {
    const { indices, updates } = args.inputs as { indices: tf.TensorInfo; updates: tf.TensorInfo };
    const { shape } = args.attrs as { shape: number[] };
    if ((updates.dtype !== "float32" && updates.dtype !== "int32") || indices.dtype !== "int32")
      return stock(args as never) as tf.TensorInfo;
    const { sliceRank, numUpdates, sliceSize, strides, outputSize } = tf.backend_util.calculateShapes(
      updates as tf.Tensor,
      indices as tf.Tensor,
      shape,
    );
    const backend = args.backend as HeapBackend;
    const idx = backend.typedArrayFromHeap(indices) as Int32Array;
    const slots = sliceSize > 0 ? outputSize / sliceSize : 0;
    const rows = new Int32Array(numUpdates);
    for (let i = 0; i < numUpdates; i++) {
      let flat = 0;
      for (let j = 0; j < sliceRank; j++) flat += idx[i * sliceRank + j]! * strides[j]!;
      if (flat < 0 || flat >= slots) return stock(args as never) as tf.TensorInfo;
      rows[i] = flat;
    }
    const out = backend.makeOutput([...shape], updates.dtype);
    const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    dst.fill(0);
    if (outputSize > 0)
      addSlices(dst, backend.typedArrayFromHeap(updates) as Float32Array | Int32Array, rows, sliceSize);
    return out;
  }) as unknown as tf.KernelFunc;
}
