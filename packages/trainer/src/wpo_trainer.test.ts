import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { loadLlama } from "@wpo/llama";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureExpected, fixturePairs, fixtureWeights, WPO_STEPS } from "../test/fixture.ts";
import type { TrainerConfig } from "./trainer_config.ts";
import { WpoTrainer } from "./wpo_trainer.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

const expected = fixtureExpected();
const s = expected.settings;
const CONFIG: Partial<TrainerConfig> = {
  beta: s.beta as number,
  learningRate: s.learning_rate as number,
  weightDecay: s.weight_decay as number,
  maxGradNorm: s.max_grad_norm as number,
  gradientAccumulationSteps: s.gradient_accumulation_steps as number,
  perDeviceTrainBatchSize: s.pairs_per_micro_batch as number,
  warmupSteps: s.warmup_steps as number,
  lrSchedulerType: "cosine",
  numTrainEpochs: 1,
  shuffle: false,
  loggingSteps: 1,
};

function relErr(a: number, b: number, floor = 1e-6): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

describe("WpoTrainer vs PyTorch (3 steps: accumulation 2, clipping, AdamW, cosine warmup)", () => {
  it.for(["cpu", "wasm", "webgpu"] as const)("matches the PyTorch steps on %s", async (backend, ctx) => {
    try {
      await initBackend(backend);
    } catch (error) {
      // WebGPU needs Dawn (the optional `webgpu` package and Mesa); without it the case is skipped, not failed.
      await initBackend("cpu");
      ctx.skip(`no ${backend}: ${(error as Error).message}`);
    }
    const policy = await loadLlama(WPO_STEPS);
    const trainer = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: CONFIG,
    });
    expect(trainer.totalSteps).toBe(3);
    const weights = fixtureWeights();
    for (const exp of expected.steps) {
      const got = await trainer.trainStep();
      expect(got.learning_rate).toBe(exp.learning_rate);
      for (const key of [
        "loss",
        "grad_norm",
        "rewards/chosen",
        "rewards/rejected",
        "rewards/margins",
        "logps/chosen",
        "logps/rejected",
        "logits/chosen",
        "logits/rejected",
        "wpo/weight_mean",
      ]) {
        const tol = key === "grad_norm" ? 1e-4 : 1e-5;
        expect(relErr(got[key]!, exp[key]!, 1e-3), `${key} at step ${exp.step}`).toBeLessThan(tol);
      }
      expect(got["rewards/accuracies"]).toBe(exp["rewards/accuracies"]);
      let worst = 0;
      for (const [name, v] of policy.variables()) {
        const want = weights.get(`step${exp.step}.${name}`)!.data;
        const have = await v.data();
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(have[i]! - want[i]!));
      }
      expect(worst, `max |weight diff| after step ${exp.step}`).toBeLessThan(1e-5);
    }
    trainer.dispose();
    policy.dispose();
    await initBackend("cpu");
  });

  it("keeps the tensor count flat over steps", async () => {
    const policy = await loadLlama(WPO_STEPS);
    const trainer = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { ...CONFIG, numTrainEpochs: 3 },
    });
    await trainer.trainStep();
    await trainer.trainStep();
    const before = tf.memory().numTensors;
    await trainer.trainStep();
    await trainer.trainStep();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    policy.dispose();
  });
});

describe("resume", () => {
  it("a run stopped after 1 step and resumed equals the uninterrupted run (bit-exact on cpu)", async () => {
    const cfg = { ...CONFIG, numTrainEpochs: 1, saveSteps: 1, shuffle: true, seed: 5 };
    for (const mode of ["live", "precomputed"] as const) {
      const outA = mkdtempSync(join(tmpdir(), "wpo-full-"));
      const a = await loadLlama(WPO_STEPS);
      const ta = await WpoTrainer.create(a, {
        trainPairs: fixturePairs(),
        padTokenId: 0,
        config: { ...cfg, referenceMode: mode },
        outputDir: outA,
      });
      const fullRun = await ta.train();
      const outB = mkdtempSync(join(tmpdir(), "wpo-killed-"));
      const b = await loadLlama(WPO_STEPS);
      const tb = await WpoTrainer.create(b, {
        trainPairs: fixturePairs(),
        padTokenId: 0,
        config: { ...cfg, referenceMode: mode },
        outputDir: outB,
        stopAfterSteps: 1,
      });
      const part = await tb.train();
      expect(part.stopped).toBe(true);
      tb.dispose();
      b.dispose();
      const c = await loadLlama(WPO_STEPS);
      const tc = await WpoTrainer.create(c, {
        trainPairs: fixturePairs(),
        padTokenId: 0,
        config: { ...cfg, referenceMode: mode },
        outputDir: outB,
        resumeFrom: join(outB, "checkpoint-1"),
      });
      const rest = await tc.train();
      expect(rest.steps).toBe(3);
      for (const [name, v] of a.variables()) {
        expect(Array.from(await c.variables().get(name)!.data()), name).toEqual(Array.from(await v.data()));
      }
      const strip = (r: Record<string, number>[]) => r.map(({ tokens_per_second: _t, ...rest }) => rest);
      expect(strip(rest.records)).toEqual(strip(fullRun.records));
      const lines = readFileSync(join(outB, "metrics.jsonl"), "utf8").trim().split("\n");
      expect(lines).toHaveLength(3);
      for (const t of [ta, tc]) t.dispose();
      a.dispose();
      c.dispose();
    }
  });
});

describe("invariants and failures", () => {
  it("DPO (no weighting) starts at ln 2 with policy = reference, and still reports the WPO weight", async () => {
    const policy = await loadLlama(WPO_STEPS);
    const dpo = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { ...CONFIG, useWeighting: false },
    });
    const rec = await dpo.trainStep();
    expect(Math.abs(rec.loss! - Math.log(2))).toBeLessThan(1e-6);
    const step0 = expected.steps[0] ?? {};
    expect(relErr(rec["wpo/weight_mean"]!, step0["wpo/weight_mean"]!)).toBeLessThan(1e-5);
    dpo.dispose();
    policy.dispose();
  });

  it("stops with a clear message on a diverged loss and never checkpoints the bad step", async () => {
    const out = mkdtempSync(join(tmpdir(), "wpo-nan-"));
    const policy = await loadLlama(WPO_STEPS);
    const t = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: {
        ...CONFIG,
        learningRate: 1e30,
        warmupSteps: 0,
        lrSchedulerType: "constant",
        saveSteps: 1,
        maxGradNorm: 0,
      },
      outputDir: out,
    });
    await expect(t.train()).rejects.toThrow(/Training diverged at step 2: loss .*lower --learning_rate/);
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(out).filter((n) => n.startsWith("checkpoint-"))).toEqual(["checkpoint-1"]);
    t.dispose();
    policy.dispose();
  });

  it("rejects an unknown loss and an empty dataset", async () => {
    const policy = await loadLlama(WPO_STEPS);
    await expect(
      WpoTrainer.create(policy, { trainPairs: fixturePairs(), padTokenId: 0, config: { lossType: "nope" } }),
    ).rejects.toThrow(/nope/);
    await expect(WpoTrainer.create(policy, { trainPairs: [], padTokenId: 0 })).rejects.toThrow(/empty/);
    policy.dispose();
  });
});

describe("reference log-probs", () => {
  it("precomputed (cached by fingerprint) equals live; a second run hits the cache; none is reference-free", async () => {
    const out = mkdtempSync(join(tmpdir(), "wpo-ref-"));
    const first: Record<string, number>[] = [];
    const logs: string[] = [];
    for (const mode of ["live", "precomputed", "precomputed", "none"] as const) {
      const policy = await loadLlama(WPO_STEPS);
      const t = await WpoTrainer.create(policy, {
        trainPairs: fixturePairs(),
        padTokenId: 0,
        config: { ...CONFIG, referenceMode: mode },
        referenceCacheDir: join(out, "cache"),
        log: (l) => logs.push(l),
      });
      await t.trainStep();
      first.push(await t.trainStep());
      t.dispose();
      policy.dispose();
    }
    expect(first[1]).toMatchObject({ loss: first[0]!.loss, "rewards/margins": first[0]!["rewards/margins"] });
    expect(first[2]!.loss).toBe(first[1]!.loss);
    expect(logs.filter((l) => l.includes("cached")).length).toBe(1);
    expect(logs.filter((l) => l.includes("loaded from cache")).length).toBe(1);
    expect(first[3]!.loss).not.toBe(first[0]!.loss);
  });
});

describe("evaluation", () => {
  it("evaluates held-out pairs with eval_ names in precomputed mode (live reference for unseen pairs)", async () => {
    const pairs = fixturePairs();
    const policy = await loadLlama(WPO_STEPS);
    const t = await WpoTrainer.create(policy, {
      trainPairs: pairs.slice(0, 8),
      evalPairs: pairs.slice(8),
      padTokenId: 0,
      config: { ...CONFIG, referenceMode: "precomputed", evalOnStart: true },
    });
    const before = await t.evaluate();
    expect(before.eval_loss).toBeGreaterThan(0);
    expect(before["eval_rewards/margins"]).toBe(0);
    const result = await t.train();
    expect(result.evalMetrics?.["eval_wpo/weight_mean"]).toBeGreaterThan(0);
    expect(result.records.at(-1)).toHaveProperty("eval_rewards/accuracies");
    expect(result.records[0]).toMatchObject({ step: 0, eval_loss: before.eval_loss });
    t.dispose();
    policy.dispose();
  });
});
