import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, expect, it } from "vitest";
import { ASSETS, maxErrVsScale, readFixture } from "../test/fixtures.ts";
import { loadLlama2c } from "./load_llama2c.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

it("imports stories260K and matches PyTorch logits on BOS + 32 greedy tokens", async () => {
  const model = await loadLlama2c(`${ASSETS}/stories260K.bin`);
  expect(model.config).toMatchObject({
    vocabSize: 512,
    hiddenSize: 64,
    intermediateSize: 172,
    numHiddenLayers: 5,
    numAttentionHeads: 8,
    numKeyValueHeads: 4,
    headDim: 8,
    tieWordEmbeddings: true,
    maxPositionEmbeddings: 512,
  });
  expect(model.variables().has("lm_head.weight")).toBe(false);
  const exp = readFixture("stories260K_logits.safetensors");
  const ids = exp.get("input_ids")!;
  const input = tf.tensor2d(ids.data, [1, ids.data.length], "int32");
  const logits = model.forward(input);
  const got = await logits.data();
  expect(maxErrVsScale(got, exp.get("logits")!.data)).toBeLessThan(1e-5);
  // PROVENANCE.md: top logits at position 0 are 403 17.0235, 385 15.4062, 410 13.1083
  const row = Array.from(got.subarray(0, 512));
  const top = row
    .map((v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3);
  expect(top.map(([, i]) => i)).toEqual([403, 385, 410]);
  expect(top.map(([v]) => Number(v.toFixed(4)))).toEqual([17.0235, 15.4062, 13.1083]);
  tf.dispose([input, logits]);
  model.dispose();
});

it("accepts bytes and rejects a truncated file", async () => {
  const bytes = new Uint8Array(readFileSync(`${ASSETS}/stories260K.bin`));
  const model = await loadLlama2c(bytes, { trainable: false });
  expect(model.trainableVariables()).toHaveLength(0);
  model.dispose();
  await expect(loadLlama2c(bytes.subarray(0, 5000))).rejects.toThrow(RangeError);
});
