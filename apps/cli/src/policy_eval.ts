import type { LlamaModel } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";
import { demoReward } from "./demo_reward.ts";
import type { Prompt } from "./demo_prompts.ts";
import { meanTokenLogprob } from "./fluency.ts";
import { type Completion, type SampleOptions, sampleCompletions } from "./sampling.ts";
import { distinctN } from "./text_metrics.ts";

/** A policy's held-out figures. */
export interface PolicyEval {
  /** Mean built-in reward of its completions. */
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
 * @param args Tokenizer, prompts, sampling options, judge (initial model).
 * @returns Reward, fluency, distinct-2 and the samples.
 * @example
 * ```ts
 * import { evaluatePolicy } from "@wpo/cli";
 * console.assert(typeof evaluatePolicy === "function");
 * ```
 */
export async function evaluatePolicy(
  policy: LlamaModel,
  args: { tokenizer: Tokenizer; prompts: Prompt[]; options: SampleOptions; judge: LlamaModel },
): Promise<PolicyEval> {
  const samples = await sampleCompletions(policy, {
    tokenizer: args.tokenizer,
    prompts: args.prompts.map((p) => p.ids),
    options: args.options,
  });
  const rewards = samples.map((row) => row.map((c) => demoReward(c.text)));
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

/**
 * Win rate of policy A over policy B: per prompt and sample index, A wins (1) if its
 * reward is higher, ties count 1/2; averaged over all comparisons.
 *
 * @param a Rewards of A per prompt.
 * @param b Rewards of B per prompt (same shape).
 * @returns The win rate in [0, 1].
 * @example
 * ```ts
 * import { winRate } from "@wpo/cli";
 * console.assert(winRate([[2, 0]], [[1, 0]]) === 0.75);
 * ```
 */
export function winRate(a: number[][], b: number[][]): number {
  let score = 0;
  let n = 0;
  a.forEach((row, i) => {
    row.forEach((ra, j) => {
      const rb = b[i]?.[j];
      if (rb === undefined) return;
      score += ra > rb ? 1 : ra === rb ? 0.5 : 0;
      n += 1;
    });
  });
  return n === 0 ? Number.NaN : score / n;
}
