import { widenToFloat32 } from "./_half.ts";

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

/** Largest header accepted, as in the reference implementation (100 MB). */
const MAX_HEADER = 100_000_000;
const ITEM_SIZE: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I32: 4 };

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(where: string, name: string, info: unknown, dataLen: number): Entry {
  const e = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (!e || typeof e !== "object") throw new TypeError(`${where}: tensor '${name}' has no header object.`);
  if (typeof e.dtype !== "string" || !(e.dtype in ITEM_SIZE)) {
    throw new TypeError(
      `${where}: tensor '${name}' has dtype ${JSON.stringify(e.dtype)}; supported: F32, F16, BF16 (read as float32), I32.`,
    );
  }
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${where}: tensor '${name}' has an invalid shape ${JSON.stringify(shape)}.`);
  }
  const off = e.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0)) {
    throw new TypeError(`${where}: tensor '${name}' has invalid data_offsets ${JSON.stringify(off)}.`);
  }
  const [begin, end] = off as [number, number];
  if (begin > end || end > dataLen) {
    throw new RangeError(
      `${where}: tensor '${name}' data_offsets [${begin}, ${end}] fall outside the ${dataLen}-byte data section (truncated file?).`,
    );
  }
  const bytes = (shape as number[]).reduce((a, b) => a * b, 1) * ITEM_SIZE[e.dtype]!;
  if (bytes !== end - begin) {
    throw new RangeError(
      `${where}: tensor '${name}' is ${e.dtype} [${shape.join(", ")}] = ${bytes} bytes but its offsets span ${end - begin}.`,
    );
  }
  return { name, dtype: e.dtype, shape: shape as number[], begin, end };
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
  if (bytes.length < 8)
    throw new RangeError(`${where}: file is ${bytes.length} bytes, shorter than the 8-byte header length.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER || 8 + headerLen > bytes.length) {
    throw new RangeError(
      `${where}: header length ${headerLen} exceeds ${Math.min(MAX_HEADER, bytes.length - 8)} bytes; not a safetensors file or truncated.`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (error) {
    throw new SyntaxError(`${where}: the JSON header cannot be parsed (${(error as Error).message}).`);
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) {
    throw new SyntaxError(`${where}: the JSON header is not an object.`);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const entries: Entry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") metadata = (info ?? {}) as Record<string, string>;
    else entries.push(parseEntry(where, name, info, dataLen));
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin !== cursor) {
      const what =
        e.begin < cursor ? "overlaps the previous tensor" : "leaves a gap after the previous tensor";
      throw new RangeError(`${where}: tensor '${e.name}' at offset ${e.begin} ${what} (ends at ${cursor}).`);
    }
    cursor = e.end;
  }
  if (cursor !== dataLen) {
    throw new RangeError(`${where}: tensors end at byte ${cursor} of a ${dataLen}-byte data section.`);
  }
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
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  const names = [...tensors.keys()].sort();
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new TypeError(
        `Tensor '${name}': shape [${t.shape.join(", ")}] needs ${size} values, got ${t.data.length}.`,
      );
    }
    const dtype = t.data instanceof Int32Array ? "I32" : "F32";
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  let headerBytes = new TextEncoder().encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad) {
    json += " ".repeat(pad);
    headerBytes = new TextEncoder().encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let cursor = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors.get(name)!.data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), cursor);
    cursor += d.byteLength;
  }
  return out;
}
