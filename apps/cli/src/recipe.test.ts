import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readConfigFile } from "./train_options.ts";

describe("recipe", () => {
  it("the shipped HB-v2 recipe parses and matches the published settings", () => {
    const path = fileURLToPath(
      new URL("../../../recipes/llama3-8b-instruct-wpo-hb-v2.yaml", import.meta.url),
    );
    const r = readConfigFile(path);
    expect(r).toMatchObject({
      beta: 0.01,
      learning_rate: 1e-6,
      lr_scheduler_type: "cosine",
      warmup_ratio: 0.1,
      num_train_epochs: 2,
      max_length: 2048,
      max_prompt_length: 1800,
      use_weighting: true,
      loss_type: "sigmoid",
    });
    expect((r.per_device_train_batch_size as number) * (r.gradient_accumulation_steps as number)).toBe(128);
  });
});
