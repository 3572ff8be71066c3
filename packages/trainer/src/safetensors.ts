import {
  decodeSafetensors as decodeFile,
  encodeSafetensors as encodeFile,
  type SafetensorsTensor,
} from "@wpo/llama";

/** One tensor stored in a safetensors file (float32 or int32, row-major, little-endian). */
export interface StoredTensor {
  /** Element type. */
  dtype: "float32" | "int32";
  /** Shape. */
  shape: number[];
  /** Values, row-major. */
  data: Float32Array | Int32Array;
}

/**
 * Encodes named tensors in the safetensors format, the format Hugging Face uses.
 * A thin adapter over `@wpo/llama`'s validated writer, with tfjs dtype names.
 *
 * @param tensors Name -> tensor, written in name order.
 * @param metadata Optional string -> string metadata stored under `__metadata__`.
 * @returns The file's bytes.
 * @example
 * ```ts
 * import { encodeSafetensors, decodeSafetensors } from "@wpo/trainer";
 * const bytes = encodeSafetensors(new Map([["w", { dtype: "float32", shape: [2], data: new Float32Array([1, 2]) }]]));
 * console.assert(decodeSafetensors(bytes).tensors.get("w")!.data[1] === 2);
 * ```
 */
export function encodeSafetensors(
  tensors: Map<string, StoredTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const file = new Map<string, SafetensorsTensor>();
  for (const [name, t] of tensors)
    file.set(name, { dtype: t.dtype === "int32" ? "I32" : "F32", shape: t.shape, data: t.data });
  return encodeFile(file, metadata ? { metadata } : {});
}

/**
 * Decodes a safetensors file into tensors with tfjs dtype names (F32, F16 and BF16
 * become float32; I32 stays int32). The header is validated by `@wpo/llama`'s reader.
 *
 * @param bytes The file's bytes.
 * @returns Tensors by name and the `__metadata__` strings.
 * @throws {RangeError|SyntaxError|TypeError} naming the problem when the file is malformed.
 * @example
 * ```ts
 * import { encodeSafetensors, decodeSafetensors } from "@wpo/trainer";
 * const b = encodeSafetensors(new Map([["i", { dtype: "int32", shape: [1], data: new Int32Array([7]) }]]), { a: "b" });
 * console.assert(decodeSafetensors(b).metadata.a === "b");
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
} {
  const file = decodeFile(bytes);
  const tensors = new Map<string, StoredTensor>();
  for (const [name, t] of file.tensors) {
    tensors.set(name, {
      dtype: t.data instanceof Int32Array ? "int32" : "float32",
      shape: t.shape,
      data: t.data,
    });
  }
  return { tensors, metadata: file.metadata };
}
