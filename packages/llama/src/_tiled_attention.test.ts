import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, describe, expect, it } from "vitest";
import { attentionBias } from "./_mask.ts";
import { maxErrVsScale, readFixture } from "../test/fixtures.ts";
import { tiledAttention } from "./_tiled_attention.ts";

afterAll(async () => {
  await initBackend("cpu");
});

/** The PyTorch fixture (tools/reference/attention_ref.py). */
const EXPECTED = readFixture("attention/expected.safetensors");
const tensor = (name: string) => {
  const x = EXPECTED.get(name)!;
  return tf.tensor(x.data, x.shape, name === "attention_mask" ? "int32" : "float32");
};

describe("tiledAttention", () => {
  for (const backend of ["cpu", "wasm"] as const) {
    it(`matches PyTorch's GQA attention (causal + padding, fully masked rows) in any block size (${backend})`, async () => {
      await initBackend(backend);
      const [q, k, v, mask, probe] = ["q", "k", "v", "attention_mask", "probe"].map(tensor) as tf.Tensor4D[];
      const bias = attentionBias(37, 37, mask as unknown as tf.Tensor2D);
      const scale = 8 ** -0.5;
      for (const blockSize of [37, 16, 5, 1]) {
        const options = { bias, blockSize, scale };
        const out = tiledAttention(q!, k!, v!, options);
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.sum(
            tf.mul(probe!, tiledAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, options)),
          ),
        )([q!, k!, v!]);
        const want = ["out", "grad.q", "grad.k", "grad.v"].map((n) => EXPECTED.get(n)!.data);
        expect(maxErrVsScale(await out.data(), want[0]!), `out, blocks of ${blockSize}`).toBeLessThan(1e-5);
        for (let i = 0; i < 3; i++) {
          expect(
            maxErrVsScale(await grads[i]!.data(), want[i + 1]!),
            `grad ${"qkv"[i]}, blocks of ${blockSize}`,
          ).toBeLessThan(1e-4);
        }
        tf.dispose([out, ...grads]);
      }
      tf.dispose([q!, k!, v!, mask!, probe!, bias]);
    });
  }

  it("keeps the tensor count flat over forward + backward (wasm)", async () => {
    await initBackend("wasm");
    const q = tf.randomNormal([1, 4, 10, 8], 0, 1, "float32", 1) as tf.Tensor4D;
    const kv = tf.randomNormal([1, 2, 10, 8], 0, 1, "float32", 2) as tf.Tensor4D;
    const bias = attentionBias(10, 10);
    const once = () =>
      tf.dispose(
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(
            tiledAttention(a as tf.Tensor4D, b as tf.Tensor4D, b as tf.Tensor4D, {
              bias,
              blockSize: 3,
              scale: 0.3,
            }),
          ),
        )([q, kv]),
      );
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([q, kv, bias]);
  });
});
