/** One tensor stored in a safetensors file (float32 or int32, row-major, little-endian). */
export interface StoredTensor {
  /** Element type. */
  dtype: "float32" | "int32";
  /** Shape. */
  shape: number[];
  /** Values, row-major. */
  data: Float32Array | Int32Array;
}

const CODES = { float32: "F32", int32: "I32" } as const;

/**
 * Encodes named tensors in the safetensors format (8-byte little-endian header
 * length, JSON header, raw little-endian data), the format Hugging Face uses.
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
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new TypeError(
        `encodeSafetensors: tensor '${name}' has shape [${t.shape}] but ${t.data.length} values.`,
      );
    }
    header[name] = {
      dtype: CODES[t.dtype],
      shape: t.shape,
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += " ";
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors.get(name)!;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/**
 * Decodes a safetensors file holding F32 / I32 tensors.
 *
 * @param bytes The file's bytes.
 * @returns The tensors by name and the metadata.
 * @throws {SyntaxError} when the header is malformed; {TypeError} for an unsupported dtype.
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
  if (bytes.length < 8) throw new SyntaxError("safetensors: file shorter than its 8-byte header length.");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new SyntaxError(`safetensors: header length ${n} exceeds the file size.`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    throw new SyntaxError(`safetensors: header is not valid JSON (${(error as Error).message}).`);
  }
  const base = 8 + n;
  const tensors = new Map<string, StoredTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as unknown as Record<string, string>;
      continue;
    }
    const [start, end] = entry.data_offsets;
    const copy = bytes.slice(base + start, base + end);
    if (entry.dtype === "F32") {
      tensors.set(name, { dtype: "float32", shape: entry.shape, data: new Float32Array(copy.buffer) });
    } else if (entry.dtype === "I32") {
      tensors.set(name, { dtype: "int32", shape: entry.shape, data: new Int32Array(copy.buffer) });
    } else {
      throw new TypeError(
        `safetensors: tensor '${name}' has dtype ${entry.dtype}; only F32 and I32 are supported.`,
      );
    }
  }
  return { tensors, metadata };
}
