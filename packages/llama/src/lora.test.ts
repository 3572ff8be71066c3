import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, maxErrVsScale, readFixture } from "../test/fixtures.ts";
import { loadAdapter } from "./adapter_io.ts";
import { parseLlamaConfig } from "./config.ts";
import { loadLlama } from "./load_llama.ts";
import { addLora, initLoraWeights, mergeLora } from "./lora.ts";
import { resolveLoraConfig } from "./lora_config.ts";
import { randomLlama } from "./random_llama.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

const tiny = parseLlamaConfig({
  vocab_size: 16,
  hidden_size: 8,
  intermediate_size: 12,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
});

const maxAbs = (x: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(x)).dataSync()[0]!);

describe("LoRA on the Llama", () => {
  it("starts equal to the base (B = 0), trains only the adapter, shares the base with the reference view", () => {
    const start = tf.memory().numTensors;
    const m = randomLlama(tiny, { seed: 1, std: 0.5 });
    const before = tf.memory().numTensors;
    addLora(m, { r: 4, loraAlpha: 8 }, { seed: 2 });
    // 7 projections x 2 layers x (A, B)
    expect(tf.memory().numTensors - before).toBe(28);
    expect(m.trainableVariables().length).toBe(28);
    expect([...m.variables().values()].every((v) => !v.trainable)).toBe(true);
    const ids = tf.tensor2d([[1, 5, 7, 3]], [1, 4], "int32");
    const a = m.forward(ids);
    const b = m.forward(ids, { adapters: false });
    const ref = m.withAdaptersDisabled();
    const c = ref.forward(ids);
    expect(tf.tidy(() => maxAbs(tf.sub(a, b)))).toBe(0);
    expect(tf.tidy(() => maxAbs(tf.sub(b, c)))).toBe(0);
    // the view owns nothing: no new weights, and disposing it frees nothing
    const live = tf.memory().numTensors;
    ref.dispose();
    expect(tf.memory().numTensors).toBe(live);
    // gradients flow to A only through B: at init grad(A) = 0, grad(B) != 0
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.forward(ids))) as tf.Scalar);
    expect(Object.keys(grads).length).toBe(28);
    const gB = grads[m.adapterVariables().get("model.layers.0.self_attn.q_proj.lora_B.weight")!.name]!;
    const gA = grads[m.adapterVariables().get("model.layers.0.self_attn.q_proj.lora_A.weight")!.name]!;
    expect(maxAbs(gB)).toBeGreaterThan(0);
    expect(maxAbs(gA)).toBe(0);
    tf.dispose([ids, a, b, c, value, ...Object.values(grads)]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("initialises A as torch's kaiming_uniform_(a=sqrt(5)): U(-1/sqrt(in), 1/sqrt(in)), seeded", () => {
    const m = randomLlama(tiny, { seed: 1 });
    const lora = resolveLoraConfig({ r: 64, targetModules: "down_proj" });
    const w1 = initLoraWeights(m, lora, { seed: 5 });
    const w2 = initLoraWeights(m, lora, { seed: 5 });
    const a = w1.get("model.layers.0.mlp.down_proj.lora_A.weight")!;
    expect(a.shape).toEqual([64, 12]);
    const bound = 1 / Math.sqrt(12);
    let sq = 0;
    for (const x of a.data) {
      expect(Math.abs(x)).toBeLessThanOrEqual(bound);
      sq += x * x;
    }
    // variance of U(-b, b) is b²/3
    expect(sq / a.data.length).toBeCloseTo(bound ** 2 / 3, 2);
    expect(w2.get("model.layers.0.mlp.down_proj.lora_A.weight")!.data).toEqual(a.data);
    m.dispose();
  });

  it("applies seeded dropout on the branch input in training mode only", () => {
    const m = randomLlama(tiny, { seed: 1, std: 0.5 });
    addLora(m, { r: 2, loraDropout: 0.5 }, { seed: 2 });
    for (const [name, v] of m.adapterVariables())
      if (name.includes("lora_B")) v.assign(tf.randomNormal(v.shape, 0, 0.5, "float32", 3));
    const ids = tf.tensor2d([[1, 5, 7, 3]], [1, 4], "int32");
    const evalA = m.forward(ids).dataSync();
    m.setLoraDropout(11);
    const trainA = m.forward(ids).dataSync();
    const trainB = m.forward(ids).dataSync();
    m.setLoraDropout(12);
    const trainC = m.forward(ids).dataSync();
    m.setLoraDropout(undefined);
    expect(m.forward(ids).dataSync()).toEqual(evalA);
    expect(trainA).toEqual(trainB);
    expect(trainA).not.toEqual(evalA);
    expect(trainC).not.toEqual(trainA);
    ids.dispose();
    m.dispose();
  });

  it("matches PyTorch (logits 1e-5, adapter gradients 1e-4) and the merged model matches the adapter model", async () => {
    for (const [variant, base] of [
      ["gqa_all_linear", "gqa_untied"],
      ["tied_rslora_qv", "tied_llama3"],
    ] as const) {
      const model = await loadLlama(`${FIXTURES}/${base}`);
      await loadAdapter(model, `${FIXTURES}/lora/${variant}`);
      const inputs = readFixture(`${base}/expected.safetensors`);
      const exp = readFixture(`lora/${variant}/expected.safetensors`);
      const [b, t] = inputs.get("input_ids")!.shape as [number, number];
      const ids = tf.tensor2d(inputs.get("input_ids")!.data, [b, t], "int32");
      const mask = tf.tensor2d(inputs.get("attention_mask")!.data, [b, t], "int32");
      const probe = tf.tensor(inputs.get("probe")!.data, inputs.get("probe")!.shape);
      const logits = model.forward(ids, { attentionMask: mask });
      expect(maxErrVsScale(await logits.data(), exp.get("logits")!.data), variant).toBeLessThan(1e-5);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(probe, model.forward(ids, { attentionMask: mask }))) as tf.Scalar,
      );
      expect(Object.keys(grads).length).toBe(model.adapterVariables().size);
      for (const [name, v] of model.adapterVariables()) {
        const err = maxErrVsScale(await grads[v.name]!.data(), exp.get(`grad.${name}`)!.data);
        expect(err, name).toBeLessThan(1e-4);
      }
      const merged = mergeLora(model);
      const mergedLogits = merged.forward(ids, { attentionMask: mask });
      expect(maxErrVsScale(await mergedLogits.data(), exp.get("merged_logits")!.data)).toBeLessThan(1e-5);
      expect(maxErrVsScale(await mergedLogits.data(), await logits.data())).toBeLessThan(1e-5);
      tf.dispose([ids, mask, probe, logits, value, mergedLogits, ...Object.values(grads)]);
      merged.dispose();
      model.dispose();
    }
  });
});
