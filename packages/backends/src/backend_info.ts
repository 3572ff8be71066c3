/** Names accepted by {@linkcode initBackend}. */
export type BackendName = "cpu" | "wasm" | "native" | "webgpu" | "tensorflow" | "auto";

/** Names of backends that can actually run (everything but `auto`). */
export type ConcreteBackendName = Exclude<BackendName, "auto">;

/** What a WebGPU adapter says about itself. */
export interface AdapterDescription {
  /** Vendor string, e.g. "mesa" or "nvidia". */
  vendor: string;
  /** Architecture string, e.g. "llvmpipe" or "ampere". */
  architecture: string;
  /** Device string, where the adapter reports one. */
  device: string;
  /** Free-form description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  description: string;
  /** True for software adapters (llvmpipe, lavapipe, SwiftShader). */
  isSoftware: boolean;
  /** Where the adapter comes from: the browser's `navigator.gpu` or Dawn in Node. */
  source: "browser" | "dawn";
  /** Dawn backend used in Node ("vulkan", "opengles", ...), when known. */
  dawnBackend?: string;
}

/** Limits relevant to training, as reported by the device. */
export interface BackendLimits {
  /** Largest storage-buffer binding in bytes (WebGPU only). */
  maxStorageBufferBindingSize?: number;
  /** Largest buffer in bytes (WebGPU only). */
  maxBufferSize?: number;
  /** Largest compute workgroup count per dimension (WebGPU only). */
  maxComputeWorkgroupsPerDimension?: number;
  /** Threads the backend computes with (wasm, cpu; native: OpenBLAS threads). */
  threads?: number;
}

/** What {@linkcode initBackend} got. */
export interface BackendInfo {
  /** The backend that is now active in tfjs-core. */
  name: ConcreteBackendName;
  /** What the caller asked for. */
  requested: BackendName;
  /** The adapter, for WebGPU. */
  adapter?: AdapterDescription;
  /** Device limits. */
  limits: BackendLimits;
  /** Kernels the project needs that this backend does not register (see `REQUIRED_KERNELS`). */
  missingKernels: string[];
  /** Kernels this package added to fill gaps in the stock backend (e.g. `UnsortedSegmentSum` on wasm). */
  patchedKernels: string[];
  /**
   * wasm and native: what runs `BatchMatMul` — `native-blas` (OpenBLAS through `@wpo/blas`,
   * on the wasm heap or on native's typed arrays) or `explicit-transpose` (wasm's WebAssembly
   * kernel, fed pre-transposed operands).
   */
  matmul?: "native-blas" | "explicit-transpose";
  /** Why `auto` chose this backend, or notes on fallbacks taken. */
  notes: string[];
}
