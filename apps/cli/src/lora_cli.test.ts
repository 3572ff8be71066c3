import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { loadAdapter, loadLlama, saveLlama } from "@wpo/llama";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveAsset } from "./assets_path.ts";
import { loadModel } from "./load_inputs.ts";
import { runCli } from "./main.ts";

function capture() {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: { write: () => true } } };
}

const dir = mkdtempSync(join(tmpdir(), "wpo-lora-cli-"));
const base = join(dir, "base");
const data = join(dir, "pairs.jsonl");

beforeAll(async () => {
  await initBackend("cpu");
  const m = await loadModel(undefined); // stories260K, saved as a Hugging Face folder
  await saveLlama(m, base);
  m.dispose();
  const rows = [
    ["Lily went to the park.", " She smiled and laughed.", " She was sad."],
    ["Tom had a ball.", " He had fun with his friends.", " He cried."],
    ["The sun was bright.", " Everyone was happy.", " Everyone was mad."],
    ["A dog ran.", " The dog was glad.", " The dog was scared."],
  ];
  writeFileSync(
    data,
    rows.map(([prompt, chosen, rejected]) => JSON.stringify({ prompt, chosen, rejected })).join("\n"),
  );
});

describe("wpo train --use_peft, --adapter, wpo merge", () => {
  it("trains a PEFT adapter (stop + resume), merges it, and samples/evaluates with --adapter", async () => {
    const out = join(dir, "run");
    const args = [
      "train",
      `--model=${base}`,
      `--tokenizer=${resolveAsset("tok512.bin")}`,
      `--data=${data}`,
      "--backend=cpu",
      `--output_dir=${out}`,
      "--per_device_train_batch_size=2",
      "--num_train_epochs=1",
      "--learning_rate=1e-2",
      "--save_steps=1",
      "--logging_steps=1",
      "--use_peft",
      "--lora_r=4",
      "--lora_alpha=8",
      "--lora_dropout=0.05",
      "--lora_target_modules=all-linear",
    ];
    expect(await runCli([...args, "--stop_after_steps=1"], capture().io)).toBe(0);
    const ck = join(out, "checkpoint-1");
    expect(existsSync(join(ck, "adapter_model.safetensors"))).toBe(true);
    expect(existsSync(join(ck, "model.safetensors"))).toBe(false);
    const baseJson = JSON.parse(readFileSync(join(ck, "base_model.json"), "utf8"));
    expect(baseJson.path).toBe(base);
    expect(baseJson.hash).toMatch(/^[0-9a-f]{16}$/);
    const resumed = capture();
    expect(await runCli([...args, "--resume"], resumed.io)).toBe(0);
    expect(resumed.lines.join("\n")).toMatch(/resumed from .*checkpoint-1 at step 1/);
    const cfg = JSON.parse(readFileSync(join(out, "adapter_config.json"), "utf8"));
    expect(cfg).toMatchObject({ peft_type: "LORA", r: 4, lora_alpha: 8, base_model_name_or_path: base });

    const merged = join(dir, "merged");
    expect(
      await runCli(
        ["merge", `--model=${base}`, `--adapter=${out}`, `--output=${merged}`, "--backend=cpu"],
        capture().io,
      ),
    ).toBe(0);
    const a = await loadLlama(base);
    await loadAdapter(a, out);
    const m = await loadLlama(merged);
    expect(m.loraConfig()).toBeUndefined();
    const ids = tf.tensor2d([[1, 403, 407, 261, 378]], [1, 5], "int32");
    const la = a.forward(ids).dataSync();
    const lm = m.forward(ids).dataSync();
    const lb = a.forward(ids, { adapters: false }).dataSync();
    let scale = 0;
    let err = 0;
    let moved = 0;
    for (let i = 0; i < la.length; i++) {
      scale = Math.max(scale, Math.abs(la[i]!));
      err = Math.max(err, Math.abs(la[i]! - lm[i]!));
      moved = Math.max(moved, Math.abs(la[i]! - lb[i]!));
    }
    expect(err / scale).toBeLessThan(1e-5);
    expect(moved).toBeGreaterThan(0); // the adapter did train
    ids.dispose();
    a.dispose();
    m.dispose();

    const samples = join(dir, "samples.jsonl");
    const tok = `--tokenizer=${resolveAsset("tok512.bin")}`;
    expect(
      await runCli(
        [
          "sample",
          `--model=${base}`,
          `--adapter=${out}`,
          tok,
          "--num_prompts=2",
          "--num_samples=2",
          "--max_new_tokens=4",
          `--output=${samples}`,
          "--backend=cpu",
        ],
        capture().io,
      ),
    ).toBe(0);
    expect(readFileSync(samples, "utf8").trim().split("\n")).toHaveLength(2);
    const ev = capture();
    expect(
      await runCli(
        [
          "eval",
          `--model=${base}`,
          `--adapter=${out}`,
          tok,
          `--data=${data}`,
          "--win_rate=false",
          "--backend=cpu",
        ],
        ev.io,
      ),
    ).toBe(0);
    expect(ev.lines.join("\n")).toMatch(/eval_rewards\/accuracies/);
  });

  it("reports bad LoRA input naming the option, the file and the tensor", async () => {
    const base_args = [
      "train",
      `--model=${base}`,
      `--tokenizer=${resolveAsset("tok512.bin")}`,
      `--data=${data}`,
      "--backend=cpu",
      "--use_peft",
    ];
    await expect(runCli([...base_args, "--lora_r=0"], capture().io)).rejects.toThrow(
      /--lora_\*: r must be an integer >= 1, got 0/,
    );
    await expect(
      runCli([...base_args, "--lora_target_modules=q_proj,qkv_proj"], capture().io),
    ).rejects.toThrow(/unknown target module 'qkv_proj'/);
    const empty = mkdtempSync(join(tmpdir(), "wpo-no-adapter-"));
    await expect(
      runCli(
        ["merge", `--model=${base}`, `--adapter=${empty}`, `--output=${join(dir, "x")}`, "--backend=cpu"],
        capture().io,
      ),
    ).rejects.toThrow(`${join(empty, "adapter_config.json")} is missing`);
  });
});
