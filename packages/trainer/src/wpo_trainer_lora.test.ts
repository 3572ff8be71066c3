import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { checkpointIdentity, type LlamaModel, loadAdapter, loadLlama } from "@wpo/llama";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePairs, WPO_STEPS } from "../test/fixture.ts";
import type { TrainerConfig } from "./trainer_config.ts";
import { WpoTrainer } from "./wpo_trainer.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

const CONFIG: Partial<TrainerConfig> = {
  beta: 0.1,
  learningRate: 0.03,
  weightDecay: 0.01,
  maxGradNorm: 0.1,
  gradientAccumulationSteps: 2,
  perDeviceTrainBatchSize: 2,
  warmupSteps: 1,
  lrSchedulerType: "cosine",
  numTrainEpochs: 1,
  shuffle: true,
  seed: 5,
  loggingSteps: 1,
};
const LORA = { r: 4, loraAlpha: 8, loraDropout: 0.1, targetModules: "all-linear" };

async function snapshot(vars: Map<string, tf.Variable>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [n, v] of vars) out.set(n, Array.from(await v.data()));
  return out;
}

describe("LoRA training", () => {
  it("trains only the adapter against the adapter-off base: one copy of the weights, AdamW state only for the adapter", async () => {
    const policy = await loadLlama(WPO_STEPS);
    const baseBefore = await snapshot(policy.variables());
    const baseBytes = [...policy.variables().values()].reduce((a, v) => a + v.size * 4, 0);
    const mem0 = tf.memory();
    const trainer = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { ...CONFIG, useWeighting: false },
      lora: LORA,
    });
    const adapterVars = policy.adapterVariables();
    const adapterElems = [...adapterVars.values()].reduce((a, v) => a + v.size, 0);
    // 2 layers x 7 projections x (A, B); nothing else is trainable
    expect(adapterVars.size).toBe(28);
    expect(policy.trainableVariables()).toHaveLength(28);
    // no reference clone: creating the trainer added exactly the adapter tensors
    expect(tf.memory().numTensors - mem0.numTensors).toBe(28);
    expect(tf.memory().numBytes - mem0.numBytes).toBe(adapterElems * 4);
    // DPO at step 1: policy (B = 0) equals the reference, so the loss is ln 2
    const rec = await trainer.trainStep();
    expect(Math.abs(rec.loss! - Math.log(2))).toBeLessThan(1e-6);
    // after one step: + AdamW's m and v for each adapter tensor only (and its step counter, if any)
    const grown = tf.memory().numBytes - mem0.numBytes;
    expect(grown).toBeGreaterThanOrEqual(3 * adapterElems * 4);
    expect(grown).toBeLessThan(3 * adapterElems * 4 + 64);
    // full fine-tuning of the same model for comparison: a reference clone + m and v of every weight
    const full = await loadLlama(WPO_STEPS);
    const mem1 = tf.memory();
    const fullTrainer = await WpoTrainer.create(full, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { ...CONFIG, useWeighting: false },
    });
    await fullTrainer.trainStep();
    expect(tf.memory().numBytes - mem1.numBytes).toBeGreaterThanOrEqual(3 * baseBytes);
    fullTrainer.dispose();
    full.dispose();
    await trainer.trainStep(); // step 1 has lr 0 (warmup); step 2 moves the adapter
    // the base is untouched, the adapter moved
    const baseAfter = await snapshot(policy.variables());
    for (const [n, v] of baseBefore) expect(baseAfter.get(n), n).toEqual(v);
    const b0 = adapterVars.get("model.layers.0.self_attn.q_proj.lora_B.weight")!;
    expect(tf.tidy(() => tf.max(tf.abs(b0)).dataSync()[0]!)).toBeGreaterThan(0);
    trainer.dispose();
    policy.dispose();
  });

  it("runs every kind of loss (with and without a reference) and WPO weighting", async () => {
    for (const lossType of ["sigmoid", "ipo", "hinge", "simpo", "orpo"]) {
      const policy = await loadLlama(WPO_STEPS);
      const trainer = await WpoTrainer.create(policy, {
        trainPairs: fixturePairs(),
        padTokenId: 0,
        config: { ...CONFIG, lossType, maxSteps: 2 },
        lora: { r: 2, targetModules: ["q_proj", "v_proj"] },
      });
      const recs = await trainer.trainSteps(2);
      expect(
        recs.every((r) => Number.isFinite(r.loss!)),
        lossType,
      ).toBe(true);
      expect(recs[0]!["wpo/weight_mean"]).toBeGreaterThan(0);
      trainer.dispose();
      policy.dispose();
    }
  });

  it("checkpoints hold the adapter (PEFT files), its optimizer state and the base identity; resume equals the uninterrupted run", async () => {
    const baseModel = await checkpointIdentity(WPO_STEPS);
    for (const mode of ["live", "precomputed"] as const) {
      const cfg = { ...CONFIG, saveSteps: 1, referenceMode: mode };
      const run = async (out: string, extra: { stopAfterSteps?: number; resumeFrom?: string }) => {
        const policy = await loadLlama(WPO_STEPS);
        const trainer = await WpoTrainer.create(policy, {
          trainPairs: fixturePairs(),
          padTokenId: 0,
          config: cfg,
          outputDir: out,
          lora: LORA,
          baseModel,
          ...extra,
        });
        const result = await trainer.train();
        trainer.dispose();
        return { policy, result };
      };
      const outA = mkdtempSync(join(tmpdir(), "wpo-lora-full-"));
      const a = await run(outA, {});
      const outB = mkdtempSync(join(tmpdir(), "wpo-lora-killed-"));
      const b = await run(outB, { stopAfterSteps: 1 });
      expect(b.result.stopped).toBe(true);
      b.policy.dispose();
      const ck = join(outB, "checkpoint-1");
      for (const f of [
        "adapter_model.safetensors",
        "adapter_config.json",
        "base_model.json",
        "optimizer.safetensors",
      ])
        expect(existsSync(join(ck, f)), f).toBe(true);
      expect(existsSync(join(ck, "model.safetensors"))).toBe(false);
      const c = await run(outB, { resumeFrom: ck });
      expect(c.result.steps).toBe(a.result.steps);
      for (const [name, v] of a.policy.adapterVariables()) {
        expect(Array.from(await c.policy.adapterVariables().get(name)!.data()), name).toEqual(
          Array.from(await v.data()),
        );
      }
      const strip = (r: Record<string, number>[]) => r.map(({ tokens_per_second: _t, ...rest }) => rest);
      expect(strip(c.result.records)).toEqual(strip(a.result.records));
      // the checkpoint is a PEFT adapter folder too
      const peft = await loadLlama(WPO_STEPS);
      await loadAdapter(peft, join(outA, `checkpoint-${a.result.steps}`));
      const ids = tf.tensor2d([[3, 4, 5]], [1, 3], "int32");
      const same = (m: LlamaModel) => m.forward(ids).dataSync();
      expect(same(peft)).toEqual(same(a.policy));
      ids.dispose();
      for (const m of [a.policy, c.policy, peft]) m.dispose();
    }
  });

  it("refuses to resume on another base or with another adapter", async () => {
    const out = mkdtempSync(join(tmpdir(), "wpo-lora-base-"));
    const policy = await loadLlama(WPO_STEPS);
    const t = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { ...CONFIG, maxSteps: 1 },
      outputDir: out,
      lora: LORA,
      baseModel: { path: "/a/base", hash: "0123456789abcdef" },
    });
    await t.train();
    t.dispose();
    policy.dispose();
    const again = async (extra: object) => {
      const p = await loadLlama(WPO_STEPS);
      try {
        await WpoTrainer.create(p, {
          trainPairs: fixturePairs(),
          padTokenId: 0,
          config: { ...CONFIG, maxSteps: 1 },
          resumeFrom: join(out, "checkpoint-1"),
          ...extra,
        });
      } finally {
        p.dispose();
      }
    };
    await expect(
      again({ lora: LORA, baseModel: { path: "/b/base", hash: "fedcba9876543210" } }),
    ).rejects.toThrow(/trained on base '\/a\/base' \(hash 0123456789abcdef\)/);
    await expect(again({ lora: { ...LORA, r: 8 } })).rejects.toThrow(/holds a LoRA adapter/);
  });
});
