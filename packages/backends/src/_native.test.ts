import * as tf from "@tensorflow/tfjs-core";
import { loadBlas } from "@wpo/blas";
import { afterAll, describe, expect, it } from "vitest";
import type { NativeBackend } from "./_native_backend.ts";
import { initBackend } from "./init_backend.ts";

const built = loadBlas() !== undefined;

afterAll(async () => {
  await initBackend("cpu");
});

describe.skipIf(!built)("the native backend", () => {
  it("registers every cpu kernel plus the fused ones, with the matmul on OpenBLAS", async () => {
    const info = await initBackend("native");
    expect(info.name).toBe("native");
    expect(tf.getBackend()).toBe("native");
    expect(info.matmul).toBe("native-blas");
    expect(info.missingKernels).toEqual([]);
    expect(info.limits.threads).toBeGreaterThan(0);
    const have = new Set(tf.getKernelsForBackend("native").map((k) => k.kernelName));
    for (const k of tf.getKernelsForBackend("cpu")) expect(have.has(k.kernelName)).toBe(true);
    for (const k of ["WpoAdamWUpdate", "WpoLogitRowStats", "WpoMaskedSoftmax", "WpoRMSNorm", "WpoSwiGLU"])
      expect(info.patchedKernels).toContain(k);
  });

  it("keeps each tensor in its own typed array (no shared heap)", async () => {
    await initBackend("native");
    const backend = tf.backend() as NativeBackend;
    const a = tf.ones([4, 8]);
    const b = tf.matMul(a, a, false, true);
    const [va, vb] = [backend.typedArrayFromHeap(a), backend.typedArrayFromHeap(b)];
    expect(va.buffer).not.toBe(vb.buffer);
    expect(va.buffer.byteLength).toBe(4 * 8 * 4);
    expect(Array.from(vb.subarray(0, 3))).toEqual([8, 8, 8]);
    tf.dispose([a, b]);
  });

  it("never reuses the buffer of a tensor whose values were read, after it is disposed", async () => {
    await initBackend("native");
    const n = 1 << 16; // above the pool's threshold
    const x = tf.fill([n], 2);
    const y = tf.add(x, x); // a pooled output
    const read = y.dataSync();
    y.dispose();
    const again = tf.mul(x, x); // same size: would take y's buffer if it were pooled
    expect(read[0]).toBe(4);
    expect(again.dataSync()[0]).toBe(4);
    const z = tf.add(x, tf.scalar(1)); // an unread output's buffer does come back
    const zBuffer = (tf.backend() as NativeBackend).typedArrayFromHeap(z).buffer;
    z.dispose();
    const w = tf.sub(x, tf.scalar(1));
    expect((tf.backend() as NativeBackend).typedArrayFromHeap(w).buffer).toBe(zBuffer);
    expect(w.dataSync()[n - 1]).toBe(1);
    tf.dispose([x, again, w]);
  });

  it("differentiates with the registered gradients (matmul in every transpose form, as on cpu)", async () => {
    const grads = async (backend: "cpu" | "native") => {
      await initBackend(backend);
      const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const b = tf.tensor2d([0.5, -1, 2, 0, 1, 3], [3, 2]);
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.add(tf.matMul(x, y), tf.matMul(y, x, true, true)));
      const [ga, gb] = tf.grads(f)([a, b]);
      const out = [Array.from(await ga!.data()), Array.from(await gb!.data())];
      tf.dispose([a, b, ga!, gb!]);
      return out;
    };
    expect(await grads("native")).toEqual(await grads("cpu"));
  });

  // Zero pages: 5 x 1 GiB of untouched tf.zeros cost address space, not memory. wasm's heap stops at 4 GiB.
  it("holds more than 4 GiB of tensors at once", async () => {
    await initBackend("native");
    let blocks: tf.Tensor[];
    try {
      blocks = Array.from({ length: 5 }, () => tf.zeros([2 ** 28]));
    } catch (error) {
      console.warn(`skipped: the OS refused 5 GiB of address space (${(error as Error).message})`);
      return;
    }
    try {
      expect(tf.memory().numBytes).toBeGreaterThan(4 * 2 ** 30);
      const last = tf.slice(blocks[4]!, [2 ** 28 - 4], [4]);
      const sum = tf.add(last, tf.ones([4]));
      expect(Array.from(await sum.data())).toEqual([1, 1, 1, 1]);
      tf.dispose([last, sum]);
    } finally {
      tf.dispose(blocks);
    }
  });
});

describe.skipIf(built)("the native backend without the addon", () => {
  it("says what is missing and how to get it", async () => {
    await expect(initBackend("native")).rejects.toThrow(/@wpo\/blas/);
  });
});
