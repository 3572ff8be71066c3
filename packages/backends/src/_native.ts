import * as tf from "@tensorflow/tfjs-core";
import type { Blas } from "@wpo/blas";
import { isNode } from "./_runtime.ts";

/** Options of the `native` backend. */
export interface NativeOptions {
  /** OpenBLAS threads for its matmuls. Default: OpenBLAS's own (the core count). */
  blasThreads?: number;
  /**
   * Bytes of freed kernel outputs the native backend keeps for reuse (a fresh buffer costs a page fault per
   * 4 KiB when first written). Default 1 GiB; 0 disables reuse.
   */
  poolBytes?: number;
}

/** What {@linkcode activateNative} set up. */
export interface NativeActivation {
  /** Kernels replaced by native or faster ones (every other kernel is tfjs cpu's). */
  patched: string[];
  /** Human-readable notes. */
  notes: string[];
  /** OpenBLAS threads. */
  threads: number;
}

interface BlasModule {
  loadBlas(): Blas | undefined;
  blasUnavailableReason(): string | undefined;
}

/** Loads `@wpo/blas` or throws saying why the `native` backend cannot run here. */
async function loadAddon(): Promise<Blas> {
  if (!isNode())
    throw new Error(
      "The 'native' backend runs in Node only (it calls the @wpo/blas Node-API addon); in a browser use wasm or webgpu.",
    );
  let mod: BlasModule;
  try {
    const specifier: string = "@wpo/blas";
    mod = (await import(/* @vite-ignore */ specifier)) as BlasModule;
  } catch (error) {
    throw new Error(
      `The 'native' backend needs @wpo/blas, which could not be imported (${(error as Error).message.split("\n")[0]}).`,
    );
  }
  const blas = mod.loadBlas();
  if (!blas)
    throw new Error(
      `The 'native' backend needs the @wpo/blas addon: ${mod.blasUnavailableReason()}. ` +
        "Or choose --backend wasm.",
    );
  return blas;
}

/** Whether the `native` backend can run here (Node with the @wpo/blas addon built), without activating it. */
export async function nativeAvailable(): Promise<boolean> {
  try {
    await loadAddon();
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers and activates the `native` backend: tfjs cpu's storage (one typed array per tensor, no 4 GB
 * heap) with its hot kernels on `@wpo/blas`. Its code is imported only here, dynamically, so a browser
 * bundle never loads it.
 */
export async function activateNative(options: NativeOptions = {}): Promise<NativeActivation> {
  const blas = await loadAddon();
  if (options.blasThreads !== undefined) blas.setThreads(options.blasThreads);
  const [{ DEFAULT_POOL_BYTES, NativeBackend }, { registerNativeKernels }] = await Promise.all([
    import("./_native_backend.ts"),
    import("./_native_kernels.ts"),
  ]);
  const patched = registerNativeKernels(blas);
  if (!tf.findBackendFactory("native")) tf.registerBackend("native", () => new NativeBackend(), 0);
  if (!(await tf.setBackend("native"))) throw new Error("The 'native' backend failed to initialise.");
  const backend = tf.backend() as InstanceType<typeof NativeBackend>;
  backend.pool.limit = options.poolBytes ?? DEFAULT_POOL_BYTES;
  if (backend.pool.pooledBytes > backend.pool.limit) backend.pool.clear();
  return {
    patched,
    threads: blas.threads(),
    notes: [
      `native: tfjs cpu storage (typed arrays, no wasm heap limit); ${patched.length} kernels on @wpo/blas or ` +
        `rewritten, matmul on OpenBLAS with ${blas.threads()} thread(s) (${blas.config})`,
    ],
  };
}
