import type * as tf from "@tensorflow/tfjs-core";
import type { HeapBackend } from "./_wasm_heap.ts";

/**
 * `Tile` for wasm by block copies on the heap: each input row is copied once, then
 * every tiled axis is filled by doubling-free `copyWithin` of the finished block. The
 * stock kernel computes an index per element (~70 ns each here), which made tiling a
 * [1,1,256,256] attention bias cost ~14 ms.
 */
export function tileWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const reps = (args.attrs as { reps: number[] }).reps;
  const backend = args.backend as HeapBackend;
  const shape = x.shape;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const out = backend.makeOutput(outShape, x.dtype);
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  const rank = shape.length;
  if (rank === 0) {
    dst.set(src);
    return out;
  }
  if (dst.length === 0) return out;
  const srcStride = new Array<number>(rank).fill(1);
  const dstStride = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) {
    srcStride[i] = srcStride[i + 1]! * shape[i + 1]!;
    dstStride[i] = dstStride[i + 1]! * outShape[i + 1]!;
  }
  const fill = (axis: number, srcOff: number, dstOff: number): void => {
    const n = shape[axis]!;
    if (axis === rank - 1) {
      dst.set(src.subarray(srcOff, srcOff + n), dstOff);
    } else {
      for (let i = 0; i < n; i++)
        fill(axis + 1, srcOff + i * srcStride[axis]!, dstOff + i * dstStride[axis]!);
    }
    const block = n * dstStride[axis]!;
    for (let k = 1; k < reps[axis]!; k++) dst.copyWithin(dstOff + k * block, dstOff, dstOff + block);
  };
  fill(0, 0, 0);
  return out;
}
