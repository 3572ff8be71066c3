import * as tf from "@tensorflow/tfjs-core";
import { shutdownBackend } from "@wpo/backends";
import { collatePairs } from "@wpo/data";
import { chunkedSequenceLogps, sequenceLogps } from "@wpo/losses";
import { WpoTrainer } from "@wpo/trainer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Outputs, runOnVariants, type VariantRuns } from "./_backends.ts";
import { mismatches } from "./_compare.ts";
import { tinyModel, tinyPairs } from "./_tiny_setup.ts";
import { toleranceFor } from "./_tolerances.ts";

const STEPS = 3;

/** Forward values and gradients of one batch: logits, log-probs (dense and chunked), d(weights). */
async function modelOutputs(out: Outputs): Promise<void> {
  const model = tinyModel();
  const batch = collatePairs(tinyPairs().slice(0, 2), { padTokenId: 0 });
  const shape: [number, number] = [batch.batchSize, batch.seqLen];
  const ids = tf.tensor2d(batch.inputIds, shape, "int32");
  const mask = tf.tensor2d(batch.attentionMask, shape, "int32");
  const labels = tf.tensor2d(batch.labels, shape, "int32");
  const logits = model.forward(ids, { attentionMask: mask });
  out.set("model logits", (await logits.data()) as Float32Array);
  logits.dispose();
  const vars = model.trainableVariables();
  const names = new Map([...model.variables()].map(([name, v]) => [v.name, name]));
  for (const chunked of [false, true]) {
    const tag = chunked ? "chunked" : "dense";
    let kept: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const lp = chunked
        ? chunkedSequenceLogps(
            model.hiddenStates(ids, { attentionMask: mask }),
            model.lmHeadWeight(),
            labels,
            {
              chunkSize: 5,
              alignment: "sampled",
            },
          )
        : sequenceLogps(model.forward(ids, { attentionMask: mask }), labels, { alignment: "sampled" });
      kept = [tf.keep(lp.sum), tf.keep(lp.mean), tf.keep(lp.wpoLogWeight!)];
      // A loss that weights every sequence differently, so no gradient term cancels.
      return tf.sum(tf.mul(lp.sum, tf.linspace(0.5, 1.5, batch.batchSize))) as tf.Scalar;
    }, vars);
    const [sum, mean, wpo] = await Promise.all(kept.map((k) => k.data()));
    out.set(`${tag} logps sum`, sum as Float32Array);
    out.set(`${tag} logps mean`, mean as Float32Array);
    out.set(`${tag} wpo log weight`, wpo as Float32Array);
    for (const [k, g] of Object.entries(grads))
      out.set(`${tag} grad ${names.get(k) ?? k}`, (await g.data()) as Float32Array);
    tf.dispose([value, ...kept, ...Object.values(grads)]);
  }
  tf.dispose([ids, mask, labels]);
  model.dispose();
}

/** STEPS WPO steps with the trainer (live reference, clipping, AdamW, no warmup): metrics and every weight after each. */
async function trainingOutputs(out: Outputs): Promise<void> {
  const policy = tinyModel();
  const trainer = await WpoTrainer.create(policy, {
    trainPairs: tinyPairs(),
    padTokenId: 0,
    config: {
      perDeviceTrainBatchSize: 2,
      learningRate: 2e-2,
      warmupSteps: 0, // a zero-lr first step (warmup) would hide a wrong gradient for one step
      lrSchedulerType: "constant",
      maxGradNorm: 1,
      weightDecay: 0.01,
      beta: 0.1,
      logpsChunkSize: 7,
      maxSteps: STEPS,
      shuffle: false,
    },
  });
  for (let s = 1; s <= STEPS; s++) {
    const rec = await trainer.trainStep();
    for (const key of [
      "loss",
      "grad_norm",
      "rewards/margins",
      "logps/chosen",
      "logps/rejected",
      "wpo/weight_mean",
    ]) {
      out.set(`step${s} ${key}`, new Float32Array([rec[key]!]));
    }
    for (const [name, v] of policy.variables())
      out.set(`w:step${s} ${name}`, (await v.data()) as Float32Array);
  }
  trainer.dispose();
  policy.dispose();
}

let runs: VariantRuns;
let tensorsFlat = true;
beforeAll(async () => {
  runs = await runOnVariants(async () => {
    const out: Outputs = new Map();
    const before = tf.memory().numTensors;
    await modelOutputs(out);
    await trainingOutputs(out);
    if (tf.memory().numTensors !== before) tensorsFlat = false;
    return out;
  });
}, 300_000);
afterAll(() => shutdownBackend());

const groups: [string, RegExp][] = [
  ["logits", /^model logits/],
  ["log-probs and WPO weights (dense and chunked)", /^(dense|chunked) (logps|wpo)/],
  ["every weight gradient (dense and chunked log-probs)", /^(dense|chunked) grad /],
  [`loss, grad_norm and metrics of ${STEPS} WPO steps`, /^step\d /],
  [`every weight after each of ${STEPS} AdamW steps`, /^w:step\d /],
];

describe("tiny Llama: same model, batch and seed on cpu, wasm (+/- native BLAS), native and WebGPU", () => {
  it("releases every tensor it makes on every backend", () => {
    expect(tensorsFlat).toBe(true);
    expect(runs.outputs.get("cpu")!.size).toBeGreaterThan(40);
  });
  for (const label of ["wasm+blas", "wasm", "native", "webgpu"]) {
    for (const [what, pattern] of groups) {
      it(`${label}: ${what}`, (ctx) => {
        const got = runs.outputs.get(label);
        if (!got) {
          ctx.skip(`${label} unavailable: ${runs.skipped.get(label) ?? "not selected"}`);
          return;
        }
        const want = new Map([...runs.outputs.get("cpu")!].filter(([name]) => pattern.test(name)));
        expect(want.size).toBeGreaterThan(0);
        const bad = mismatches(got, want, (name) => toleranceFor(label, name));
        expect(bad, bad.join("\n")).toEqual([]);
      });
    }
  }
});
