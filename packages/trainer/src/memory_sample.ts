import { runInNewContext, setFlagsFromString } from "#node-only";
import * as tf from "@tensorflow/tfjs-core";

/** What a training process holds at one moment. Sizes in MiB; process figures only in Node. */
export interface MemorySample {
  /** Live tfjs tensors (`tf.memory().numTensors`). */
  tensors: number;
  /** Bytes held by live tensors, MiB (`tf.memory().numBytes`). */
  tensorMb: number;
  /** Resident set size of the process, MiB (Node only). */
  rssMb?: number;
  /** V8 heap in use, MiB (Node only). */
  jsHeapMb?: number;
  /** Size of the wasm backend's linear memory, MiB (it only grows; wasm backend only). */
  wasmHeapMb?: number;
}

/** Options of {@linkcode sampleMemory}. */
export interface SampleMemoryOptions {
  /**
   * Run a full V8 garbage collection first (Node only), so that `rssMb` and `jsHeapMb` count what is
   * still referenced rather than garbage V8 has not collected yet. Default false.
   */
  collectGarbage?: boolean;
}

const MIB = 2 ** 20;
let fullGc: (() => void) | undefined;

/** V8's `gc()`: the global one when Node runs with --expose-gc, otherwise enabled at run time. */
function collectGarbageNow(): void {
  if (!fullGc) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) fullGc = exposed;
    else {
      setFlagsFromString("--expose-gc");
      fullGc = runInNewContext("gc") as () => void;
    }
  }
  fullGc();
}

function wasmHeapBytes(): number | undefined {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength;
}

/**
 * Samples the memory of the current process: live tensors and their bytes, and in Node the
 * RSS, the V8 heap and the wasm backend's heap. Take samples every N training steps to show
 * that a run's memory is flat (the bench's 200-step memory run does this).
 *
 * @param options `collectGarbage: true` runs a full garbage collection before sampling.
 * @returns The sample; process figures are absent outside Node.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { sampleMemory } from "@wpo/trainer";
 *
 * await initBackend("cpu");
 * const before = sampleMemory({ collectGarbage: true });
 * tf.tidy(() => {
 *   tf.sum(tf.ones([256, 256]));
 * });
 * const after = sampleMemory({ collectGarbage: true });
 * console.assert(after.tensors === before.tensors); // tidy freed every intermediate
 * console.log(`RSS ${after.rssMb?.toFixed(0)} MiB`); // Node only
 * ```
 */
export function sampleMemory(options: SampleMemoryOptions = {}): MemorySample {
  const inNode = typeof process !== "undefined" && typeof process.memoryUsage === "function";
  if (options.collectGarbage && inNode) collectGarbageNow();
  const mem = tf.memory();
  const sample: MemorySample = { tensors: mem.numTensors, tensorMb: mem.numBytes / MIB };
  if (inNode) {
    const usage = process.memoryUsage();
    sample.rssMb = usage.rss / MIB;
    sample.jsHeapMb = usage.heapUsed / MIB;
  }
  const wasm = wasmHeapBytes();
  if (wasm !== undefined) sample.wasmHeapMb = wasm / MIB;
  return sample;
}
