import * as tf from "@tensorflow/tfjs-core";
import { expect, it } from "vitest";
import { initBackend } from "./init_backend.ts";

// Own file: @wpo/blas decides once per process whether the addon loads.
it("falls back to the WebAssembly matmul when native BLAS is unavailable, with a note saying why", async () => {
  process.env.WPO_BLAS_DISABLE = "1";
  const info = await initBackend("wasm");
  expect(info.matmul).toBe("explicit-transpose");
  expect(info.notes.join(" ")).toMatch(/native BLAS unavailable \(disabled by WPO_BLAS_DISABLE=1\)/);
  const y = tf.matMul(
    tf.tensor3d([[[1, 2]], [[3, 4]]]),
    tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]),
    false,
    true,
  );
  expect(y.shape).toEqual([2, 1, 3]);
  expect(Array.from(await y.data())).toEqual([1, 2, 3, 3, 4, 7]);
});
