import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "./main.ts";
import { resolveTrainOptions } from "./train_options.ts";
import { toTrlConfig } from "./trl_config.ts";

/** TRL's accepted --config fields at a pinned version (tools/reference/trl_fields.sh wrote the fixture). */
const TRL = JSON.parse(
  readFileSync(new URL("../fixtures/trl_fields.json", import.meta.url), "utf8"),
) as Record<string, string[] | string>;
const TRL_FIELDS = new Set(
  ["DPOConfig", "TrainingArguments", "ScriptArguments", "ModelConfig"].flatMap((k) => TRL[k] as string[]),
);
const RECIPE = new URL("../../../recipes/llama3-8b-instruct-wpo-hb-v2.yaml", import.meta.url).pathname;

function quiet() {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: { write: () => true } } };
}

describe("wpo export trl", () => {
  it("maps the shipped recipe to TRL fields only, under TRL's names", () => {
    const options = resolveTrainOptions({ config: RECIPE, data: "x.jsonl" });
    const { config } = toTrlConfig(options, { path: "./data", hasTest: true });
    expect(TRL.trl_version).toBe("0.28.0");
    for (const key of Object.keys(config)) expect(TRL_FIELDS, `'${key}' is no TRL field`).toContain(key);
    expect(config).toMatchObject({
      use_weighting: true,
      loss_type: "sigmoid",
      beta: 0.01,
      learning_rate: 1e-6,
      lr_scheduler_type: "cosine",
      warmup_ratio: 0.1,
      num_train_epochs: 2,
      per_device_train_batch_size: 2,
      gradient_accumulation_steps: 64,
      max_length: 2048,
      max_prompt_length: 1800,
      truncation_mode: "keep_end",
      seed: 1,
      model_name_or_path: "meta-llama/Meta-Llama-3-8B-Instruct",
      dataset_name: "./data",
      dataset_test_split: "test",
      eval_strategy: "steps",
      eval_steps: 100,
      save_strategy: "steps",
      save_steps: 100,
    });
  });

  it("refuses what TRL cannot do", () => {
    const base = { data: "x.jsonl", model: "m" };
    expect(() =>
      toTrlConfig(resolveTrainOptions({ ...base, wpo_alignment: "greedy" }), { path: "d", hasTest: false }),
    ).toThrow(/wpo_alignment 'greedy'/);
    expect(() =>
      toTrlConfig(resolveTrainOptions({ ...base, loss_type: "simpo" }), { path: "d", hasTest: false }),
    ).toThrow(/not a TRL DPOTrainer loss/);
    expect(() =>
      toTrlConfig(resolveTrainOptions({ data: "x.jsonl" }), { path: "d", hasTest: false }),
    ).toThrow(/needs `model`/);
  });

  it("writes the dataset, DPOConfig, ZeRO-3 config, launch command and README", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wpo-trl-"));
    const data = join(dir, "pairs.jsonl");
    writeFileSync(
      data,
      [
        { prompt: "Hi", chosen: "Hello!", rejected: "Go away." },
        {
          chosen: [
            { role: "user", content: "2+2?" },
            { role: "assistant", content: "4" },
          ],
          rejected: [
            { role: "user", content: "2+2?" },
            { role: "assistant", content: "5" },
          ],
        },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const recipe = join(dir, "recipe.yaml");
    writeFileSync(
      recipe,
      `model: meta-llama/Meta-Llama-3-8B-Instruct\ndata: ${data}\nbeta: 0.01\nwpo_clamp: false\nnum_prompts: 4\n`,
    );
    const out = join(dir, "trl");
    const { io, lines } = quiet();
    expect(
      await runCli(["export", "trl", "--config", recipe, "--output", out, "--num_processes", "4"], io),
    ).toBe(0);
    expect(lines.join("\n")).toContain("2 training pairs");

    const rows = readFileSync(join(out, "data/train.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows[0]).toEqual({ prompt: "Hi", chosen: "Hello!", rejected: "Go away." });
    expect(rows[1].chosen[1]).toEqual({ role: "assistant", content: "4" });
    expect(existsSync(join(out, "data/test.jsonl"))).toBe(false);

    const config = parse(readFileSync(join(out, "dpo_config.yaml"), "utf8")) as Record<string, unknown>;
    for (const key of Object.keys(config)) expect(TRL_FIELDS, `'${key}' is no TRL field`).toContain(key);
    expect(config.use_weighting).toBe(true);
    expect(config.beta).toBe(0.01);
    expect(config.eval_strategy).toBe("no");

    const accelerate = parse(readFileSync(join(out, "accelerate_zero3.yaml"), "utf8")) as {
      distributed_type: string;
      deepspeed_config: { zero_stage: number };
      num_processes: number;
    };
    expect(accelerate.distributed_type).toBe("DEEPSPEED");
    expect(accelerate.deepspeed_config.zero_stage).toBe(3);
    expect(accelerate.num_processes).toBe(4);
    expect(readFileSync(join(out, "launch.sh"), "utf8")).toContain(
      "accelerate launch --config_file accelerate_zero3.yaml --num_processes 4 -m trl.scripts.dpo --config dpo_config.yaml",
    );
    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(readme).toContain("TRL 0.12 to 0.28");
    expect(readme).toContain("TRL 0.29 and later");
    expect(readme).toContain('pip install "trl>=0.29"'); // this recipe does not clamp
    expect(readme).toContain("`num_prompts`");
  });

  it("says what is missing", async () => {
    const { io } = quiet();
    await expect(runCli(["export", "trl", "--output", "x"], io)).rejects.toThrow(/needs --config/);
    await expect(runCli(["export", "onnx"], io)).rejects.toThrow(/Unknown export target 'onnx'/);
  });
});
