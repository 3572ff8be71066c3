/**
 * Positions per vocabulary chunk of the log-softmax, so that one [chunk, V] float32
 * slice (and its softmax², for the WPO weight) stays well under the device's largest
 * storage-buffer binding (WebGPU's `maxStorageBufferBindingSize`, 128 MiB by default).
 *
 * @param vocabSize V.
 * @param maxBindingBytes The device limit; undefined on CPU backends (then 16 MiB slices).
 * @returns Positions per chunk, at least 1.
 *
 * @example
 * ```ts
 * import { vocabChunkSize } from "./vocab_chunk.ts";
 * console.assert(vocabChunkSize(128256, 134217728) * 128256 * 4 <= 134217728 / 4);
 * console.assert(vocabChunkSize(512) === 8192);
 * ```
 */
export function vocabChunkSize(vocabSize: number, maxBindingBytes?: number): number {
  const budget = Math.min(
    2 ** 24,
    maxBindingBytes === undefined ? Number.POSITIVE_INFINITY : maxBindingBytes / 4,
  );
  return Math.max(1, Math.floor(budget / (4 * vocabSize)));
}
