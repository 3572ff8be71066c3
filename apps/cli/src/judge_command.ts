import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadLlamaRewardModel } from "@wpo/llama";
import { lengthControlledWinRate, scoreWithRewardModel } from "@wpo/pipeline";
import { resolveChatTemplate } from "./chat_template_option.ts";
import type { OptionSpec } from "./cli_args.ts";
import { BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";
import { DATA_OPTIONS } from "./data_options.ts";
import type { CliIo } from "./demo_setup.ts";
import { loadTokenizer } from "./load_inputs.ts";

/** Options of `wpo judge`. */
export const JUDGE_OPTIONS: Record<string, OptionSpec> = {
  outputs: { kind: "string", help: "the model's AlpacaEval outputs (JSON list of {instruction, output})" },
  reference_outputs: { kind: "string", help: "the reference's outputs, same instructions" },
  reward_model: {
    kind: "string",
    help: "Hugging Face LlamaForSequenceClassification folder: the local judge",
  },
  tokenizer: {
    kind: "string",
    help: "the reward model's tokenizer (default: <reward_model>/tokenizer.json)",
  },
  batch_size: { kind: "int", default: 8, help: "sequences per forward pass" },
  output: { kind: "string", help: "also write the figures and per-instruction scores as JSON" },
  chat_template: DATA_OPTIONS.chat_template,
  ...BACKEND_OPTION,
  ...COMMON_OPTIONS,
};

type Output = { instruction: string; output: string };

function readOutputs(path: string, flag: string): Output[] {
  const doc = JSON.parse(readFileSync(path, "utf8")) as unknown;
  if (!Array.isArray(doc))
    throw new TypeError(`${flag} '${path}' must hold a JSON list of {instruction, output}.`);
  doc.forEach((r, i) => {
    if (typeof r?.instruction !== "string" || typeof r?.output !== "string")
      throw new TypeError(`${flag} '${path}', row ${i + 1}: expected {instruction, output} strings.`);
  });
  return doc as Output[];
}

/**
 * `wpo judge`: a local stand-in for AlpacaEval's judge. The reward model scores each output and the reference's
 * output for the same instruction; the preference is sigmoid(reward difference); it reports the win rate and a
 * length-controlled win rate (AlpacaEval's logistic length adjustment, without its leaderboard difficulty term).
 * Labelled as a local proxy: not AlpacaEval's GPT-4 judge.
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns The figures.
 * @example
 * ```ts
 * import { runJudge } from "@wpo/cli";
 * console.assert(typeof runJudge === "function");
 * ```
 */
export async function runJudge(o: Record<string, unknown>, io: CliIo): Promise<Record<string, number>> {
  for (const k of ["outputs", "reference_outputs", "reward_model"]) {
    if (typeof o[k] !== "string") throw new RangeError(`wpo judge needs --${k}.`);
  }
  const model = readOutputs(o.outputs as string, "--outputs");
  const reference = new Map(
    readOutputs(o.reference_outputs as string, "--reference_outputs").map((r) => [r.instruction, r.output]),
  );
  const pairs = model.map((m) => {
    const ref = reference.get(m.instruction);
    if (ref === undefined)
      throw new RangeError(
        `--reference_outputs has no output for the instruction '${m.instruction.slice(0, 60)}'.`,
      );
    return { instruction: m.instruction, model: m.output, reference: ref };
  });
  const dir = o.reward_model as string;
  const tokenizer = await loadTokenizer(
    (o.tokenizer as string | undefined) ?? join(dir, "tokenizer.json"),
    dir,
  );
  const chatTemplate = resolveChatTemplate(o.chat_template as string | undefined, tokenizer);
  const rm = await loadLlamaRewardModel(dir);
  let scores: number[];
  try {
    scores = await scoreWithRewardModel(
      rm,
      tokenizer,
      pairs.flatMap((p) => [
        { prompt: p.instruction, response: p.model },
        { prompt: p.instruction, response: p.reference },
      ]),
      {
        chatTemplate,
        batchSize: o.batch_size as number,
        onProgress: (d, t) => io.err.write(`\rjudge ${d}/${t}`),
      },
    );
    io.err.write("\n");
  } finally {
    rm.dispose();
  }
  const judged = pairs.map((p, i) => ({
    preference: 1 / (1 + Math.exp(-(scores[2 * i]! - scores[2 * i + 1]!))),
    modelLength: p.model.length,
    referenceLength: p.reference.length,
  }));
  const r = lengthControlledWinRate(judged);
  const figures = {
    win_rate: r.winRate,
    length_controlled_win_rate: r.lengthControlledWinRate,
    n: pairs.length,
    avg_length: pairs.reduce((a, p) => a + p.model.length, 0) / pairs.length,
  };
  io.out(
    "LOCAL PROXY: judged by the reward model below, not by AlpacaEval's GPT-4 judge; figures are not comparable to the leaderboard.",
  );
  io.out(`  judge                          ${dir}`);
  io.out(`  win rate (%)                   ${figures.win_rate.toFixed(2)}`);
  io.out(`  length-controlled win rate (%) ${figures.length_controlled_win_rate.toFixed(2)}`);
  io.out(`  instructions                   ${figures.n}`);
  if (typeof o.output === "string") {
    writeFileSync(
      o.output,
      `${JSON.stringify({ judge: "local reward-model proxy (not AlpacaEval's GPT-4 judge)", reward_model: dir, ...figures, fit: r.fit, per_instruction: pairs.map((p, i) => ({ instruction: p.instruction, model_reward: scores[2 * i], reference_reward: scores[2 * i + 1], preference: judged[i]!.preference })) }, null, 2)}\n`,
    );
  }
  return figures;
}
