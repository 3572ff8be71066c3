import { makeSliceWasm } from "./_wasm_slice.ts";
import * as tf from "@tensorflow/tfjs-core";
import { makeGatherWasm } from "./_wasm_gather.ts";
import { tileWasm } from "./_wasm_tile.ts";

interface WasmBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * `UnsortedSegmentSum` for the wasm backend, which does not ship one. tfjs uses it
 * for the gradient of `gather` (the embedding lookup), so without it the wasm
 * backend cannot train. Reads the inputs from wasm memory and scatter-adds in
 * JavaScript: memory-bound, one pass over the gradient rows. The `native` backend
 * registers it too (tfjs cpu's runs four kernels per segment: thousands per step).
 */
export function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const backend = args.backend as WasmBackendLike;
  const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const rows = x.shape[0] ?? 0;
  const ids = Int32Array.from(backend.readSync(segmentIds.dataId) as Int32Array | Float32Array);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  // Views are taken after makeOutput: allocation may grow (and detach) the heap.
  const heap = backend.typedArrayFromHeap(out);
  const values = backend.typedArrayFromHeap(x);
  heap.fill(0);
  if (heap instanceof Float32Array && values instanceof Float32Array) addRows(heap, values, ids, rowSize);
  else {
    for (let r = 0; r < rows; r++) {
      const s = ids[r]!;
      if (s < 0 || s >= numSegments) continue;
      for (let c = 0; c < rowSize; c++) heap[s * rowSize + c]! += values[r * rowSize + c]!;
    }
  }
  return out;
}

/** out[ids[r]] += values[r] for each row r (ids outside [0, rows of out) skipped); monomorphic for speed. */
function addRows(out: Float32Array, values: Float32Array, ids: Int32Array, rowSize: number): void {
  const segments = out.length / rowSize;
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r]!;
    if (s < 0 || s >= segments) continue;
    const src = r * rowSize;
    const dst = s * rowSize;
    for (let c = 0; c < rowSize; c++) out[dst + c] = out[dst + c]! + values[src + c]!;
  }
}

/**
 * `Transpose` for wasm: the identity permutation shares the buffer (tfjs's gather gradient
 * "undoes" an identity transpose of the whole embedding gradient: a [V, E] copy per step).
 */
function transposeWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const perm = (args.attrs as { perm: number[] }).perm;
  if (perm.every((p, i) => p === i)) return identityWasm(args);
  return stockTranspose!.kernelFunc(args as never) as tf.TensorInfo;
}
let stockTranspose: tf.KernelConfig | undefined;

let stockOneHot: tf.KernelConfig | undefined;

/**
 * `Identity` for wasm that shares the input's buffer (reference-counted), as the cpu
 * and WebGL backends do, instead of copying it. tfjs-core clones every tensor it saves
 * for the backward pass through `Identity`, so the stock copying kernel memcpys each
 * saved activation: time and peak memory. tfjs tensors are immutable (a variable's
 * `assign` swaps its buffer), so sharing is safe.
 */
function identityWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype === "string") return stockIdentity!.kernelFunc(args as never) as tf.TensorInfo;
  (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}
let stockIdentity: tf.KernelConfig | undefined;

/** `Cast` for wasm: a cast to the tensor's own dtype shares the buffer (the stock kernel copies it). */
function castWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if ((args.attrs as { dtype: tf.DataType }).dtype === x.dtype && x.dtype !== "string")
    return identityWasm(args);
  return stockCast!.kernelFunc(args as never) as tf.TensorInfo;
}
let stockCast: tf.KernelConfig | undefined;
let stockGather: tf.KernelConfig | undefined;
let stockSlice: tf.KernelConfig | undefined;
let sliceWasm: tf.KernelFunc | undefined;
let gatherWasm: tf.KernelFunc | undefined;

function replace(name: string, stock: tf.KernelConfig, kernelFunc: tf.KernelFunc): boolean {
  if (tf.getKernel(name, "wasm")?.kernelFunc === kernelFunc) return false;
  tf.unregisterKernel(name, "wasm");
  const config: tf.KernelConfig = { kernelName: name, backendName: "wasm", kernelFunc };
  if (stock.setupFunc) config.setupFunc = stock.setupFunc;
  tf.registerKernel(config);
  return true;
}

/**
 * `OneHot` for wasm with a non-int32 `dtype`: the stock kernel allocates a float32
 * output but its C code writes int32 bit patterns (1 reads back as 1.4e-45). Run it
 * as int32, then cast with the backend's `Cast` kernel.
 */
function oneHotWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const attrs = args.attrs as { dtype: tf.DataType };
  if (attrs.dtype === "int32") return stockOneHot!.kernelFunc(args as never) as tf.TensorInfo;
  const ints = stockOneHot!.kernelFunc({
    ...args,
    attrs: { ...args.attrs, dtype: "int32" },
  } as never) as tf.TensorInfo;
  const cast = tf.getKernel("Cast", "wasm")!;
  const out = cast.kernelFunc({
    inputs: { x: ints },
    backend: args.backend as tf.KernelBackend,
    attrs: { dtype: attrs.dtype },
  });
  (args.backend as { disposeData(id: object): void }).disposeData(ints.dataId);
  return out as tf.TensorInfo;
}

/**
 * Registers the kernels the stock wasm backend lacks or gets wrong. Idempotent.
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
  stockOneHot ??= tf.getKernel("OneHot", "wasm");
  if (stockOneHot && replace("OneHot", stockOneHot, oneHotWasm as unknown as tf.KernelFunc))
    added.push("OneHot");
  stockIdentity ??= tf.getKernel("Identity", "wasm");
  if (stockIdentity && replace("Identity", stockIdentity, identityWasm as unknown as tf.KernelFunc)) {
    added.push("Identity");
  }
  const stockTile = tf.getKernel("Tile", "wasm");
  if (stockTile && replace("Tile", stockTile, tileWasm as unknown as tf.KernelFunc)) added.push("Tile");
  stockGather ??= tf.getKernel("GatherV2", "wasm");
  if (stockGather) {
    gatherWasm ??= makeGatherWasm(stockGather.kernelFunc);
    if (replace("GatherV2", stockGather, gatherWasm)) added.push("GatherV2");
  }
  stockSlice ??= tf.getKernel("Slice", "wasm");
  if (stockSlice) {
    sliceWasm ??= makeSliceWasm(stockSlice.kernelFunc);
    if (replace("Slice", stockSlice, sliceWasm)) added.push("Slice");
  }
  stockTranspose ??= tf.getKernel("Transpose", "wasm");
  if (stockTranspose && replace("Transpose", stockTranspose, transposeWasm as unknown as tf.KernelFunc))
    added.push("Transpose");
  stockCast ??= tf.getKernel("Cast", "wasm");
  if (stockCast && replace("Cast", stockCast, castWasm as unknown as tf.KernelFunc)) added.push("Cast");
  return added;
}
