import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { buildPairFeatures } from "@wpo/data";
import { parseLlamaConfig, randomLlama } from "@wpo/llama";
import { beforeAll, describe, expect, it } from "vitest";
import { trainSession } from "./train_session.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

describe("trainSession's LoRA switch", () => {
  it("trains only an adapter and leaves the base weights as they were", async () => {
    const model = randomLlama(
      parseLlamaConfig({
        vocab_size: 16,
        hidden_size: 8,
        intermediate_size: 12,
        num_hidden_layers: 1,
        num_attention_heads: 2,
      }),
      { seed: 1, std: 0.3 },
    );
    const before = new Map([...model.variables()].map(([n, v]) => [n, Array.from(v.dataSync())]));
    const pair = buildPairFeatures(
      { promptIds: [5], chosenIds: [6, 7], rejectedIds: [8] },
      { bosId: 1, eosId: 2 },
    );
    const steps = await trainSession(model, {
      pairs: { features: [pair, pair], padTokenId: 0 },
      steps: 3,
      batchPairs: 1,
      learningRate: 1e-1,
      beta: 0.1,
      seed: 42,
      logEvery: 1,
      loraRank: 2,
    });
    expect(steps).toHaveLength(3);
    expect(model.loraConfig()?.r).toBe(2);
    expect(model.adapterVariables().size).toBe(14);
    for (const [n, v] of model.variables()) expect(Array.from(v.dataSync()), n).toEqual(before.get(n));
    const b = model.adapterVariables().get("model.layers.0.mlp.down_proj.lora_B.weight")!;
    expect(tf.tidy(() => tf.max(tf.abs(b)).dataSync()[0]!)).toBeGreaterThan(0);
    model.dispose();
  });
});
