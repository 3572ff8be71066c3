import { widenToFloat32 } from "./_half.ts";
import { buildHeader, headerLength, parseHeader } from "./_safetensors_header.ts";

/** One tensor of a safetensors file: F32/F16/BF16 are widened to float32, I32 stays int32. */
export interface SafetensorsTensor {
  /** The dtype stored in the file ("F32", "F16", "BF16" or "I32"). */
  dtype: string;
  /** The tensor shape. */
  shape: number[];
  /** Row-major values. */
  data: Float32Array | Int32Array;
}

/** A decoded safetensors file. */
export interface SafetensorsFile {
  /** Tensors by name, in file order. */
  tensors: Map<string, SafetensorsTensor>;
  /** The `__metadata__` string map (empty when absent). */
  metadata: Record<string, string>;
}

/** Options of {@linkcode decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** File name used in error messages. */
  source?: string;
}

/** Options of {@linkcode encodeSafetensors}. */
export interface EncodeSafetensorsOptions {
  /** `__metadata__` strings; transformers expects `{ format: "pt" }`. */
  metadata?: Record<string, string>;
}

/**
 * Parses a safetensors file, validating the header: its length bound, JSON syntax,
 * dtypes, offsets inside the data section, no overlaps or holes, and dtype × shape =
 * byte count. F32, F16 and BF16 tensors are returned as float32.
 *
 * @param bytes The whole file.
 * @param options A file name for error messages.
 * @returns The tensors and metadata.
 * @throws {RangeError} for a bad length or offsets; {SyntaxError} for a bad JSON header; {TypeError} for a bad entry.
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "@wpo/llama";
 * const bytes = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }]]));
 * const file = decodeSafetensors(bytes);
 * console.assert(file.tensors.get("w")!.data[1] === 2);
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeSafetensorsOptions = {},
): SafetensorsFile {
  const where = options.source ?? "safetensors";
  const headerLen = headerLength(where, bytes.subarray(0, 8), bytes.length);
  const dataStart = 8 + headerLen;
  const { entries, metadata } = parseHeader(where, bytes.subarray(8, dataStart), bytes.length - dataStart);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    const raw = bytes.slice(dataStart + e.begin, dataStart + e.end);
    let data: Float32Array | Int32Array;
    if (e.dtype === "F32") data = new Float32Array(raw.buffer, 0, raw.length / 4);
    else if (e.dtype === "I32") data = new Int32Array(raw.buffer, 0, raw.length / 4);
    else data = widenToFloat32(raw, e.dtype as "F16" | "BF16");
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}

/**
 * Serialises tensors as safetensors: names sorted, F32 (or I32 for Int32Array data),
 * header padded with spaces to a multiple of 8 bytes, as the reference writer does.
 *
 * @param tensors Tensors by name (`dtype` is taken from the array type).
 * @param options `__metadata__` strings.
 * @returns The file bytes.
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "@wpo/llama";
 * const bytes = encodeSafetensors(new Map([["ids", { dtype: "I32", shape: [1, 2], data: new Int32Array([7, 9]) }]]),
 *   { metadata: { format: "pt" } });
 * console.assert(decodeSafetensors(bytes).metadata.format === "pt");
 * ```
 */
export function encodeSafetensors(
  tensors: Map<string, SafetensorsTensor>,
  options: EncodeSafetensorsOptions = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const layout = names.map((name) => {
    const t = tensors.get(name)!;
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new TypeError(
        `Tensor '${name}': shape [${t.shape.join(", ")}] needs ${size} values, got ${t.data.length}.`,
      );
    }
    return { name, dtype: t.data instanceof Int32Array ? "I32" : "F32", shape: t.shape };
  });
  const { bytes: head, entries } = buildHeader(layout, options.metadata);
  const total = entries.length ? entries[entries.length - 1]!.end : 0;
  const out = new Uint8Array(head.length + total);
  out.set(head, 0);
  for (const e of entries) {
    const d = tensors.get(e.name)!.data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), head.length + e.begin);
  }
  return out;
}
