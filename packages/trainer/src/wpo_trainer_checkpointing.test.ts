import { initBackend } from "@wpo/backends";
import { loadLlama } from "@wpo/llama";
import { afterAll, describe, expect, it } from "vitest";
import { fixturePairs, WPO_STEPS } from "../test/fixture.ts";
import type { TrainerConfig } from "./trainer_config.ts";
import { WpoTrainer } from "./wpo_trainer.ts";

afterAll(async () => {
  await initBackend("cpu");
});

const CONFIG: Partial<TrainerConfig> = {
  learningRate: 1e-3,
  gradientAccumulationSteps: 2,
  perDeviceTrainBatchSize: 1,
  numTrainEpochs: 1,
  shuffle: false,
  loggingSteps: 1,
};

/** Two optimizer steps; the step records and the weights after them. */
async function twoSteps(gradientCheckpointing: boolean) {
  const policy = await loadLlama(WPO_STEPS);
  const trainer = await WpoTrainer.create(policy, {
    trainPairs: fixturePairs(),
    padTokenId: 0,
    config: { ...CONFIG, gradientCheckpointing },
  });
  expect(policy.gradientCheckpointing).toBe(gradientCheckpointing);
  const records = [await trainer.trainStep(), await trainer.trainStep()];
  const weights = new Map<string, Float32Array>();
  for (const [name, v] of policy.variables()) weights.set(name, (await v.data()) as Float32Array);
  trainer.dispose();
  policy.dispose();
  return { records, weights };
}

describe("WpoTrainer with gradientCheckpointing", () => {
  it.for(["cpu", "wasm"] as const)("gives the same losses, grad norms and weights on %s", async (backend) => {
    await initBackend(backend);
    const plain = await twoSteps(false);
    const recomputed = await twoSteps(true);
    for (const [i, rec] of plain.records.entries()) {
      for (const key of ["loss", "grad_norm", "rewards/margins", "wpo/weight_mean"]) {
        const want = rec[key]!;
        const got = recomputed.records[i]![key]!;
        expect(Math.abs(got - want) / Math.max(Math.abs(want), 1e-6), `${key} at step ${i + 1}`).toBeLessThan(
          1e-6,
        );
      }
    }
    for (const [name, want] of plain.weights) {
      const got = recomputed.weights.get(name)!;
      let diff = 0;
      let scale = 0;
      want.forEach((w, j) => {
        diff = Math.max(diff, Math.abs(got[j]! - w));
        scale = Math.max(scale, Math.abs(w));
      });
      expect(diff / scale, name).toBeLessThan(1e-6);
    }
  });
});
