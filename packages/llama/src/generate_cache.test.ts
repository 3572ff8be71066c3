import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, expect, it } from "vitest";
import { FIXTURES } from "../test/fixtures.ts";
import { argmax } from "./_sampling.ts";
import { generate } from "./generate.ts";
import type { LlamaModel } from "./llama_model.ts";
import { loadLlama } from "./load_llama.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

/** Greedy decoding without a cache: one full forward over the whole sequence per new token. */
async function greedyNoCache(model: LlamaModel, prompt: number[], n: number): Promise<number[]> {
  const seq = [...prompt];
  for (let i = 0; i < n; i++) {
    const logits = tf.tidy(() => {
      const all = model.forward(tf.tensor2d([seq], [1, seq.length], "int32"));
      return tf.slice(all, [0, seq.length - 1, 0], [1, 1, model.config.vocabSize]);
    });
    seq.push(argmax((await logits.data()) as Float32Array));
    logits.dispose();
  }
  return seq.slice(prompt.length);
}

for (const variant of ["gqa_untied", "tied_llama3"]) {
  it(`KV-cache generation of a left-padded batch equals full recomputation: ${variant}`, async () => {
    const model = await loadLlama(`${FIXTURES}/${variant}`);
    const prompts = [[1, 7, 9, 11, 5], [1], [1, 30, 4]];
    const batched = await generate(model, prompts, { maxNewTokens: 6, stopTokenIds: [] });
    for (let i = 0; i < prompts.length; i++) {
      expect(batched[i], `prompt ${i}`).toEqual(await greedyNoCache(model, prompts[i]!, 6));
    }
    model.dispose();
  });
}
