import { readFileSync, writeFileSync } from "node:fs";
import { sampleCompletions } from "@wpo/pipeline";
import { resolveChatTemplate } from "./chat_template_option.ts";
import type { OptionSpec } from "./cli_args.ts";
import { BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";
import { badRowPolicy, DATA_OPTIONS } from "./data_options.ts";
import type { CliIo } from "./demo_setup.ts";
import { loadModel, loadTokenizer } from "./load_inputs.ts";
import { readRecords } from "./_read_lines.ts";

/** Options of `wpo generate`. */
export const GENERATE_OPTIONS: Record<string, OptionSpec> = {
  model: { kind: "string", help: "model folder or llama2.c .bin (default: bundled stories260K)" },
  tokenizer: { kind: "string", help: "tokenizer.json or llama2.c tokenizer .bin" },
  prompts: { kind: "string", help: "AlpacaEval's alpaca_eval.json (or .jsonl) of {instruction, dataset}" },
  output: {
    kind: "string",
    default: "model_outputs.json",
    help: "AlpacaEval outputs: [{instruction, output, generator, dataset}]",
  },
  generator: { kind: "string", help: "the `generator` name written (default: the model path)" },
  max_new_tokens: { kind: "int", default: 256, help: "tokens per output" },
  temperature: { kind: "number", default: 0.7, help: "sampling temperature (0: greedy)" },
  top_p: { kind: "number", default: 1, help: "nucleus sampling" },
  top_k: { kind: "int", default: 0, help: "keep the k most likely tokens (0: off)" },
  batch_size: { kind: "int", default: 16, help: "prompts per generate call" },
  seed: { kind: "int", default: 1, help: "sampler seed" },
  ...DATA_OPTIONS,
  ...BACKEND_OPTION,
  ...COMMON_OPTIONS,
};

/**
 * `wpo generate`: one output per AlpacaEval instruction, through the model's chat template, written in
 * AlpacaEval's format (a JSON list of `{instruction, output, generator, dataset}`) in the prompts' order.
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns Number of outputs written.
 * @example
 * ```ts
 * import { runGenerate } from "@wpo/cli";
 * console.assert(typeof runGenerate === "function");
 * ```
 */
export async function runGenerate(o: Record<string, unknown>, io: CliIo): Promise<number> {
  const file = o.prompts;
  if (typeof file !== "string") throw new RangeError("wpo generate needs --prompts (e.g. alpaca_eval.json).");
  const raw = (file.endsWith(".json") ? JSON.parse(readFileSync(file, "utf8")) : readRecords(file)) as Record<
    string,
    unknown
  >[];
  if (!Array.isArray(raw)) throw new TypeError(`Prompts file '${file}' must hold a JSON list.`);
  const policy = badRowPolicy(o.on_bad_row, (l) => io.err.write(`${l}\n`));
  const rows = raw.filter((r, i) => {
    if (typeof r?.instruction === "string" || typeof r?.prompt === "string") return true;
    policy.bad(
      `${file} row ${i + 1}`,
      new TypeError(`Prompts file '${file}', row ${i + 1}: no 'instruction' string.`),
    );
    return false;
  });
  const modelPath = o.model as string | undefined;
  const model = await loadModel(modelPath, { trainable: false });
  const tokenizer = await loadTokenizer(o.tokenizer as string | undefined, modelPath);
  const template = resolveChatTemplate(o.chat_template as string | undefined, tokenizer);
  const bos = tokenizer.bosTokenId ?? 1;
  const stops = [
    tokenizer.eosTokenId,
    tokenizer.tokenToId("<|eot_id|>"),
    ...[model.config.eosTokenId ?? []].flat(),
  ].filter((x): x is number => typeof x === "number");
  const prompts = rows.map((r) => {
    const text = (r.instruction ?? r.prompt) as string;
    const ids =
      template === undefined
        ? tokenizer.encode(text, { addSpecialTokens: false })
        : tokenizer.encode(
            tokenizer.applyChatTemplate([{ role: "user", content: text }], {
              chatTemplate: template,
              addGenerationPrompt: true,
            }),
            { addSpecialTokens: false },
          );
    return ids[0] === bos ? ids : [bos, ...ids];
  });
  const outputs: string[] = [];
  const batch = o.batch_size as number;
  try {
    for (let s = 0; s < prompts.length; s += batch) {
      const part = await sampleCompletions(model, {
        tokenizer,
        prompts: prompts.slice(s, s + batch),
        options: {
          perPrompt: 1,
          maxNewTokens: o.max_new_tokens as number,
          temperature: o.temperature as number,
          topP: o.top_p as number,
          topK: o.top_k as number,
          seed: (o.seed as number) + s,
          stopTokenIds: stops,
        },
      });
      outputs.push(...part.map((c) => c[0]!.text.trim()));
      io.err.write(`\rgenerate ${outputs.length}/${prompts.length}`);
    }
    io.err.write("\n");
  } finally {
    model.dispose();
  }
  const generator = (o.generator as string | undefined) ?? modelPath ?? "stories260K";
  const result = rows.map((r, i) => ({
    instruction: (r.instruction ?? r.prompt) as string,
    output: outputs[i]!,
    generator,
    dataset: typeof r.dataset === "string" ? r.dataset : "",
  }));
  writeFileSync(o.output as string, `${JSON.stringify(result, null, 2)}\n`);
  io.out(`wrote ${result.length} outputs (AlpacaEval format) to ${o.output}`);
  return result.length;
}
