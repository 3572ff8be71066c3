import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, it } from "vitest";
import { maxErrVsScale } from "../test/fixtures.ts";
import { checkParity } from "../test/parity.ts";
import { parseLlamaConfig } from "./config.ts";
import { randomLlama } from "./random_llama.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

for (const variant of ["gqa_untied", "tied_llama3"]) {
  it(`matches PyTorch logits, hidden states and every weight gradient: ${variant}`, async () => {
    console.log(`cpu ${variant}: max error / scale`, await checkParity(variant));
  });
  it(`matches PyTorch with attention in blocks of 3 rows and gradient checkpointing: ${variant}`, async () => {
    const options = { attentionBlockSize: 3, gradientCheckpointing: true };
    console.log(
      `cpu ${variant} blocks+checkpointing: max error / scale`,
      await checkParity(variant, options),
    );
  });
}

describe("LlamaModel", () => {
  const config = parseLlamaConfig({
    vocab_size: 40,
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
  });

  it("keeps the tensor count flat over 50 forward/backward passes", () => {
    const model = randomLlama(config, { seed: 1, std: 0.2 });
    const ids = tf.tensor2d([1, 5, 7, 9, 2, 3, 4, 0], [2, 4], "int32");
    const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 0], [2, 4], "int32");
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.logSoftmax(model.forward(ids, { attentionMask: mask }))) as tf.Scalar,
        model.trainableVariables(),
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ids, mask]);
    model.dispose();
  });

  it("hiddenStates · lmHeadWeightᵀ equals forward", async () => {
    const model = randomLlama(config, { seed: 2, std: 0.2 });
    const ids = tf.tensor2d([[3, 1, 4, 1, 5]], [1, 5], "int32");
    const viaHidden = tf.tidy(() =>
      tf.matMul(tf.reshape(model.hiddenStates(ids), [5, 16]), model.lmHeadWeight(), false, true),
    );
    const logits = model.forward(ids);
    expect(Array.from(await logits.data())).toEqual(Array.from(await viaHidden.data()));
    tf.dispose([ids, viaHidden, logits]);
    model.dispose();
  });

  it("position ids shift RoPE: a left-padded row with shifted positions matches the unpadded row", async () => {
    const model = randomLlama(config, { seed: 3, std: 0.2 });
    const plain = model.forward(tf.tensor2d([[5, 6, 7]], [1, 3], "int32"));
    const padded = model.forward(tf.tensor2d([[0, 0, 5, 6, 7]], [1, 5], "int32"), {
      attentionMask: tf.tensor2d([[0, 0, 1, 1, 1]], [1, 5], "int32"),
      positionIds: [[0, 0, 0, 1, 2]],
    });
    const a = await plain.data();
    const b = (await padded.data()).subarray(2 * 40);
    expect(maxErrVsScale(b, a)).toBeLessThan(1e-6);
    model.dispose();
  });

  it("clones into independent Variables; validates inputs", async () => {
    const model = randomLlama(config, { seed: 4 });
    const ref = model.clone({ trainable: false });
    expect(ref.trainableVariables()).toHaveLength(0);
    expect(model.trainableVariables()).toHaveLength(model.variables().size);
    const w = model.variables().get("model.norm.weight")!;
    w.assign(tf.zerosLike(w));
    expect(Array.from(await ref.variables().get("model.norm.weight")!.data())).toEqual(new Array(16).fill(1));
    expect(() => model.forward(tf.tensor1d([1, 2], "int32") as unknown as tf.Tensor2D)).toThrow(TypeError);
    expect(() =>
      model.forward(tf.tensor2d([[1, 2]], [1, 2], "int32"), {
        attentionMask: tf.ones([1, 3]) as tf.Tensor2D,
      }),
    ).toThrow(/attentionMask/);
    ref.dispose();
    model.dispose();
  });
});
