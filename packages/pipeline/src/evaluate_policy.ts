import type { LlamaModel } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";
import { demoReward } from "./demo_reward.ts";
import { distinctN } from "./distinct_n.ts";
import { meanTokenLogprob } from "./mean_token_logprob.ts";
import { type SampleOptions, sampleCompletions } from "./sample_completions.ts";
import type { Completion, Prompt } from "./types.ts";

/** A policy's held-out figures. */
export interface PolicyEval {
  /** Mean reward of its completions. */
  meanReward: number;
  /** Mean per-token log-prob of its completions under the initial model. */
  fluency: number;
  /** distinct-2 of its completions. */
  distinct2: number;
  /** Its completions, per prompt. */
  samples: Completion[][];
  /** Reward of each completion, per prompt. */
  rewards: number[][];
}

/**
 * Samples a policy on held-out prompts and measures reward, fluency (under the
 * initial model) and diversity.
 *
 * @param policy The policy to sample.
 * @param args Tokenizer, prompts, sampling options, judge (initial model), reward (default {@linkcode demoReward}).
 * @returns Reward, fluency, distinct-2 and the samples.
 * @example
 * ```ts
 * import { evaluatePolicy } from "@wpo/pipeline";
 * console.assert(typeof evaluatePolicy === "function");
 * ```
 */
export async function evaluatePolicy(
  policy: LlamaModel,
  args: {
    tokenizer: Tokenizer;
    prompts: Prompt[];
    options: SampleOptions;
    judge: LlamaModel;
    reward?: (text: string) => number;
  },
): Promise<PolicyEval> {
  const samples = await sampleCompletions(policy, {
    tokenizer: args.tokenizer,
    prompts: args.prompts.map((p) => p.ids),
    options: args.options,
  });
  const reward = args.reward ?? demoReward;
  const rewards = samples.map((row) => row.map((c) => reward(c.text)));
  const flat = rewards.flat();
  const fluency = await meanTokenLogprob(
    args.judge,
    samples.flatMap((row, i) => row.map((c) => ({ promptIds: args.prompts[i]!.ids, completionIds: c.ids }))),
  );
  return {
    meanReward: flat.reduce((a, b) => a + b, 0) / Math.max(1, flat.length),
    fluency,
    distinct2: distinctN(
      samples.flat().map((c) => c.text),
      2,
    ),
    samples,
    rewards,
  };
}
