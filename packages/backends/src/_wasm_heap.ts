import type * as tf from "@tensorflow/tfjs-core";

/** The parts of tfjs-backend-wasm's backend object that kernels working on heap views use. */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}
