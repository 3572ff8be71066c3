import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { parseLlamaConfig, randomLlama, saveLlama } from "@wpo/llama";
import { describe, expect, it } from "vitest";
import { writeTinyRewardModel } from "../test/tiny_reward_model.ts";
import { resolveAsset } from "./assets_path.ts";
import { runCli } from "./main.ts";

describe("the hybrid pipeline end to end on tiny random models", () => {
  it("sample -> score -> pairs -> train -> generate -> judge, each file in its documented format", async () => {
    await initBackend("cpu");
    const dir = mkdtempSync(join(tmpdir(), "wpo-e2e-"));
    const policy = join(dir, "policy");
    const chat = randomLlama(
      parseLlamaConfig({
        vocab_size: 512,
        hidden_size: 16,
        intermediate_size: 32,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        tie_word_embeddings: true,
      }),
      { seed: 3, std: 0.3 },
    );
    await saveLlama(chat, policy);
    chat.dispose();
    const rm = join(dir, "rm");
    await writeTinyRewardModel(rm);
    const tok = resolveAsset("tok512.bin");
    const common = ["--tokenizer", tok, "--chat_template", "hh", "--backend", "cpu"];
    const io = { out: () => {}, err: { write: () => true } };
    const f = (n: string) => join(dir, n);
    const instructions = ["Tell me a story.", "Say something kind.", "What is a cat?"];
    writeFileSync(f("prompts.jsonl"), instructions.map((prompt) => JSON.stringify({ prompt })).join("\n"));
    writeFileSync(
      f("alpaca_eval.json"),
      JSON.stringify(instructions.map((instruction) => ({ instruction, dataset: "tiny" }))),
    );

    await runCli(
      [
        "sample",
        "--model",
        policy,
        ...common,
        "--prompts",
        f("prompts.jsonl"),
        "--num_samples",
        "4",
        "--max_new_tokens",
        "8",
        "--output",
        f("samples.jsonl"),
      ],
      io,
    );
    const sample = JSON.parse(readFileSync(f("samples.jsonl"), "utf8").split("\n")[0]!);
    expect(Object.keys(sample).sort()).toEqual(["prompt", "prompt_ids", "responses", "templated"]);
    expect(sample.responses[0]).toHaveProperty("ids");

    await runCli(
      [
        "score",
        "--input",
        f("samples.jsonl"),
        "--reward_model",
        rm,
        ...common,
        "--output",
        f("scored.jsonl"),
      ],
      io,
    );
    await runCli(["pairs", "--input", f("scored.jsonl"), "--output", f("pairs.jsonl")], io);
    const pair = JSON.parse(readFileSync(f("pairs.jsonl"), "utf8").split("\n")[0]!);
    for (const k of [
      "prompt",
      "chosen",
      "rejected",
      "chosen_score",
      "rejected_score",
      "chosen_source",
      "rejected_source",
      "chosen_ids",
      "rejected_ids",
    ])
      expect(pair, k).toHaveProperty(k);
    expect(Array.isArray(pair.chosen)).toBe(true);

    const out = f("run");
    await runCli(
      [
        "train",
        "--model",
        policy,
        ...common,
        "--data",
        f("pairs.jsonl"),
        "--max_steps",
        "1",
        "--per_device_train_batch_size",
        "2",
        "--learning_rate",
        "1e-3",
        "--output_dir",
        out,
      ],
      io,
    );
    const trained = join(out, "checkpoint-1");
    expect(existsSync(join(trained, "model.safetensors"))).toBe(true);

    await runCli(
      [
        "generate",
        "--model",
        trained,
        ...common,
        "--prompts",
        f("alpaca_eval.json"),
        "--max_new_tokens",
        "8",
        "--generator",
        "wpo-tiny",
        "--output",
        f("model_outputs.json"),
      ],
      io,
    );
    await runCli(
      [
        "generate",
        "--model",
        policy,
        ...common,
        "--prompts",
        f("alpaca_eval.json"),
        "--max_new_tokens",
        "8",
        "--generator",
        "initial",
        "--output",
        f("reference_outputs.json"),
      ],
      io,
    );
    const outputs = JSON.parse(readFileSync(f("model_outputs.json"), "utf8"));
    expect(outputs.map((o: { instruction: string }) => o.instruction)).toEqual(instructions);
    expect(Object.keys(outputs[0]).sort()).toEqual(["dataset", "generator", "instruction", "output"]);
    expect(outputs[0].generator).toBe("wpo-tiny");

    const lines: string[] = [];
    await runCli(
      [
        "judge",
        "--outputs",
        f("model_outputs.json"),
        "--reference_outputs",
        f("reference_outputs.json"),
        "--reward_model",
        rm,
        ...common,
        "--output",
        f("judge.json"),
      ],
      { ...io, out: (l: string) => lines.push(l) },
    );
    expect(lines[0]).toContain("LOCAL PROXY");
    const judged = JSON.parse(readFileSync(f("judge.json"), "utf8"));
    expect(judged.n).toBe(3);
    expect(judged.win_rate).toBeGreaterThanOrEqual(0);
    expect(judged.length_controlled_win_rate).toBeLessThanOrEqual(100);
  }, 300_000);
});
