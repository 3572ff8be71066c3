import * as tf from "@tensorflow/tfjs-core";
import { loadBlas } from "@wpo/blas";
import { describe, expect, it } from "vitest";
import { initBackend, WASM_AUTO_LIMIT_BYTES, WASM_HEAP_MAX_BYTES } from "./init_backend.ts";

describe("initBackend", () => {
  it("rejects unknown names with the list of valid ones", async () => {
    await expect(initBackend("metal" as never)).rejects.toThrow(RangeError);
    await expect(initBackend("metal" as never)).rejects.toThrow(
      /cpu, wasm, native, webgpu, tensorflow, auto/,
    );
  });

  it("names the package to install when tfjs-node is absent", async () => {
    await expect(initBackend("tensorflow")).rejects.toThrow(/pnpm add @tensorflow\/tfjs-node/);
  });

  it("registers gradients, so tf.grad works", async () => {
    await initBackend("cpu");
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2, 3]));
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
  });

  it("auto picks the CPU (native in Node with the addon, else wasm) on a machine with only a software WebGPU adapter", async () => {
    const info = await initBackend("auto");
    expect(["native", "wasm", "webgpu", "tensorflow"]).toContain(info.name);
    if (info.name === "native" || info.name === "wasm") expect(info.name).toBe(loadBlas() ? "native" : "wasm");
    expect(info.requested).toBe("auto");
    expect(info.notes.length).toBeGreaterThan(0);
  });

  it("auto says when a run needs more than wasm's heap holds, and picks native for it where it can", async () => {
    expect(WASM_AUTO_LIMIT_BYTES).toBeLessThan(WASM_HEAP_MAX_BYTES);
    const big = await initBackend("auto", { requiredBytes: 5 * 2 ** 30 });
    if (big.name === "native" || big.name === "wasm") {
      // no tfjs-node, no hardware WebGPU here: the CPU choice decides
      expect(big.name).toBe(loadBlas() ? "native" : "wasm");
      expect(big.notes.join(" ")).toMatch(/needs 5\.00 GiB, over wasm's 3\.60 GiB/);
      const opted = await initBackend("auto", { requiredBytes: 5 * 2 ** 30, nativeBlas: false });
      expect(opted.name).toBe("wasm");
      expect(opted.notes.join(" ")).toMatch(/likely run out of memory/);
    }
  });

  it("makes wasm's Identity (tfjs's clone of saved tensors) share the buffer instead of copying", async () => {
    await initBackend("wasm");
    const x = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numDataBuffers;
    const c = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(before); // the clone shares x's buffer
    const same = tf.cast(x, "float32");
    expect(tf.memory().numDataBuffers).toBe(before); // so does a cast to the same dtype
    const ints = tf.cast(x, "int32");
    expect(ints.dtype).toBe("int32");
    expect(Array.from(await ints.data())).toEqual([1, 2, 3]);
    tf.dispose([same, ints]);
    x.dispose();
    expect(Array.from(await c.data())).toEqual([1, 2, 3]);
    c.dispose();
  });

  it("reports the wasm kernels it added", async () => {
    const info = await initBackend("wasm");
    expect(info.patchedKernels.concat(tf.getKernelsForBackend("wasm").map((k) => k.kernelName))).toContain(
      "UnsortedSegmentSum",
    );
  });
});
