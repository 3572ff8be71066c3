import { writeFileSync } from "./_write_file.ts";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { makeStoryPrompts, type Prompt } from "./demo_prompts.ts";
import { demoReward } from "./demo_reward.ts";
import { readRecords } from "./_read_lines.ts";
import { loadModel, loadTokenizer } from "./load_inputs.ts";
import { sampleCompletions } from "./sampling.ts";
import { ADAPTER_OPTION, BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";

/** Options of `wpo sample`. */
export const SAMPLE_OPTIONS: Record<string, OptionSpec> = {
  model: { kind: "string", help: "model folder or llama2.c .bin (default: bundled stories260K)" },
  tokenizer: { kind: "string", help: "tokenizer.json or llama2.c tokenizer .bin" },
  prompts: {
    kind: "string",
    help: ".txt (one prompt per line) or .jsonl with a 'prompt' field; default: story openings",
  },
  num_prompts: { kind: "int", default: 16, help: "story openings to make when --prompts is not given" },
  num_samples: { kind: "int", default: 8, help: "completions per prompt" },
  max_new_tokens: { kind: "int", default: 48, help: "tokens per completion" },
  temperature: { kind: "number", default: 1, help: "sampling temperature" },
  top_p: { kind: "number", default: 0.9, help: "nucleus sampling" },
  seed: { kind: "int", default: 1, help: "sampler seed" },
  output: {
    kind: "string",
    default: "samples.jsonl",
    help: "output JSONL: {prompt, responses: [{text, score}]}",
  },
  ...ADAPTER_OPTION,
  ...BACKEND_OPTION,
  ...COMMON_OPTIONS,
};

/**
 * `wpo sample`: on-policy generation. Each completion is scored with the built-in
 * demo reward (happy minus sad words) so the output feeds `wpo pairs` directly.
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns Number of completions written.
 * @example
 * ```ts
 * import { runSample } from "@wpo/cli";
 * console.assert(typeof runSample === "function");
 * ```
 */
export async function runSample(o: Record<string, unknown>, io: CliIo): Promise<number> {
  const modelPath = o.model as string | undefined;
  const model = await loadModel(modelPath, { adapter: o.adapter as string | undefined });
  const tokenizer = await loadTokenizer(o.tokenizer as string | undefined, modelPath);
  const bos = tokenizer.bosTokenId ?? 1;
  const stops = [tokenizer.eosTokenId, bos].filter((x): x is number => x !== undefined);
  let prompts: Prompt[];
  if (typeof o.prompts === "string") {
    prompts = readRecords(o.prompts).map((r, i) => {
      const text = typeof r === "string" ? r : (r as { prompt?: unknown }).prompt;
      if (typeof text !== "string")
        throw new TypeError(`Prompts file '${o.prompts}', line ${i + 1}: no 'prompt' string.`);
      return { text, ids: [bos, ...tokenizer.encode(text, { addSpecialTokens: false })] };
    });
  } else {
    prompts = await makeStoryPrompts(model, {
      tokenizer,
      count: o.num_prompts as number,
      seed: o.seed as number,
      bosId: bos,
      stopTokenIds: stops,
    });
  }
  const samples = await sampleCompletions(model, {
    tokenizer,
    prompts: prompts.map((p) => p.ids),
    options: {
      perPrompt: o.num_samples as number,
      maxNewTokens: o.max_new_tokens as number,
      temperature: o.temperature as number,
      topP: o.top_p as number,
      seed: o.seed as number,
      stopTokenIds: stops,
    },
  });
  const lines = prompts.map((p, i) =>
    JSON.stringify({
      prompt: p.text,
      responses: (samples[i] ?? []).map((c) => ({ text: c.text, score: demoReward(c.text), ids: c.ids })),
    }),
  );
  writeFileSync(o.output as string, `${lines.join("\n")}\n`);
  io.out(`wrote ${prompts.length} prompts x ${o.num_samples} completions to ${o.output}`);
  model.dispose();
  return prompts.length * (o.num_samples as number);
}
