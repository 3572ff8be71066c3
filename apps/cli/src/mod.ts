/**
 * `wpo`, the reference command-line app of the WPO project: `wpo train` (with an
 * embedded default demo), `wpo sample`, `wpo pairs`, `wpo eval`, `wpo tokenize`,
 * `wpo experiment dpo-vs-wpo`. This module exposes its building blocks.
 *
 * @module
 */
/** The pipeline steps now live in `@wpo/pipeline`; re-exported here for existing callers. */
export {
  CHAT_TEMPLATES,
  type Completion,
  continuationText,
  demoReward,
  distinctN,
  evaluatePolicy,
  HAPPY_WORDS,
  makeStoryPrompts,
  meanTokenLogprob,
  type PolicyEval,
  type Prompt,
  pairsFromScoredSamples,
  SAD_WORDS,
  type SampleOptions,
  type ScoredPair,
  type ScoredPairOptions,
  sampleCompletions,
  winRate,
} from "@wpo/pipeline";
export { resolveAsset } from "./assets_path.ts";
export {
  coerceOption,
  formatHelp,
  type OptionKind,
  type OptionSpec,
  type ParsedArgs,
  parseCliArgs,
} from "./cli_args.ts";
export { type DemoSummary, runDemo } from "./demo_pipeline.ts";
export {
  type CliIo,
  type DemoContext,
  demoPairs,
  samplePairs,
  setupDemo,
  trainAndEvaluate,
} from "./demo_setup.ts";
export { EVAL_OPTIONS, runEval } from "./eval_command.ts";
export { type ExperimentRow, runExperiment } from "./experiment_command.ts";
export {
  INIT_MODEL_OPTIONS,
  type InitModelOptions,
  initModelFolder,
  runInitModel,
} from "./init_model_command.ts";
export { loadModel, loadTokenizer, resolveTokenizerPath } from "./load_inputs.ts";
export { formatLossList, type LossFlags, lossFlags } from "./loss_flags.ts";
export { formatCliError } from "./cli_error.ts";
export { describeIoError } from "./io_errors.ts";
export { runCli } from "./main.ts";
export { prepareOutputDir, type PrepareOutputDirOptions } from "./output_dir.ts";
export { PAIRS_OPTIONS, runPairs } from "./pairs_command.ts";
export { runSample, SAMPLE_OPTIONS } from "./sample_command.ts";
export { runScore, SCORE_OPTIONS } from "./score_command.ts";
export { GENERATE_OPTIONS, runGenerate } from "./generate_command.ts";
export { JUDGE_OPTIONS, runJudge } from "./judge_command.ts";
export { resolveChatTemplate } from "./chat_template_option.ts";
export { runTokenize, TOKENIZE_OPTIONS } from "./tokenize_command.ts";
export { loadPairs, runTrain } from "./train_command.ts";
export { trainerConfigFromOptions } from "./trainer_config_from_options.ts";
export {
  DEMO_DEFAULTS,
  readConfigFile,
  resolveTrainOptions,
  TRAIN_OPTIONS,
  type TrainOptions,
} from "./train_options.ts";
export { ADAPTER_OPTION, BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";
export { missingBlasNote } from "./missing_blas_note.ts";
export { type TrlConfig, toTrlConfig, TRL_LOSS_TYPES } from "./trl_config.ts";
export {
  EXPORT_TRL_OPTIONS,
  launchCommand,
  runExportTrl,
  zero3AccelerateConfig,
} from "./export_trl_command.ts";
export { type TrlReadmeOptions, trlReadme } from "./trl_readme.ts";
export { availableHostMemory, peakResidentMemory } from "./host_memory.ts";
export {
  backendLimits,
  CPU_BACKENDS,
  checkRunFits,
  localBackends,
  PLAN_OPTIONS,
  planInput,
  planModelConfig,
  planRun,
  runPlan,
  WASM_HEAP_BYTES,
} from "./plan_command.ts";
export { LORA_OPTIONS, loraFromOptions } from "./lora_options.ts";
export { MERGE_OPTIONS, runMerge } from "./merge_command.ts";
export { type BadRowPolicy, badRowPolicy, DATA_OPTIONS } from "./data_options.ts";
