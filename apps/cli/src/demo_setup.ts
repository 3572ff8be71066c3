import { mkdirSync } from "node:fs";
import {
  demoReward,
  evaluatePolicy,
  makeStoryPrompts,
  type PolicyEval,
  type Prompt,
  pairsFromScoredSamples,
  type SampleOptions,
  type ScoredPair,
  sampleCompletions,
} from "@wpo/pipeline";
import type { PairFeatures } from "@wpo/data";
import type { LlamaModel } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";
import { type TrainResult, WpoTrainer } from "@wpo/trainer";
import { loadModel, loadTokenizer } from "./load_inputs.ts";
import { trainerConfigFromOptions } from "./trainer_config_from_options.ts";
import type { TrainOptions } from "./train_options.ts";

/** Where the CLI prints. */
export interface CliIo {
  out: (line: string) => void;
  err: { write(text: string): unknown; isTTY?: boolean };
}

/** Everything the demo stages share. */
export interface DemoContext {
  options: TrainOptions;
  tokenizer: Tokenizer;
  /** The frozen initial model (reference and judge). */
  initial: LlamaModel;
  bos: number;
  train: Prompt[];
  heldOut: Prompt[];
  sampleOptions: SampleOptions;
  evalOptions: SampleOptions;
  /** The initial policy on the held-out prompts. */
  before: PolicyEval;
  /** Pairs from the initial policy's held-out samples, for eval_ metrics. */
  evalPairs: PairFeatures[];
  /** The model path given with --model; undefined for the bundled stories260K. */
  modelPath: string | undefined;
}

const num = (o: TrainOptions, k: string) => o[k] as number;

/**
 * Loads the bundled model and tokenizer, makes train and held-out story prompts, and
 * samples the initial policy on the held-out prompts.
 *
 * @param options Resolved options.
 * @param io Output.
 * @returns The shared context.
 * @example
 * ```ts
 * import { setupDemo } from "@wpo/cli";
 * console.assert(typeof setupDemo === "function");
 * ```
 */
export async function setupDemo(options: TrainOptions, io: CliIo): Promise<DemoContext> {
  mkdirSync(options.output_dir as string, { recursive: true });
  const modelPath = options.model as string | undefined;
  const tokenizer = await loadTokenizer(options.tokenizer as string | undefined, modelPath);
  const initial = await loadModel(modelPath, { trainable: false });
  const bos = tokenizer.bosTokenId ?? 1;
  const stops = [1, 2];
  const prompts = await makeStoryPrompts(initial, {
    tokenizer,
    count: num(options, "num_prompts") + num(options, "num_eval_prompts"),
    seed: num(options, "seed"),
    bosId: bos,
    stopTokenIds: stops,
  });
  const train = prompts.slice(0, num(options, "num_prompts"));
  const heldOut = prompts.slice(num(options, "num_prompts"));
  io.out(`prompts: ${train.length} train, ${heldOut.length} held out (first sentences sampled from BOS)`);
  const sampleOptions: SampleOptions = {
    perPrompt: num(options, "samples_per_prompt"),
    maxNewTokens: num(options, "max_new_tokens"),
    temperature: num(options, "temperature"),
    topP: num(options, "top_p"),
    seed: num(options, "seed") * 1000 + 1,
    stopTokenIds: stops,
  };
  const evalOptions = { ...sampleOptions, perPrompt: 4, seed: num(options, "seed") * 1000 + 2 };
  const before = await evaluatePolicy(initial, {
    tokenizer,
    prompts: heldOut,
    options: evalOptions,
    judge: initial,
  });
  const ctx = {
    options,
    tokenizer,
    initial,
    bos,
    train,
    heldOut,
    sampleOptions,
    evalOptions,
    before,
    modelPath,
  };
  const evalPairs = demoPairs(ctx, { prompts: heldOut, ...before }).pairs.map((p) => p.features);
  return { ...ctx, evalPairs };
}

/**
 * Hybrid pairs from scored samples with the demo's truncation settings.
 *
 * @param ctx Options and BOS id.
 * @param scored Prompts with their completions and rewards.
 * @returns Pairs and skipped prompt count.
 * @example
 * ```ts
 * import { demoPairs, resolveTrainOptions } from "@wpo/cli";
 * const r = demoPairs({ options: resolveTrainOptions({}), bos: 1 }, { prompts: [{ ids: [1, 9], text: "A." }],
 *   samples: [[{ ids: [7], text: "fun" }, { ids: [8], text: "sad" }]], rewards: [[1, -1]] });
 * console.assert(r.pairs.length === 1 && r.pairs[0]!.features.chosenInputIds.join() === "1,9,7,1");
 * ```
 */
export function demoPairs(
  ctx: Pick<DemoContext, "options" | "bos">,
  scored: { prompts: Prompt[]; samples: PolicyEval["samples"]; rewards: number[][] },
): { pairs: ScoredPair[]; skipped: number } {
  return pairsFromScoredSamples(scored.prompts, {
    samples: scored.samples,
    rewards: scored.rewards,
    bosId: ctx.bos,
    eosId: 1,
    maxLength: num(ctx.options, "max_length"),
    maxPromptLength: num(ctx.options, "max_prompt_length"),
  });
}

/**
 * Samples completions for the training prompts from the initial model (on-policy at
 * the configured temperature, or off-policy at another) and builds hybrid pairs.
 *
 * @param ctx The demo context.
 * @param temperature Sampler temperature (default: the configured one).
 * @returns The pairs and skipped prompt count.
 */
export async function samplePairs(
  ctx: DemoContext,
  temperature?: number,
): Promise<{ pairs: ScoredPair[]; skipped: number }> {
  const options = { ...ctx.sampleOptions, ...(temperature !== undefined ? { temperature } : {}) };
  const samples = await sampleCompletions(ctx.initial, {
    tokenizer: ctx.tokenizer,
    prompts: ctx.train.map((p) => p.ids),
    options,
  });
  const rewards = samples.map((row) => row.map((c) => demoReward(c.text)));
  return demoPairs(ctx, { prompts: ctx.train, samples, rewards });
}

/**
 * Trains a fresh copy of the initial model on pairs with the configured settings
 * (reference log-probs precomputed from the initial model), then evaluates it on the
 * held-out prompts.
 *
 * @param ctx The demo context.
 * @param args Pairs, output folder, overrides (e.g. `useWeighting: false` for DPO), progress stream.
 * @returns The trained policy, training result and held-out evaluation.
 */
export async function trainAndEvaluate(
  ctx: DemoContext,
  args: {
    pairs: ScoredPair[];
    outputDir: string;
    useWeighting?: boolean;
    progress: CliIo["err"] | false;
    log?: (line: string) => void;
  },
): Promise<{
  policy: LlamaModel;
  result: TrainResult;
  after: PolicyEval;
  heldOutWeightBefore: number;
  trainer: WpoTrainer;
}> {
  const policy = ctx.initial.clone({ trainable: true });
  const config = trainerConfigFromOptions({ ...ctx.options, output_dir: args.outputDir });
  if (args.useWeighting !== undefined) config.useWeighting = args.useWeighting;
  config.evalOnStart = true;
  const trainer = await WpoTrainer.create(policy, {
    trainPairs: args.pairs.map((p) => p.features),
    evalPairs: ctx.evalPairs,
    padTokenId: 0,
    config,
    outputDir: args.outputDir,
    reference: ctx.initial,
    progress: args.progress,
    ...(args.log ? { log: args.log } : {}),
  });
  const result = await trainer.train();
  const heldOutWeightBefore =
    result.records.find((r) => r.step === 0)?.["eval_wpo/weight_mean"] ?? Number.NaN;
  const after = await evaluatePolicy(policy, {
    tokenizer: ctx.tokenizer,
    prompts: ctx.heldOut,
    options: ctx.evalOptions,
    judge: ctx.initial,
  });
  return { policy, result, after, heldOutWeightBefore, trainer };
}
