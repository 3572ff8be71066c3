import { open } from "#node-only";
import type { FileHandle } from "node:fs/promises";
import { toBfloat16, widenInto } from "./_half.ts";
import { buildHeader, type HeaderEntry, headerLength, parseHeader } from "./_safetensors_header.ts";

/** Bytes read or written per system call (fs calls are limited to 2 GiB each). */
const CHUNK_BYTES = 64 * 1024 * 1024;

/** Name, dtype and shape of one tensor of a safetensors file on disk. */
export interface SafetensorsEntry {
  /** "F32", "F16", "BF16" or "I32". */
  dtype: string;
  /** The tensor shape. */
  shape: number[];
}

/** Options of {@linkcode SafetensorsReader.open}. */
export interface OpenSafetensorsOptions {
  /** Bytes per read call, rounded down to a multiple of 4 (default 64 MiB). */
  chunkBytes?: number;
}

function chunkSize(bytes: number | undefined): number {
  const n = Math.floor((bytes ?? CHUNK_BYTES) / 4) * 4;
  if (!(n >= 4 && n <= 2 ** 30)) throw new RangeError(`chunkBytes must be between 4 and 2^30, got ${bytes}.`);
  return n;
}

/** Options of {@linkcode SafetensorsReader.read}. */
export interface ReadTensorOptions {
  /** Refuse NaN and ±Inf values, naming the tensor and the first bad index. Default false. */
  finite?: boolean;
}

/**
 * A safetensors file opened for reading one tensor at a time: only the header is read
 * on open, so files of any size (over 2 GiB included) can be loaded with one tensor in
 * memory at a time. F16/BF16 are widened to float32 chunk by chunk.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { SafetensorsReader, writeSafetensorsFile } from "@wpo/llama";
 * const path = join(await mkdtemp(join(tmpdir(), "st-")), "w.safetensors");
 * await writeSafetensorsFile(path, [{ name: "w", dtype: "BF16", shape: [2] }], () => [new Float32Array([1.5, -2])]);
 * const file = await SafetensorsReader.open(path);
 * console.assert(file.tensors.get("w")!.dtype === "BF16");
 * console.assert((await file.read("w"))[1] === -2);
 * await file.close();
 * ```
 */
export class SafetensorsReader {
  /** The file path (used in messages). */
  readonly path: string;
  /** Tensors by name, in header order. */
  readonly tensors: Map<string, SafetensorsEntry>;
  /** The `__metadata__` strings. */
  readonly metadata: Record<string, string>;
  readonly #fh: FileHandle;
  readonly #dataStart: number;
  readonly #entries: Map<string, HeaderEntry>;
  readonly #chunk: number;

  private constructor(
    path: string,
    fh: FileHandle,
    dataStart: number,
    entries: HeaderEntry[],
    meta: Record<string, string>,
    chunk: number,
  ) {
    this.path = path;
    this.#chunk = chunk;
    this.#fh = fh;
    this.#dataStart = dataStart;
    this.#entries = new Map(entries.map((e) => [e.name, e]));
    this.tensors = new Map(entries.map((e) => [e.name, { dtype: e.dtype, shape: e.shape }]));
    this.metadata = meta;
  }

  /**
   * Opens a file and validates its header (see {@linkcode decodeSafetensors} for the checks).
   * @param path The file.
   * @param options Bytes per read call.
   * @returns The reader; call `close()` when done.
   * @throws {Error} when the file cannot be opened; the header errors of {@linkcode decodeSafetensors}.
   * @example
   * ```ts
   * import { SafetensorsReader } from "@wpo/llama";
   * const f = await SafetensorsReader.open("fixtures/gqa_untied/model.safetensors");
   * console.assert(f.tensors.has("lm_head.weight"));
   * await f.close();
   * ```
   */
  static async open(path: string, options: OpenSafetensorsOptions = {}): Promise<SafetensorsReader> {
    const chunk = chunkSize(options.chunkBytes);
    let fh: FileHandle;
    try {
      fh = await open(path, "r");
    } catch (error) {
      throw new Error(`Cannot read ${path}: ${(error as Error).message}`);
    }
    try {
      const size = (await fh.stat()).size;
      const prefix = new Uint8Array(8);
      await fh.read(prefix, 0, Math.min(8, size), 0);
      const n = headerLength(path, prefix, size);
      const json = new Uint8Array(n);
      await readFully(fh, json, 8, chunk);
      const { entries, metadata } = parseHeader(path, json, size - 8 - n);
      return new SafetensorsReader(path, fh, 8 + n, entries, metadata, chunk);
    } catch (error) {
      await fh.close();
      throw error;
    }
  }

  /**
   * Reads one tensor: F32/F16/BF16 as float32, I32 as int32.
   * @param name The tensor name.
   * @param options `finite: true` refuses NaN/Inf.
   * @returns Row-major values.
   * @throws {RangeError} for an unknown name, or a non-finite value with `finite`.
   * @example
   * ```ts
   * import { SafetensorsReader } from "@wpo/llama";
   * const f = await SafetensorsReader.open("fixtures/gqa_untied/model.safetensors");
   * console.assert((await f.read("model.norm.weight", { finite: true })).length === 32);
   * await f.close();
   * ```
   */
  async read(name: string, options: ReadTensorOptions = {}): Promise<Float32Array | Int32Array> {
    const e = this.#entries.get(name);
    if (!e) throw new RangeError(`${this.path} has no tensor '${name}'.`);
    const bytes = e.end - e.begin;
    const start = this.#dataStart + e.begin;
    if (e.dtype === "I32") {
      const out = new Int32Array(bytes / 4);
      await readFully(this.#fh, new Uint8Array(out.buffer), start, this.#chunk);
      return out;
    }
    const item = e.dtype === "F32" ? 4 : 2;
    const out = new Float32Array(bytes / item);
    const scratch = new Uint8Array(Math.min(bytes, this.#chunk));
    let bad = -1;
    for (let done = 0; done < bytes; done += scratch.length) {
      const piece = scratch.subarray(0, Math.min(scratch.length, bytes - done));
      await readFully(this.#fh, piece, start + done, this.#chunk);
      const b = widenInto(piece, e.dtype as "F32" | "F16" | "BF16", out, done / item);
      if (bad < 0) bad = b;
    }
    if (options.finite && bad >= 0) {
      throw new RangeError(
        `${this.path}: tensor '${name}' holds a non-finite value (${out[bad]} at flat index ${bad} of shape [${e.shape.join(", ")}]).`,
      );
    }
    return out;
  }

  /**
   * Closes the file.
   * @example
   * ```ts
   * import { SafetensorsReader } from "@wpo/llama";
   * await (await SafetensorsReader.open("fixtures/tied_llama3/model.safetensors")).close();
   * ```
   */
  async close(): Promise<void> {
    await this.#fh.close();
  }
}

async function readFully(fh: FileHandle, into: Uint8Array, position: number, chunk: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const len = Math.min(into.length - done, chunk);
    const { bytesRead } = await fh.read(into, done, len, position + done);
    if (bytesRead === 0) throw new RangeError(`Unexpected end of file at byte ${position + done}.`);
    done += bytesRead;
  }
}

/** One tensor to write with {@linkcode writeSafetensorsFile}. */
export interface TensorToWrite {
  /** Tensor name. */
  name: string;
  /** Stored dtype: "F32" or "BF16" (float values are rounded to nearest even). */
  dtype: "F32" | "BF16";
  /** The tensor shape. */
  shape: readonly number[];
}

/** The values of one tensor, as consecutive float32 pieces that together fill it. */
export type TensorValues = Iterable<Float32Array> | AsyncIterable<Float32Array>;

/** Options of {@linkcode writeSafetensorsFile}. */
export interface WriteSafetensorsOptions {
  /** `__metadata__` strings; transformers expects `{ format: "pt" }`. */
  metadata?: Record<string, string>;
  /** Bytes per write call, rounded down to a multiple of 4 (default 64 MiB). */
  chunkBytes?: number;
}

/**
 * Writes a safetensors file tensor by tensor: the header first (from names, dtypes and
 * shapes), then each tensor's values as `values(name)` yields them, so a file of any
 * size is written with one piece in memory at a time. Tensors are stored in the order
 * given (pass them sorted by name to match the reference writer byte for byte).
 *
 * @param path The file to create (overwritten).
 * @param tensors Name, dtype and shape of each tensor, in file order.
 * @param values Returns the pieces of one tensor's values, in row-major order.
 * @param options `__metadata__`.
 * @returns The number of bytes written.
 * @throws {RangeError} when the pieces do not fill a tensor exactly.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { SafetensorsReader, writeSafetensorsFile } from "@wpo/llama";
 * const path = join(await mkdtemp(join(tmpdir(), "st-")), "big.safetensors");
 * function* ramp() { for (let i = 0; i < 4; i++) yield new Float32Array(250).fill(i); }
 * await writeSafetensorsFile(path, [{ name: "x", dtype: "F32", shape: [1000] }], () => ramp());
 * const f = await SafetensorsReader.open(path);
 * console.assert((await f.read("x"))[999] === 3);
 * await f.close();
 * ```
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: readonly TensorToWrite[],
  values: (name: string) => TensorValues,
  options: WriteSafetensorsOptions = {},
): Promise<number> {
  const chunk = chunkSize(options.chunkBytes);
  const { bytes: head, entries } = buildHeader(tensors, options.metadata);
  const fh = await open(path, "w");
  try {
    await writeFully(fh, head, 0, chunk);
    for (const e of entries) {
      const item = e.dtype === "F32" ? 4 : 2;
      const count = (e.end - e.begin) / item;
      let at = 0;
      for await (const piece of values(e.name)) {
        if (at + piece.length > count) {
          throw new RangeError(`Tensor '${e.name}': more than its ${count} values [${e.shape.join(", ")}].`);
        }
        const base = head.length + e.begin + at * item;
        if (e.dtype === "F32") {
          await writeFully(fh, new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength), base, chunk);
        } else {
          // Round in bounded slices so a 1 GiB float32 piece never needs a second 0.5 GiB buffer.
          const step = chunk / 2;
          const half = new Uint16Array(Math.min(piece.length, step));
          for (let i = 0; i < piece.length; i += step) {
            const part = piece.subarray(i, Math.min(piece.length, i + step));
            const out = toBfloat16(part, half.subarray(0, part.length));
            await writeFully(fh, new Uint8Array(out.buffer, 0, out.byteLength), base + i * 2, chunk);
          }
        }
        at += piece.length;
      }
      if (at !== count) {
        throw new RangeError(
          `Tensor '${e.name}': got ${at} values, shape [${e.shape.join(", ")}] needs ${count}.`,
        );
      }
    }
  } finally {
    await fh.close();
  }
  return head.length + (entries.length ? entries[entries.length - 1]!.end : 0);
}

async function writeFully(fh: FileHandle, bytes: Uint8Array, position: number, chunk: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const len = Math.min(bytes.length - done, chunk);
    const { bytesWritten } = await fh.write(bytes, done, len, position + done);
    done += bytesWritten;
  }
}
