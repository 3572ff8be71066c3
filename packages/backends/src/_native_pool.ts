type Values = Float32Array | Int32Array | Uint8Array;

/** Buffers under this size are not pooled: V8 allocates small arrays cheaply. */
const MIN_POOLED_BYTES = 64 * 1024;

/**
 * Freed output buffers of the `native` backend, by byte length, for reuse by the next output of the same
 * size (training repeats the same shapes every step). Only buffers the pool itself handed out and still
 * "owns" come back: {@linkcode BufferPool.disown} is called whenever a buffer may be seen outside the
 * backend (read by the user, or stored under a second tensor), and such a buffer is left to the garbage
 * collector. At most `limit` bytes are kept; beyond that freed buffers are dropped.
 */
export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private readonly owned = new WeakSet<ArrayBufferLike>();
  private held = 0;
  /** Buffers handed out again instead of allocated (since construction). */
  reused = 0;
  /** Buffers of a poolable size allocated fresh (since construction). */
  allocated = 0;

  /** @param limit bytes kept at most (settable). */
  constructor(public limit: number) {}

  /** Bytes held for reuse now. */
  get pooledBytes(): number {
    return this.held;
  }

  /** An array of `size` elements for `dtype` (a reused buffer when one of that byte length is free). */
  take(dtype: string, size: number): Values {
    const Ctor = dtype === "int32" ? Int32Array : dtype === "bool" ? Uint8Array : Float32Array;
    const bytes = size * Ctor.BYTES_PER_ELEMENT;
    const list = bytes >= MIN_POOLED_BYTES ? this.free.get(bytes) : undefined;
    const buffer = list?.pop();
    if (!buffer) {
      if (bytes >= MIN_POOLED_BYTES) this.allocated++;
      return new Ctor(size);
    }
    this.held -= bytes;
    this.reused++;
    return new Ctor(buffer);
  }

  /** Marks `values` (a whole buffer from {@linkcode take}) as the pool's: it returns on {@linkcode give}. */
  own(values: Values): void {
    if (
      values.byteLength >= MIN_POOLED_BYTES &&
      values.byteOffset === 0 &&
      values.byteLength === values.buffer.byteLength
    )
      this.owned.add(values.buffer);
  }

  /** The buffer behind `values` may be referenced outside the backend: never reuse it. */
  disown(values: unknown): void {
    if (ArrayBuffer.isView(values)) this.owned.delete(values.buffer);
  }

  /** The tensor holding `values` was freed: keep its buffer for reuse if the pool owns it and has room. */
  give(values: unknown): void {
    if (!ArrayBuffer.isView(values) || !this.owned.has(values.buffer)) return;
    const buffer = values.buffer as ArrayBuffer;
    this.owned.delete(buffer);
    if (this.held + buffer.byteLength > this.limit) return;
    const list = this.free.get(buffer.byteLength);
    if (list) list.push(buffer);
    else this.free.set(buffer.byteLength, [buffer]);
    this.held += buffer.byteLength;
  }

  /** Drops every held buffer (the garbage collector frees them). */
  clear(): void {
    this.free.clear();
    this.held = 0;
  }
}
