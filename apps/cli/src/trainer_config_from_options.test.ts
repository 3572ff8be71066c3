import { describe, expect, it } from "vitest";
import { resolveTrainOptions } from "./train_options.ts";
import { trainerConfigFromOptions } from "./trainer_config_from_options.ts";

describe("trainerConfigFromOptions", () => {
  it("maps --metrics_read_every to metricsReadEvery, default 1", () => {
    expect(trainerConfigFromOptions(resolveTrainOptions({ data: "x.jsonl" })).metricsReadEvery).toBe(1);
    const o = resolveTrainOptions({ data: "x.jsonl", metrics_read_every: 4 });
    expect(trainerConfigFromOptions(o).metricsReadEvery).toBe(4);
  });

  it("maps --gradient_checkpointing to gradientCheckpointing, default false", () => {
    expect(trainerConfigFromOptions(resolveTrainOptions({ data: "x.jsonl" })).gradientCheckpointing).toBe(
      false,
    );
    const o = resolveTrainOptions({ data: "x.jsonl", gradient_checkpointing: true });
    expect(trainerConfigFromOptions(o).gradientCheckpointing).toBe(true);
  });
});
