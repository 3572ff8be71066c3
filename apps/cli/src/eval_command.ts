import type { PairFeatures } from "@wpo/data";
import { evaluatePolicy, makeStoryPrompts, winRate } from "@wpo/pipeline";
import { WpoTrainer } from "@wpo/trainer";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { loadModel, loadTokenizer } from "./load_inputs.ts";
import { loadPairs } from "./train_command.ts";
import { resolveTrainOptions } from "./train_options.ts";
import { ADAPTER_OPTION, BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";
import { DATA_OPTIONS } from "./data_options.ts";

/** Options of `wpo eval`. */
export const EVAL_OPTIONS: Record<string, OptionSpec> = {
  model: { kind: "string", help: "the trained policy (model or checkpoint folder, or .bin)" },
  reference: {
    kind: "string",
    help: "the reference/initial model (default: --model without the adapter when --adapter is given, else bundled stories260K)",
  },
  tokenizer: { kind: "string", help: "tokenizer.json or llama2.c .bin" },
  data: { kind: "string", help: "held-out preference pairs: reward accuracy and margins (eval_ metrics)" },
  beta: { kind: "number", help: "beta of the implicit reward (default: the sigmoid loss's, 0.1)" },
  max_length: { kind: "int", default: 512, help: "truncation" },
  max_prompt_length: { kind: "int", default: 128, help: "prompt truncation" },
  num_prompts: { kind: "int", default: 32, help: "story prompts for the win rate (built-in reward)" },
  samples_per_prompt: { kind: "int", default: 4, help: "completions per prompt for the win rate" },
  max_new_tokens: { kind: "int", default: 48, help: "tokens per completion" },
  seed: { kind: "int", default: 2, help: "seed of prompts and sampling" },
  win_rate: { kind: "bool", default: true, help: "also sample both models and compare the built-in reward" },
  ...DATA_OPTIONS,
  ...ADAPTER_OPTION,
  ...BACKEND_OPTION,
  ...COMMON_OPTIONS,
};

/**
 * `wpo eval`: compares a trained policy with its reference. With --data: TRL's
 * implicit-reward metrics on held-out pairs (`eval_rewards/accuracies`, margins, WPO
 * weight). With the win rate on: samples both models on story prompts and reports
 * mean built-in reward, win rate, fluency and distinct-2.
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns The figures printed.
 * @example
 * ```ts
 * import { runEval } from "@wpo/cli";
 * console.assert(typeof runEval === "function");
 * ```
 */
export async function runEval(o: Record<string, unknown>, io: CliIo): Promise<Record<string, number>> {
  if (typeof o.model !== "string") throw new RangeError("wpo eval needs --model (the trained policy).");
  const adapter = o.adapter as string | undefined;
  const policy = await loadModel(o.model, { adapter });
  // With an adapter, the reference is the same base with the adapter off (no second copy).
  const refPath = o.reference as string | undefined;
  const reference =
    adapter !== undefined && refPath === undefined ? policy.withAdaptersDisabled() : await loadModel(refPath);
  const tokenizer = await loadTokenizer(
    o.tokenizer as string | undefined,
    refPath ?? (adapter !== undefined ? o.model : undefined),
  );
  const figures: Record<string, number> = {};
  if (typeof o.data === "string") {
    const opts = resolveTrainOptions({
      data: o.data,
      max_length: o.max_length as number,
      max_prompt_length: o.max_prompt_length as number,
      on_bad_row: o.on_bad_row as string,
      ...(typeof o.chat_template === "string" ? { chat_template: o.chat_template } : {}),
    });
    const pairs: PairFeatures[] = await loadPairs(o.data, {
      tokenizer,
      options: opts,
      vocabSize: policy.config.vocabSize,
      out: io.out,
      warn: (l: string) => io.err.write(`${l}\n`),
    });
    const trainer = await WpoTrainer.create(policy, {
      trainPairs: pairs,
      evalPairs: pairs,
      padTokenId: tokenizer.padTokenId ?? tokenizer.eosTokenId ?? 0,
      config: { beta: o.beta as number | undefined, referenceMode: "live" },
      reference,
    });
    Object.assign(figures, await trainer.evaluate());
    trainer.dispose();
  }
  if (o.win_rate !== false) {
    const bos = tokenizer.bosTokenId ?? 1;
    const stops = [1, 2];
    const prompts = await makeStoryPrompts(reference, {
      tokenizer,
      count: o.num_prompts as number,
      seed: 1000 + (o.seed as number),
      bosId: bos,
      stopTokenIds: stops,
    });
    const options = {
      perPrompt: o.samples_per_prompt as number,
      maxNewTokens: o.max_new_tokens as number,
      temperature: 1,
      topP: 0.9,
      seed: o.seed as number,
      stopTokenIds: stops,
    };
    const a = await evaluatePolicy(policy, { tokenizer, prompts, options, judge: reference });
    const b = await evaluatePolicy(reference, { tokenizer, prompts, options, judge: reference });
    Object.assign(figures, {
      "reward/policy": a.meanReward,
      "reward/reference": b.meanReward,
      win_rate: winRate(a.rewards, b.rewards),
      "fluency/policy": a.fluency,
      "fluency/reference": b.fluency,
      "distinct2/policy": a.distinct2,
      "distinct2/reference": b.distinct2,
    });
  }
  for (const [k, v] of Object.entries(figures)) io.out(`  ${k.padEnd(32)} ${v.toFixed(4)}`);
  policy.dispose();
  reference.dispose();
  return figures;
}
