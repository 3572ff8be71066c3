import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { loadLlama } from "@wpo/llama";
import { AdamW } from "@wpo/optim";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fixturePairs, WPO_STEPS } from "../test/fixture.ts";
import type { MetricRecord } from "./metrics_log.ts";
import { resolveTrainerConfig, type TrainerConfig } from "./trainer_config.ts";
import type { TrainerOptimizer } from "./trainer_optimizer.ts";
import { WpoTrainer } from "./wpo_trainer.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

afterEach(() => {
  vi.restoreAllMocks();
});

// The fixture's tiny Llama and pairs: 3 steps per epoch (2 micro-batches of 2 pairs each).
const CONFIG: Partial<TrainerConfig> = {
  beta: 0.1,
  learningRate: 0.03,
  weightDecay: 0.01,
  maxGradNorm: 0.1,
  gradientAccumulationSteps: 2,
  perDeviceTrainBatchSize: 2,
  warmupSteps: 1,
  lrSchedulerType: "cosine",
  numTrainEpochs: 2,
  shuffle: true,
  seed: 3,
};

/** Records without the wall-clock figure (it cannot repeat between runs). */
function stripClock(records: MetricRecord[]): MetricRecord[] {
  return records.map(({ tokens_per_second: _t, ...rest }) => rest);
}

async function weightsOf(policy: Awaited<ReturnType<typeof loadLlama>>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [name, v] of policy.variables()) out.set(name, Array.from(await v.data()));
  return out;
}

describe("metricsReadEvery", () => {
  it("is validated and defaults to 1", () => {
    expect(resolveTrainerConfig().metricsReadEvery).toBe(1);
    expect(() => resolveTrainerConfig({ metricsReadEvery: 0 })).toThrow(
      /metricsReadEvery must be an integer >= 1/,
    );
    expect(() => resolveTrainerConfig({ metricsReadEvery: 1.5 })).toThrow(/metricsReadEvery/);
  });

  it("N=4 gives bit-identical weights, records and metrics.jsonl to N=1 over 6 steps, with 2 reads instead of 18", async () => {
    const runs: {
      weights: Map<string, number[]>;
      steps: MetricRecord[];
      train: MetricRecord[];
      jsonl: MetricRecord[];
    }[] = [];
    const reads: number[] = [];
    for (const every of [1, 4]) {
      const config = { ...CONFIG, metricsReadEvery: every };
      // trainSteps: every step's record.
      const a = await loadLlama(WPO_STEPS);
      const ta = await WpoTrainer.create(a, { trainPairs: fixturePairs(), padTokenId: 0, config });
      const spy = vi.spyOn(tf.Tensor.prototype, "data");
      const steps = await ta.trainSteps(6);
      reads.push(spy.mock.calls.length);
      spy.mockRestore();
      expect(ta.step).toBe(6);
      const weights = await weightsOf(a);
      ta.dispose();
      a.dispose();
      // train(): logging every 5 steps, a checkpoint at the end, the JSONL file.
      const out = mkdtempSync(join(tmpdir(), `wpo-read-every-${every}-`));
      const b = await loadLlama(WPO_STEPS);
      const tb = await WpoTrainer.create(b, {
        trainPairs: fixturePairs(),
        padTokenId: 0,
        config: { ...config, loggingSteps: 5 },
        outputDir: out,
      });
      const result = await tb.train();
      expect(result.steps).toBe(6);
      expect(await weightsOf(b)).toEqual(weights);
      const jsonl = readFileSync(join(out, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as MetricRecord);
      expect(readdirSync(out).filter((n) => n.startsWith("checkpoint-"))).toEqual(["checkpoint-6"]);
      tb.dispose();
      b.dispose();
      runs.push({ weights, steps, train: result.records, jsonl });
    }
    const [one, four] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(reads).toEqual([18, 2]); // N=1: grad norm + 2 metric vectors per step; N=4: one read at step 4 and 6
    for (const [name, w] of one.weights) expect(four.weights.get(name), name).toEqual(w);
    expect(four.steps).toHaveLength(6);
    expect(stripClock(four.steps)).toEqual(stripClock(one.steps));
    expect(one.train.map((r) => r.step)).toEqual([5, 6]);
    expect(stripClock(four.train)).toEqual(stripClock(one.train));
    expect(stripClock(four.jsonl)).toEqual(stripClock(one.jsonl));
  });

  it("keeps the tensor count flat with N=4", async () => {
    const policy = await loadLlama(WPO_STEPS);
    const trainer = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { ...CONFIG, numTrainEpochs: 4, metricsReadEvery: 4 },
    });
    await trainer.trainSteps(2);
    const before = tf.memory().numTensors;
    await trainer.trainSteps(4);
    expect(tf.memory().numTensors).toBe(before);
    await trainer.trainSteps(5);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    policy.dispose();
  });

  it("a NaN found at a deferred read throws, names the step, and leaves no checkpoint past the last verified one", async () => {
    const out = mkdtempSync(join(tmpdir(), "wpo-read-every-nan-"));
    const policy = await loadLlama(WPO_STEPS);
    const before = tf.memory().numTensors;
    const adam = new AdamW(policy.variables(), { lr: 0.03 });
    let calls = 0;
    // The 5th update poisons the weights with NaN, so step 6's loss is NaN.
    const poisoning: TrainerOptimizer = {
      step(grads, options) {
        calls++;
        if (calls !== 5) return adam.step(grads, options);
        const bad = new Map([...grads].map(([k, g]) => [k, tf.mul(g, Number.NaN)] as const));
        adam.step(bad, options);
        tf.dispose([...bad.values()]);
      },
      state: () => adam.state(),
      loadState: (s) => adam.loadState(s as Parameters<AdamW["loadState"]>[0]),
      dispose: () => adam.dispose(),
    };
    const t = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { ...CONFIG, numTrainEpochs: 3, saveSteps: 4, loggingSteps: 100, metricsReadEvery: 4 },
      outputDir: out,
      optimizer: poisoning,
    });
    await expect(t.train()).rejects.toThrow(
      /Training diverged at step 6: loss NaN.*metricsReadEvery > 1.*steps 6\.\.8 were applied in memory.*no checkpoint holding step 6 or later.*lower --learning_rate/,
    );
    expect(calls).toBe(8); // steps 5-8 ran before the read at step 8 found step 6
    expect(t.step).toBe(8);
    expect(readdirSync(out).filter((n) => n.startsWith("checkpoint-"))).toEqual(["checkpoint-4"]);
    await expect(t.saveCheckpoint()).rejects.toThrow(/Training diverged at step 6/);
    await expect(t.trainSteps(1)).rejects.toThrow(/Training diverged at step 6/);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before); // queued scalars and optimizer moments were freed
    policy.dispose();
  });
});
