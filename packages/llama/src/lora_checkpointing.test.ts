import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { describe, expect, it } from "vitest";
import { parseLlamaConfig } from "./config.ts";
import { addLora } from "./lora.ts";
import { randomLlama } from "./random_llama.ts";

const tiny = parseLlamaConfig({
  vocab_size: 16,
  hidden_size: 8,
  intermediate_size: 12,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
});

/** Adapter gradients of a LoRA model (B randomised so that A gets gradients too), with and without recomputation. */
function adapterGrads(checkpointing: boolean, blockSize: number): Map<string, Float32Array> {
  const m = randomLlama(tiny, { seed: 1, std: 0.5 });
  addLora(m, { r: 4, loraAlpha: 8, loraDropout: 0.2 }, { seed: 2 });
  for (const [name, v] of m.adapterVariables()) {
    if (name.endsWith("lora_B.weight")) v.assign(tf.randomNormal(v.shape, 0, 0.3, "float32", 5));
  }
  m.setLoraDropout(11);
  const ids = tf.tensor2d([[1, 5, 7, 3, 2, 9]], [1, 6], "int32");
  const { value, grads } = tf.variableGrads(
    () =>
      tf.sum(
        tf.square(m.forward(ids, { gradientCheckpointing: checkpointing, attentionBlockSize: blockSize })),
      ) as tf.Scalar,
  );
  const out = new Map<string, Float32Array>();
  for (const [name, v] of m.adapterVariables()) out.set(name, grads[v.name]!.dataSync() as Float32Array);
  expect(Object.keys(grads).length).toBe(m.adapterVariables().size);
  tf.dispose([ids, value, ...Object.values(grads)]);
  m.dispose();
  return out;
}

describe("LoRA with gradient checkpointing and blocked attention", () => {
  for (const backend of ["cpu", "wasm"] as const) {
    it(`gives the adapters the same gradients, dropout included (${backend})`, async () => {
      await initBackend(backend);
      const plain = adapterGrads(false, 0);
      for (const [ckpt, block] of [
        [true, 0],
        [true, 2],
        [false, 2],
      ] as const) {
        const other = adapterGrads(ckpt, block);
        for (const [name, g] of plain) {
          const h = other.get(name)!;
          const scale = Math.max(...g.map(Math.abs));
          expect(scale).toBeGreaterThan(0);
          const err = Math.max(...g.map((x, i) => Math.abs(x - h[i]!)));
          expect(err / scale, `${name} ckpt=${ckpt} block=${block}`).toBeLessThanOrEqual(block ? 1e-5 : 1e-6);
        }
      }
    });
  }
});
