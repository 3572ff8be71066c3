/**
 * `wpo`, the reference command-line app of the WPO project: `wpo train` (with an
 * embedded default demo), `wpo sample`, `wpo pairs`, `wpo eval`, `wpo tokenize`,
 * `wpo experiment dpo-vs-wpo`. This module exposes its building blocks.
 *
 * @module
 */
export {
  coerceOption,
  formatHelp,
  type OptionKind,
  type OptionSpec,
  type ParsedArgs,
  parseCliArgs,
} from "./cli_args.ts";
export { demoReward, HAPPY_WORDS, SAD_WORDS } from "./demo_reward.ts";
export { distinctN } from "./text_metrics.ts";
export {
  DEMO_DEFAULTS,
  readConfigFile,
  resolveTrainOptions,
  TRAIN_OPTIONS,
  type TrainOptions,
} from "./train_options.ts";
