import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatMessage } from "@wpo/data";
import { loadLlamaRewardModel } from "@wpo/llama";
import { demoReward, type ScoreItem, scoreWithRewardModel } from "@wpo/pipeline";
import { resolveChatTemplate } from "./chat_template_option.ts";
import type { OptionSpec } from "./cli_args.ts";
import { BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";
import { badRowPolicy, DATA_OPTIONS } from "./data_options.ts";
import type { CliIo } from "./demo_setup.ts";
import { loadTokenizer } from "./load_inputs.ts";
import { readRecords } from "./_read_lines.ts";

/** Options of `wpo score`. */
export const SCORE_OPTIONS: Record<string, OptionSpec> = {
  input: {
    kind: "string",
    help: "`wpo sample` JSONL ({prompt, responses: [{text}]}) or answers (.json/.jsonl of {instruction|prompt, output|response})",
  },
  output: { kind: "string", default: "scored.jsonl", help: "the input with every `score` set (same layout)" },
  reward: {
    kind: ["model", "builtin"],
    help: "model: --reward_model; builtin: the demo's happy-minus-sad word count (default: model when --reward_model is given)",
  },
  reward_model: {
    kind: "string",
    help: "Hugging Face LlamaForSequenceClassification folder (config.json + model.safetensors)",
  },
  tokenizer: {
    kind: "string",
    help: "the reward model's tokenizer (default: <reward_model>/tokenizer.json)",
  },
  batch_size: { kind: "int", default: 8, help: "sequences per forward pass" },
  ...DATA_OPTIONS,
  ...BACKEND_OPTION,
  ...COMMON_OPTIONS,
};

type Raw = Record<string, unknown>;

/**
 * `wpo score`: scores every response of a samples or answers file, with a Hugging Face reward model
 * (`LlamaForSequenceClassification`, on the chat-formatted prompt + response, batched) or the demo's built-in
 * reward, and writes the file back with `score` set, ready for `wpo pairs`.
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns Number of responses scored.
 * @example
 * ```ts
 * import { runScore } from "@wpo/cli";
 * console.assert(typeof runScore === "function");
 * ```
 */
export async function runScore(o: Record<string, unknown>, io: CliIo): Promise<number> {
  const input = o.input;
  if (typeof input !== "string") throw new RangeError("wpo score needs --input (a samples or answers file).");
  const mode = (o.reward as string | undefined) ?? (typeof o.reward_model === "string" ? "model" : "builtin");
  if (mode === "model" && typeof o.reward_model !== "string") {
    throw new RangeError("--reward model needs --reward_model DIR (or use --reward builtin).");
  }
  const json = input.endsWith(".json");
  const rows = (json ? JSON.parse(readFileSync(input, "utf8")) : readRecords(input)) as Raw[];
  if (!Array.isArray(rows)) throw new TypeError(`File '${input}' must hold a JSON list of rows.`);
  const policy = badRowPolicy(o.on_bad_row, (l) => io.err.write(`${l}\n`));
  const items: ScoreItem[] = [];
  const setters: ((score: number) => void)[] = [];
  const kept: Raw[] = [];
  rows.forEach((row, i) => {
    const prompt = (row?.prompt ?? row?.instruction) as string | ChatMessage[] | undefined;
    const isPrompt = typeof prompt === "string" || Array.isArray(prompt);
    const responses = Array.isArray(row?.responses) ? (row.responses as Raw[]) : undefined;
    const single = row?.output ?? row?.response;
    if (
      !isPrompt ||
      (responses === undefined && typeof single !== "string") ||
      responses?.some((r) => typeof r?.text !== "string")
    ) {
      policy.bad(
        `${input} row ${i + 1}`,
        new TypeError(
          `File '${input}', row ${i + 1}: expected {prompt, responses: [{text}]} or {instruction|prompt, output|response}.`,
        ),
      );
      return;
    }
    kept.push(row);
    if (responses) {
      for (const r of responses) {
        items.push({ prompt: prompt!, response: r.text as string });
        setters.push((s) => {
          r.score = s;
        });
      }
    } else {
      items.push({ prompt: prompt!, response: single as string });
      setters.push((s) => {
        row.score = s;
      });
    }
  });
  let scores: number[];
  if (mode === "builtin") scores = items.map((it) => demoReward(it.response));
  else {
    const dir = o.reward_model as string;
    const tokenizer = await loadTokenizer(
      (o.tokenizer as string | undefined) ?? join(dir, "tokenizer.json"),
      dir,
    );
    const chatTemplate = resolveChatTemplate(o.chat_template as string | undefined, tokenizer);
    const rm = await loadLlamaRewardModel(dir);
    try {
      scores = await scoreWithRewardModel(rm, tokenizer, items, {
        chatTemplate,
        batchSize: o.batch_size as number,
        onProgress: (done, total) => io.err.write(`\rscore ${done}/${total}`),
      });
      io.err.write("\n");
    } finally {
      rm.dispose();
    }
  }
  for (const [i, s] of scores.entries()) setters[i]!(s);
  const out = o.output as string;
  writeFileSync(
    out,
    json && out.endsWith(".json")
      ? `${JSON.stringify(kept, null, 2)}\n`
      : `${kept.map((r) => JSON.stringify(r)).join("\n")}\n`,
  );
  io.out(
    `scored ${items.length} responses of ${kept.length} rows with ${mode === "builtin" ? "the built-in reward" : o.reward_model} -> ${out}`,
  );
  return items.length;
}
