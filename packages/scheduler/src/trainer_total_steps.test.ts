import { describe, expect, it } from "vitest";
import { readFixture } from "../test/fixtures.ts";
import { type TrainerStepOptions, trainerStepPlan, trainerTotalSteps } from "./trainer_total_steps.ts";

interface Row extends TrainerStepOptions {
  batchesPerDevice: number;
  updatesPerEpoch: number;
  totalSteps: number;
}

describe("trainerStepPlan / trainerTotalSteps", () => {
  it("match the HF Trainer + accelerate arithmetic on every reference row", () => {
    const rows = readFixture<Row[]>("trainer_steps.json");
    expect(rows.length).toBeGreaterThan(50);
    for (const { batchesPerDevice, updatesPerEpoch, totalSteps, ...options } of rows) {
      expect(trainerStepPlan(options), JSON.stringify(options)).toEqual({
        batchesPerDevice,
        updatesPerEpoch,
        totalSteps,
      });
      expect(trainerTotalSteps(options)).toBe(totalSteps);
    }
  });

  it("gives the WPO HB-v2 numbers for 60000 pairs", () => {
    const options = {
      datasetSize: 60000,
      perDeviceBatchSize: 2,
      gradientAccumulationSteps: 8,
      devices: 8,
      epochs: 2,
    };
    expect(trainerStepPlan(options)).toEqual({
      batchesPerDevice: 3750,
      updatesPerEpoch: 468,
      totalSteps: 936,
    });
  });

  it("uses HF defaults (3 epochs, 1 device, no accumulation) and honours maxSteps", () => {
    expect(trainerTotalSteps({ datasetSize: 10, perDeviceBatchSize: 4 })).toBe(9);
    expect(trainerTotalSteps({ datasetSize: 10, perDeviceBatchSize: 4, maxSteps: 100 })).toBe(100);
  });

  it("rejects a zero batch size and negative epochs", () => {
    expect(() => trainerTotalSteps({ datasetSize: 10, perDeviceBatchSize: 0 })).toThrow(
      /perDeviceBatchSize must be >= 1/,
    );
    expect(() => trainerTotalSteps({ datasetSize: 10, perDeviceBatchSize: 1, epochs: -1 })).toThrow(
      RangeError,
    );
  });
});
