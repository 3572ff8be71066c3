import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, it } from "vitest";
import { writeTinyLlama3 } from "../test/llama3_tiny_model.ts";
import { loadTokenizer } from "./load_inputs.ts";
import { runCli } from "./main.ts";
import { loadPairs } from "./train_command.ts";
import { resolveTrainOptions } from "./train_options.ts";

const io = { out: () => {}, err: { write: () => true } };
const PROMPTS = ["Once upon a time, there was a little girl named Lily.", "One day, Tim went to the park."];
/** An Anthropic-HH-shaped template whose generation prompt is exactly the assistant turn's header. */
const HH_TEMPLATE =
  "{% for m in messages %}{% if m.role == 'user' %}{{ '\\n\\nHuman: ' + m.content }}{% else %}" +
  "{{ '\\n\\nAssistant: ' + m.content }}{% endif %}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '\\n\\nAssistant: ' }}{% endif %}";

interface SampleLine {
  responses: { ids: number[]; stop?: number; score: number }[];
}

/**
 * Runs `wpo sample` -> (scores made distinct) -> `wpo pairs` -> the trainer's tokenisation, and checks that each
 * pair's chosen and rejected sequences start with exactly the ids the sampler fed the model followed by exactly
 * the ids it sampled.
 */
async function roundTrip(
  modelArgs: string[],
  template: string | undefined,
  generationPrompt: (p: string) => Promise<number[]>,
) {
  const dir = mkdtempSync(join(tmpdir(), "wpo-ids-"));
  const prompts = join(dir, "prompts.jsonl");
  writeFileSync(prompts, PROMPTS.map((prompt) => JSON.stringify({ prompt })).join("\n"));
  const samples = join(dir, "samples.jsonl");
  const templateArgs = template === undefined ? [] : ["--chat_template", template];
  await runCli(
    [
      "sample",
      ...modelArgs,
      ...templateArgs,
      "--prompts",
      prompts,
      "--num_samples",
      "3",
      "--max_new_tokens",
      "10",
      "--temperature",
      "1.2",
      "--top_p",
      "1",
      "--seed",
      "3",
      "--backend",
      "cpu",
      "--output",
      samples,
    ],
    io,
  );
  const lines = readFileSync(samples, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as SampleLine);
  // distinct scores: the last response is chosen, the first rejected
  const scored = lines.map((l) => ({ ...l, responses: l.responses.map((r, j) => ({ ...r, score: j })) }));
  writeFileSync(samples, scored.map((l) => JSON.stringify(l)).join("\n"));
  const pairs = join(dir, "pairs.jsonl");
  await runCli(["pairs", "--input", samples, "--output", pairs], io);
  const modelDir = modelArgs.includes("--model") ? modelArgs[modelArgs.indexOf("--model") + 1] : undefined;
  const tokenizer = await loadTokenizer(undefined, modelDir);
  const options = resolveTrainOptions({
    data: pairs,
    max_length: 1024,
    max_prompt_length: 512,
    ...(template ? { chat_template: template } : {}),
  });
  const features = await loadPairs(pairs, { tokenizer, options, vocabSize: 1 << 20, out: () => {} });
  expect(features.length).toBe(PROMPTS.length);
  for (const [i, f] of features.entries()) {
    const context = await generationPrompt(PROMPTS[i]!);
    const rs = lines[i]!.responses;
    const sampled = (k: number) => [...rs[k]!.ids, ...(rs[k]!.stop === undefined ? [] : [rs[k]!.stop!])];
    const chosen = [...context, ...sampled(rs.length - 1)];
    const rejected = [...context, ...sampled(0)];
    expect(f.chosenInputIds.slice(0, chosen.length)).toEqual(chosen);
    expect(f.rejectedInputIds.slice(0, rejected.length)).toEqual(rejected);
  }
}

describe("a sampled pair, re-tokenised by the trainer, gives exactly the sampled ids", () => {
  let llama3 = "";
  beforeAll(async () => {
    await initBackend("cpu");
    llama3 = mkdtempSync(join(tmpdir(), "wpo-llama3-"));
    await writeTinyLlama3(llama3);
  });

  it("llama2.c tokenizer (stories260K), no chat template", async () => {
    const tok = await loadTokenizer(undefined, undefined);
    await roundTrip([], undefined, async (p) => [1, ...tok.encode(p, { addSpecialTokens: false })]);
  }, 120_000);

  it("llama2.c tokenizer (stories260K), a chat template file", async () => {
    const tok = await loadTokenizer(undefined, undefined);
    const file = join(mkdtempSync(join(tmpdir(), "wpo-tpl-")), "hh.jinja");
    writeFileSync(file, HH_TEMPLATE);
    await roundTrip([], file, async (p) => [
      1,
      ...tok.encode(
        tok.applyChatTemplate([{ role: "user", content: p }], {
          chatTemplate: HH_TEMPLATE,
          addGenerationPrompt: true,
        }),
        { addSpecialTokens: false },
      ),
    ]);
  }, 120_000);

  it("tokenizer.json (Llama 3.1), no chat template", async () => {
    const tok = await loadTokenizer(undefined, llama3);
    await roundTrip(["--model", llama3], "none", async (p) => [
      128000,
      ...tok.encode(p, { addSpecialTokens: false }),
    ]);
  }, 120_000);

  it("tokenizer.json (Llama 3.1), its own chat template", async () => {
    const tok = await loadTokenizer(undefined, llama3);
    await roundTrip(["--model", llama3], undefined, async (p) =>
      tok.encode(tok.applyChatTemplate([{ role: "user", content: p }], { addGenerationPrompt: true }), {
        addSpecialTokens: false,
      }),
    );
  }, 120_000);
});
