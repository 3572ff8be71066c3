import * as tf from "@tensorflow/tfjs-core";
import type { SgemmArgs } from "@wpo/blas";
import type { HeapBackend } from "./_wasm_heap.ts";

/** The parts of tfjs-backend-wasm's backend object the matmul kernel uses. */
export interface WasmHeapBackend extends HeapBackend {
  disposeData(dataId: object): boolean;
}

/** A row-major strided-batched sgemm on Float32Array views (`@wpo/blas`'s, every field given). */
export type BatchedSgemm = (args: Required<SgemmArgs>) => void;

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Swaps the last two axes with the backend's own Transpose kernel. */
function transposeLast2(x: tf.TensorInfo, backend: unknown, backendName: string): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const kernel = tf.getKernel("Transpose", backendName);
  if (!kernel)
    throw new Error(
      `The ${backendName} backend has no Transpose kernel; cannot rewrite a transposed matmul.`,
    );
  return kernel.kernelFunc({
    inputs: { x },
    backend: backend as tf.KernelBackend,
    attrs: { perm },
  }) as tf.TensorInfo;
}

/**
 * Builds the replacement for wasm's `BatchMatMul`. With `sgemm` (native BLAS on
 * views of the wasm heap) every form runs there, transposes included, and a
 * shared 2-D right operand folds the batch into one large product. Without it,
 * transposed operands are first transposed explicitly and the stock kernel runs
 * its fast, untransposed form (its transposed loops are 10-55x slower). `backendName` names the backend
 * whose Transpose kernel that uses (default wasm; the `native` backend builds its matmul here too).
 */
export function makeWasmMatMul(
  stock: tf.KernelFunc,
  sgemm?: BatchedSgemm,
  backendName = "wasm",
): tf.KernelFunc {
  // The stock kernel is also ~40x slower when it broadcasts a shared right operand over
  // a batch: fold [..., m, k] · [k, n] into one [batch*m, k] · [k, n] product.
  const plain = (args: KernelArgs, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo => {
    const ra = a.shape.length;
    const outer = a.shape.slice(0, -2);
    if (ra > 2 && size(b.shape.slice(0, -2)) === 1 && size(outer) > 1) {
      const [m, k] = [a.shape[ra - 2]!, a.shape[ra - 1]!];
      const n = b.shape[b.shape.length - 1]!;
      const a2: tf.TensorInfo = { dataId: a.dataId, shape: [size(outer) * m, k], dtype: a.dtype };
      const b2: tf.TensorInfo = {
        dataId: b.dataId,
        shape: [b.shape[b.shape.length - 2]!, n],
        dtype: b.dtype,
      };
      const out = stock({
        ...args,
        inputs: { a: a2, b: b2 },
        attrs: { transposeA: false, transposeB: false },
      } as never) as tf.TensorInfo;
      return { dataId: out.dataId, shape: [...outer, m, n], dtype: out.dtype };
    }
    return stock({
      ...args,
      inputs: { a, b },
      attrs: { transposeA: false, transposeB: false },
    } as never) as tf.TensorInfo;
  };
  const viaTranspose = (args: KernelArgs): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) {
      return stock(args as never) as tf.TensorInfo;
    }
    const backend = args.backend as WasmHeapBackend;
    const at = transposeA ? transposeLast2(a, backend, backendName) : a;
    const bt = transposeB ? transposeLast2(b, backend, backendName) : b;
    try {
      if (at.shape[at.shape.length - 1] !== bt.shape[bt.shape.length - 2])
        return stock(args as never) as tf.TensorInfo;
      return plain(args, at, bt);
    } finally {
      if (at !== a) backend.disposeData(at.dataId);
      if (bt !== b) backend.disposeData(bt.dataId);
    }
  };
  if (!sgemm) return viaTranspose as unknown as tf.KernelFunc;

  const native = (args: KernelArgs): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (a.dtype !== "float32" || b.dtype !== "float32" || ra < 2 || rb < 2) return viaTranspose(args);
    const m = a.shape[transposeA ? ra - 1 : ra - 2]!;
    const k = a.shape[transposeA ? ra - 2 : ra - 1]!;
    const kb = b.shape[transposeB ? rb - 1 : rb - 2]!;
    const n = b.shape[transposeB ? rb - 2 : rb - 1]!;
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = size(outerA);
    const batchB = size(outerB);
    if (k !== kb) return viaTranspose(args); // the stock kernel raises tfjs's own shape error
    let outer: number[];
    try {
      outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
    } catch {
      return viaTranspose(args);
    }
    const batch = Math.max(batchA, batchB);
    if (size(outer) !== batch || (batchA !== batchB && batchA !== 1 && batchB !== 1))
      return viaTranspose(args);
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...outer, m, n], "float32");
    if (m * n === 0) return out;
    const c = backend.typedArrayFromHeap(out) as Float32Array;
    if (k === 0) {
      c.fill(0);
      return out;
    }
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const av = backend.typedArrayFromHeap(a) as Float32Array;
    const bv = backend.typedArrayFromHeap(b) as Float32Array;
    if (batchB === 1 && batchA > 1 && !transposeA) {
      // [batch*m, k] · op(B): one large product instead of `batch` small ones.
      sgemm({
        transA: false,
        transB: transposeB,
        m: batchA * m,
        n,
        k,
        a: av,
        b: bv,
        c,
        batch: 1,
        strideA: 0,
        strideB: 0,
      });
    } else {
      const strideA = batchA === 1 ? 0 : m * k;
      const strideB = batchB === 1 ? 0 : k * n;
      sgemm({ transA: transposeA, transB: transposeB, m, n, k, a: av, b: bv, c, batch, strideA, strideB });
    }
    return out;
  };
  return native as unknown as tf.KernelFunc;
}
