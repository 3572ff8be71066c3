import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { BufferPool } from "./_native_pool.ts";
import type { HeapBackend } from "./_wasm_heap.ts";

type Values = Float32Array | Int32Array | Uint8Array;

/** Default of {@linkcode NativeBackend}'s `poolBytes`: 1 GiB of freed outputs kept for reuse. */
export const DEFAULT_POOL_BYTES = 2 ** 30;

/**
 * The `native` backend's storage: tfjs's cpu backend (one JavaScript typed array per tensor, so no
 * 32-bit heap limits the total), with the `HeapBackend` view the native kernels use on wasm
 * (`makeOutput(shape, dtype)` and `typedArrayFromHeap`), so the same kernel code runs `@wpo/blas` on
 * these arrays in place. Node only: it is loaded by `_native.ts` through a dynamic import.
 *
 * Outputs of those kernels come from a {@linkcode BufferPool} of freed outputs: a fresh ArrayBuffer costs
 * a page fault per 4 KiB on first touch (a 1.5 MB output took 8 ms fresh, 0.2 ms reused). A buffer is
 * recycled only while nothing outside the backend can hold it: reading a tensor (`dataSync`, `data`) or
 * storing its buffer under a second tensor (a cpu kernel's zero-copy view) takes it out of the pool for good.
 */
export class NativeBackend extends MathBackendCPU implements HeapBackend {
  readonly pool: BufferPool;
  /** Bytes of the typed arrays stored under live tensor data (each buffer once; views of one count twice). */
  bytesInUse = 0;
  /** The most {@linkcode bytesInUse} has been since construction. */
  peakBytesInUse = 0;

  constructor(poolBytes = DEFAULT_POOL_BYTES) {
    super();
    this.pool = new BufferPool(poolBytes);
    // The cpu backend's first write prints "install tfjs-node to speed things up": this is the native path.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /**
   * Two signatures under one name: the cpu kernels' `makeOutput(values, shape, dtype)` (a Tensor over
   * `values`, as in `MathBackendCPU`), and the heap kernels' `makeOutput(shape, dtype)` (an output of that
   * shape, a TensorInfo, whose contents are undefined as on wasm: the kernel writes every element). The
   * second argument tells them apart.
   */
  override makeOutput<T extends tf.Tensor>(
    values: tf.backend_util.BackendValues,
    shape: number[],
    dtype: tf.DataType,
  ): T;
  override makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  override makeOutput(...args: unknown[]): unknown {
    if (typeof args[1] === "string") {
      const [shape, dtype] = args as [number[], tf.DataType];
      const values = this.pool.take(dtype, tf.util.sizeFromShape(shape));
      const info = this.makeTensorInfo(shape, dtype, values);
      this.pool.own(values);
      return info;
    }
    const [values, shape, dtype] = args as [tf.backend_util.BackendValues, number[], tf.DataType];
    return super.makeOutput(values, shape, dtype);
  }

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object {
    this.pool.disown(values);
    this.count(values, 1);
    return super.write(values, shape, dtype);
  }

  private count(values: unknown, sign: 1 | -1): void {
    if (!ArrayBuffer.isView(values)) return;
    this.bytesInUse += sign * values.byteLength;
    if (this.bytesInUse > this.peakBytesInUse) this.peakBytesInUse = this.bytesInUse;
  }

  /** tfjs's memory report, plus the bytes in typed arrays now, at the peak, and held by the output pool. */
  override memory(): { unreliable: boolean; reasons: string[] } & Record<string, unknown> {
    return {
      ...super.memory(),
      numBytesInNative: this.bytesInUse,
      peakBytesInNative: this.peakBytesInUse,
      numBytesPooled: this.pool.pooledBytes,
    };
  }

  override move(
    dataId: object,
    values: tf.backend_util.BackendValues,
    shape: number[],
    dtype: tf.DataType,
    refCount: number,
  ): void {
    this.pool.disown(values);
    this.count(this.data.get(dataId)?.values, -1);
    this.count(values, 1);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: object): tf.backend_util.BackendValues {
    this.pool.disown(this.data.get(dataId)?.values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: object, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const released = super.disposeData(dataId, force);
    if (released && values !== undefined) {
      this.count(values, -1);
      this.pool.give(values);
    }
    return released;
  }

  /**
   * The tensor's own typed array (no copy) in the type of `info.dtype`. tfjs cpu's Cast shares the buffer
   * when no precision is lost (an int32 buffer read as float32, a bool one as int32): such an input is
   * converted into a fresh array, leaving the shared one as it is.
   */
  typedArrayFromHeap(info: tf.TensorInfo): Values {
    const entry = this.data.get(info.dataId);
    if (!entry) throw new Error(`native: tensor data ${JSON.stringify(info.dataId)} is not on this backend.`);
    const { dtype } = info;
    if (dtype === "string" || dtype === "complex64")
      throw new TypeError(`native: a ${dtype} tensor has no typed-array view.`);
    const want = dtype === "int32" ? Int32Array : dtype === "bool" ? Uint8Array : Float32Array;
    const values = entry.values;
    if (values instanceof want) return values;
    return want.from(values as ArrayLike<number>);
  }
}
