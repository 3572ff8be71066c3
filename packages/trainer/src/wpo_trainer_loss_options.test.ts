import { initBackend } from "@wpo/backends";
import { loadLlama } from "@wpo/llama";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePairs, WPO_STEPS } from "../test/fixture.ts";
import type { TrainerConfig } from "./trainer_config.ts";
import { WpoTrainer } from "./wpo_trainer.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

/** The loss of the first step (policy = reference, no WPO weighting) with these settings. */
async function firstLoss(config: Partial<TrainerConfig>): Promise<number> {
  const policy = await loadLlama(WPO_STEPS);
  const trainer = await WpoTrainer.create(policy, {
    trainPairs: fixturePairs(),
    padTokenId: 0,
    config: {
      perDeviceTrainBatchSize: 2,
      shuffle: false,
      useWeighting: false,
      learningRate: 1e-3,
      ...config,
    },
  });
  const record = await trainer.trainStep();
  trainer.dispose();
  policy.dispose();
  return record.loss!;
}

describe("loss options from the trainer config", () => {
  it("SimPO runs with its own beta 2.0 unless beta is set", async () => {
    const byDefault = await firstLoss({ lossType: "simpo" });
    expect(byDefault).toBe(await firstLoss({ lossType: "simpo", beta: 2 }));
    expect(byDefault).not.toBe(await firstLoss({ lossType: "simpo", beta: 0.1 }));
    const ratio = await firstLoss({ lossType: "simpo", lossOptions: { gammaBetaRatio: 0.5 } });
    expect(ratio).toBeGreaterThan(byDefault); // a larger target margin costs more
  });

  it("a mixture sigmoid,sft (RPO) is the weighted sum of its terms", async () => {
    const sft = await firstLoss({ lossType: "sft" });
    expect(await firstLoss({ lossType: "sigmoid,sft", lossWeights: [1, 1] })).toBeCloseTo(Math.LN2 + sft, 5);
    expect(await firstLoss({ lossType: "sigmoid,sft", lossWeights: [1, 0.5] })).toBeCloseTo(
      Math.LN2 + 0.5 * sft,
      5,
    );
  });

  it("rejects an option the loss does not have", async () => {
    const policy = await loadLlama(WPO_STEPS);
    await expect(
      WpoTrainer.create(policy, {
        trainPairs: fixturePairs(),
        padTokenId: 0,
        config: { lossType: "ipo", lossOptions: { discopopTau: 1 } },
      }),
    ).rejects.toThrow(/Loss 'ipo' has no option 'discopopTau'/);
    policy.dispose();
  });
});
