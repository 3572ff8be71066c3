/**
 * @module
 * The hybrid preference-data pipeline of WPO as a library: on-policy sampling through a chat template, scoring
 * (the demo's built-in reward), hybrid pair building from scored samples, and evaluation of a policy (reward, win
 * rate, fluency, distinct-2). The `wpo` CLI and the web app call it; so can any application.
 *
 * @example
 * ```ts
 * import { demoReward, winRate } from "@wpo/pipeline";
 * console.assert(demoReward("She smiled.") === 1 && winRate([[1]], [[0]]) === 1);
 * ```
 */
export * from "./chat_templates.ts";
export * from "./continuation_text.ts";
export * from "./demo_reward.ts";
export * from "./distinct_n.ts";
export * from "./evaluate_policy.ts";
export * from "./hybrid_pairs_from_sources.ts";
export * from "./length_controlled_win_rate.ts";
export * from "./mean_token_logprob.ts";
export * from "./pairs_from_scored_samples.ts";
export * from "./sample_completions.ts";
export * from "./score_with_reward_model.ts";
export * from "./story_prompts.ts";
export * from "./types.ts";
export * from "./win_rate.ts";
