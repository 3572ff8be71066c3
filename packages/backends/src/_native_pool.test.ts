import { describe, expect, it } from "vitest";
import { BufferPool } from "./_native_pool.ts";

const BIG = 1 << 16; // elements: 256 KiB of float32, above the pooling threshold

describe("BufferPool", () => {
  it("hands a freed buffer it owns to the next output of the same byte length", () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take("float32", BIG);
    pool.own(a);
    pool.give(a);
    expect(pool.pooledBytes).toBe(BIG * 4);
    const b = pool.take("int32", BIG); // same byte length, another dtype
    expect(b).toBeInstanceOf(Int32Array);
    expect(b.buffer).toBe(a.buffer);
    expect(pool.pooledBytes).toBe(0);
    expect(pool.reused).toBe(1);
  });

  it("never reuses a buffer that was disowned (read by the user, or aliased by a second tensor)", () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take("float32", BIG);
    pool.own(a);
    pool.disown(a.subarray(10, 20)); // a view of the buffer disowns it too
    pool.give(a);
    expect(pool.pooledBytes).toBe(0);
    expect(pool.take("float32", BIG).buffer).not.toBe(a.buffer);
  });

  it("ignores buffers it does not own, small buffers and views, and keeps at most `limit` bytes", () => {
    const pool = new BufferPool(BIG * 4);
    pool.give(new Float32Array(BIG)); // not from the pool
    const small = pool.take("float32", 16);
    pool.own(small);
    pool.give(small);
    expect(pool.pooledBytes).toBe(0);
    const [a, b] = [pool.take("float32", BIG), pool.take("float32", BIG)];
    pool.own(a);
    pool.own(b);
    pool.give(a);
    pool.give(b); // over the limit: dropped
    expect(pool.pooledBytes).toBe(BIG * 4);
    pool.clear();
    expect(pool.pooledBytes).toBe(0);
  });
});
