import * as tf from "@tensorflow/tfjs-core";

interface WasmBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * `UnsortedSegmentSum` for the wasm backend, which does not ship one. tfjs uses it
 * for the gradient of `gather` (the embedding lookup), so without it the wasm
 * backend cannot train. Reads the inputs from wasm memory and scatter-adds in
 * JavaScript: memory-bound, one pass over the gradient rows.
 */
function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const backend = args.backend as WasmBackendLike;
  const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const rows = x.shape[0] ?? 0;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array | Float32Array;
  const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  const heap = backend.typedArrayFromHeap(out);
  heap.fill(0);
  for (let r = 0; r < rows; r++) {
    const s = ids[r]!;
    if (s < 0 || s >= numSegments) continue;
    const src = r * rowSize;
    const dst = s * rowSize;
    for (let c = 0; c < rowSize; c++) heap[dst + c]! += values[src + c]!;
  }
  return out;
}

/**
 * Registers the kernels the stock wasm backend lacks. Idempotent.
 * @returns the names of the kernels added.
 */
export function patchWasmKernels(): string[] {
  const added: string[] = [];
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) {
    tf.registerKernel({
      kernelName: "UnsortedSegmentSum",
      backendName: "wasm",
      kernelFunc: unsortedSegmentSumWasm as unknown as tf.KernelFunc,
    });
    added.push("UnsortedSegmentSum");
  }
  return added;
}
