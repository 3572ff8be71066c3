import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSETS } from "../test/fixtures.ts";
import { generate } from "./generate.ts";
import type { LlamaModel } from "./llama_model.ts";
import { loadLlama2c } from "./load_llama2c.ts";

// assets/PROVENANCE.md: greedy decoding from BOS
const GREEDY = [
  403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337, 410,
  408, 419, 292, 411, 322, 265, 282, 295, 433, 426, 385,
];

let model: LlamaModel;
beforeAll(async () => {
  await initBackend("cpu");
  model = await loadLlama2c(`${ASSETS}/stories260K.bin`);
});
afterAll(() => model.dispose());

describe("generate", () => {
  it("reproduces the known greedy story from BOS token for token", async () => {
    const [ids] = await generate(model, [[1]], { maxNewTokens: 32, stopTokenIds: [] });
    expect(ids).toEqual(GREEDY);
  });

  it("batches prompts of different lengths exactly like one-by-one decoding", async () => {
    const prompts = [[1], [1, 403, 407, 261], [1, 385], [1, 403, 407, 261, 378, 432, 383]];
    const batched = await generate(model, prompts, { maxNewTokens: 12, stopTokenIds: [] });
    for (let i = 0; i < prompts.length; i++) {
      const [single] = await generate(model, [prompts[i]!], { maxNewTokens: 12, stopTokenIds: [] });
      expect(batched[i]).toEqual(single);
    }
    expect(batched[1]).toEqual(GREEDY.slice(3, 15));
  });

  it("is seeded: same seed same samples, top-k 1 is greedy", async () => {
    const opts = { maxNewTokens: 24, temperature: 1.5, topP: 0.95, seed: 11, stopTokenIds: [] };
    const a = await generate(model, [[1], [1], [1, 385]], opts);
    const b = await generate(model, [[1], [1], [1, 385]], opts);
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
    const c = await generate(model, [[1], [1], [1, 385]], { ...opts, seed: 12 });
    expect(c).not.toEqual(a);
    const k1 = await generate(model, [[1]], {
      maxNewTokens: 8,
      temperature: 0.7,
      topK: 1,
      seed: 3,
      stopTokenIds: [],
    });
    expect(k1[0]).toEqual(GREEDY.slice(0, 8));
  });

  it("stops at a stop token, keeping it unless asked not to", async () => {
    const [kept] = await generate(model, [[1]], { maxNewTokens: 20, stopTokenIds: [261] });
    expect(kept).toEqual([403, 407, 261]);
    const [dropped] = await generate(model, [[1]], {
      maxNewTokens: 20,
      stopTokenIds: [261],
      includeStopToken: false,
    });
    expect(dropped).toEqual([403, 407]);
    const out = await generate(model, [[1], [1, 385]], { maxNewTokens: 0 });
    expect(out).toEqual([[], []]);
  });

  it("rejects bad prompts and options", async () => {
    await expect(generate(model, [[]], { maxNewTokens: 2 })).rejects.toThrow(RangeError);
    await expect(generate(model, [[1, 9999]], { maxNewTokens: 2 })).rejects.toThrow(/outside the vocabulary/);
    await expect(generate(model, [[1]], { maxNewTokens: 2, topP: 0 })).rejects.toThrow(RangeError);
  });

  it("leaves no tensors behind", async () => {
    await generate(model, [[1], [1, 385]], { maxNewTokens: 4, temperature: 1, seed: 1 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++)
      await generate(model, [[1], [1, 385]], { maxNewTokens: 6, temperature: 1, seed: i });
    expect(tf.memory().numTensors).toBe(before);
  });
});
