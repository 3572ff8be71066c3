import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { parseLlamaConfig } from "@wpo/llama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initModelFolder } from "./init_model_command.ts";
import { loadModel, loadTokenizer } from "./load_inputs.ts";
import { runCli } from "./main.ts";

let dir: string;
beforeAll(async () => {
  await initBackend("cpu");
  dir = await mkdtemp(join(tmpdir(), "wpo-init-model-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(): { io: Parameters<typeof runCli>[1]; text: () => string } {
  const lines: string[] = [];
  const out = (l: string) => {
    lines.push(l);
  };
  return { io: { out, err: { write: () => true } }, text: () => lines.join("\n") };
}

describe("wpo init-model", () => {
  it("--list-shapes prints every named shape with its parameter count", async () => {
    const { io, text } = capture();
    expect(await runCli(["init-model", "--list-shapes"], io)).toBe(0);
    for (const name of [
      "smollm2-135m",
      "smollm2-360m",
      "tinyllama-1.1b",
      "llama3.2-1b",
      "llama3.2-3b",
      "llama3-8b",
    ])
      expect(text()).toContain(name);
    expect(text()).toMatch(/llama3\.2-1b\s+1236M\s+16\s+2048\s+32\/8/);
  });

  it("llama3-8b writes the config, generation config and full Llama 3 tokenizer, no weights", async () => {
    const out = join(dir, "l8b");
    const { io, text } = capture();
    await runCli(["init-model", "--shape", "llama3-8b", "--output", out], io);
    expect((await readdir(out)).sort()).toEqual([
      "config.json",
      "generation_config.json",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
    expect(text()).toContain("config only");
    const config = parseLlamaConfig(JSON.parse(await readFile(join(out, "config.json"), "utf8")));
    expect([config.hiddenSize, config.intermediateSize, config.numKeyValueHeads]).toEqual([4096, 14336, 8]);
    const tok = await loadTokenizer(undefined, out);
    expect(tok.vocabSize).toBe(128256);
    expect(tok.tokenToId("<|eot_id|>")).toBe(config.eosTokenId);
    await expect(runCli(["init-model", "--shape", "llama3-8b", "--output", out], io)).rejects.toThrow(
      /is not empty/,
    );
    await expect(runCli(["init-model", "--shape", "gpt-2", "--output", join(dir, "x")], io)).rejects.toThrow(
      /Unknown shape 'gpt-2'/,
    );
  });

  it("a small shape: seeded bf16 weights that load, a derived tokenizer whose ids fit, chat template", async () => {
    const shape = {
      name: "tiny",
      source: "test",
      configOnly: false,
      config: {
        vocab_size: 1024,
        hidden_size: 16,
        intermediate_size: 24,
        num_hidden_layers: 2,
        num_attention_heads: 4,
        num_key_value_heads: 2,
        tie_word_embeddings: true,
        bos_token_id: 768,
        eos_token_id: 777,
      },
    };
    const a = join(dir, "tiny-a");
    const b = join(dir, "tiny-b");
    await initModelFolder(shape, a, { seed: 5 });
    await initModelFolder(shape, b, { seed: 5 });
    const weights = await readFile(join(a, "model.safetensors"));
    expect(Buffer.compare(weights, await readFile(join(b, "model.safetensors")))).toBe(0);
    const model = await loadModel(a);
    const tok = await loadTokenizer(undefined, a);
    expect(tok.vocabSize).toBe(1024);
    expect(tok.bosTokenId).toBe(768);
    const ids = tok.applyChatTemplate([{ role: "user", content: "Hello, world!" }], {
      addGenerationPrompt: true,
      tokenize: true,
    }) as number[];
    expect(ids[0]).toBe(768);
    expect(Math.max(...ids)).toBeLessThan(1024);
    const logits = model.forward(tf.tensor2d([ids], [1, ids.length], "int32"));
    expect(logits.shape).toEqual([1, ids.length, 1024]);
    expect(Number.isFinite((await tf.sum(logits).data())[0]!)).toBe(true);
    logits.dispose();
    model.dispose();
  });
});
