/** Bytes per element of the dtypes this package reads and writes. */
export const ITEM_SIZE: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I32: 4 };

/** Largest header accepted, as in the reference implementation (100 MB). */
export const MAX_HEADER = 100_000_000;

/** One tensor's header entry: dtype, shape and byte range inside the data section. */
export interface HeaderEntry {
  /** Tensor name. */
  name: string;
  /** "F32", "F16", "BF16" or "I32". */
  dtype: string;
  /** Shape. */
  shape: number[];
  /** First byte, relative to the data section. */
  begin: number;
  /** One past the last byte, relative to the data section. */
  end: number;
}

/** A parsed and validated header. */
export interface ParsedHeader {
  /** Entries in header order. */
  entries: HeaderEntry[];
  /** `__metadata__` strings. */
  metadata: Record<string, string>;
}

function parseEntry(where: string, name: string, info: unknown, dataLen: number): HeaderEntry {
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
 * Reads the 8-byte little-endian header length and checks it against the file size.
 * @param where File name for messages.
 * @param prefix The file's first 8 bytes (or fewer when the file is shorter).
 * @param fileSize The file size in bytes.
 * @returns The header length.
 */
export function headerLength(where: string, prefix: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || prefix.length < 8)
    throw new RangeError(`${where}: file is ${fileSize} bytes, shorter than the 8-byte header length.`);
  const n = Number(new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > fileSize) {
    throw new RangeError(
      `${where}: header length ${n} exceeds ${Math.min(MAX_HEADER, fileSize - 8)} bytes; not a safetensors file or truncated.`,
    );
  }
  return n;
}

/**
 * Parses and validates a JSON header: syntax, dtypes, offsets inside the data section,
 * no overlaps or holes, and dtype × shape = byte count.
 * @param where File name for messages.
 * @param json The header bytes.
 * @param dataLen Size of the data section.
 * @returns The entries and metadata.
 */
export function parseHeader(where: string, json: Uint8Array, dataLen: number): ParsedHeader {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (error) {
    throw new SyntaxError(`${where}: the JSON header cannot be parsed (${(error as Error).message}).`);
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) {
    throw new SyntaxError(`${where}: the JSON header is not an object.`);
  }
  const entries: HeaderEntry[] = [];
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
  return { entries, metadata };
}

/**
 * Lays out tensors one after another in the given order and serialises the header:
 * `__metadata__` first, JSON padded with spaces to a multiple of 8 bytes, as the
 * reference writer does.
 * @param tensors Name, dtype and shape of each tensor, in file order.
 * @param metadata Optional `__metadata__` strings.
 * @returns The 8-byte length prefix plus header bytes, and each tensor's byte range.
 */
export function buildHeader(
  tensors: readonly { name: string; dtype: string; shape: readonly number[] }[],
  metadata?: Record<string, string>,
): { bytes: Uint8Array; entries: HeaderEntry[] } {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1) * ITEM_SIZE[t.dtype]!;
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    entries.push({ name: t.name, dtype: t.dtype, shape: [...t.shape], begin: offset, end: offset + size });
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const bytes = new Uint8Array(8 + json.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  return { bytes, entries };
}
