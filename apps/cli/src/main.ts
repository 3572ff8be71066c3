import { formatHelp, type OptionSpec, parseCliArgs } from "./cli_args.ts";
import { runDemo } from "./demo_pipeline.ts";
import type { CliIo } from "./demo_setup.ts";
import { EVAL_OPTIONS, runEval } from "./eval_command.ts";
import { EXPORT_TRL_OPTIONS, runExportTrl } from "./export_trl_command.ts";
import { missingBlasNote } from "./missing_blas_note.ts";
import { MERGE_OPTIONS, runMerge } from "./merge_command.ts";
import { INIT_MODEL_OPTIONS, runInitModel } from "./init_model_command.ts";
import { EXPERIMENT_OUTPUT_DIR, runExperiment } from "./experiment_command.ts";
import { formatLossList, lossFlags } from "./loss_flags.ts";
import { PAIRS_OPTIONS, runPairs } from "./pairs_command.ts";
import { PLAN_OPTIONS, runPlan } from "./plan_command.ts";
import { runSample, SAMPLE_OPTIONS } from "./sample_command.ts";
import { runScore, SCORE_OPTIONS } from "./score_command.ts";
import { GENERATE_OPTIONS, runGenerate } from "./generate_command.ts";
import { JUDGE_OPTIONS, runJudge } from "./judge_command.ts";
import { runTokenize, TOKENIZE_OPTIONS } from "./tokenize_command.ts";
import { runTrain } from "./train_command.ts";
import { resolveTrainOptions, TRAIN_OPTIONS, type TrainOptions } from "./train_options.ts";

const USAGE = `wpo — Weighted Preference Optimization for Llama on TensorFlow.js

Usage: wpo <command> [options]

Commands:
  train                   train with WPO; with no options: the embedded stories260K hybrid-WPO demo
  plan                    the memory a \`wpo train\` command line will need, and whether it fits
  sample                  on-policy generation for prompts, scored with the built-in reward
  score                   score samples or answers with a reward model (--reward_model DIR) or the built-in reward
  pairs                   hybrid preference pairs from scored sources (samples, answer files, dataset responses)
  generate                AlpacaEval outputs ({instruction, output, generator, dataset}) for a prompts file
  judge                   local win rate and length-controlled win rate by a reward model (a proxy, not GPT-4)
  eval                    reward accuracy on held-out pairs, win rate against the reference
  tokenize                the token visualiser (what the trainer scores)
  init-model              a randomly initialised checkpoint of a real shape (--shape, --list-shapes)
  merge                   merge a LoRA adapter into its base: a plain Hugging Face checkpoint
  experiment dpo-vs-wpo   the same off-policy pairs trained with DPO and with WPO
  export trl              a recipe as a TRL run for N GPUs (dataset, DPOConfig, accelerate ZeRO-3, launch)
  help                    this help

Run \`wpo <command> --help\` for a command's options. Errors print \`wpo: <message>\`; --verbose adds the stack.
`;

const EXPERIMENT_OPTIONS: Record<string, OptionSpec> = {
  ...TRAIN_OPTIONS,
  off_policy_temperature: { kind: "number", default: 1.5, help: "temperature of the off-policy sampler" },
};

async function withBackend<T>(name: unknown, io: CliIo, fn: (backend: string) => Promise<T>): Promise<T> {
  // Loaded on demand: commands that need no tensors (help, pairs, tokenize) work without a backend.
  const { initBackend, shutdownBackend } = await import("@wpo/backends");
  const info = await initBackend((name as "auto") ?? "auto");
  const note = missingBlasNote(info);
  if (note) io.err.write(note);
  try {
    return await fn(info.name);
  } finally {
    shutdownBackend();
  }
}

/**
 * Runs the `wpo` command line (without the top-level error handler of `bin.ts`).
 *
 * @param argv Arguments after `wpo`.
 * @param io Output streams.
 * @returns The exit code.
 * @example
 * ```ts
 * import { runCli } from "@wpo/cli";
 * let text = "";
 * const code = await runCli(["help"], { out: (l: string) => { text += l; }, err: { write: () => true } });
 * console.assert(code === 0 && text.includes("experiment dpo-vs-wpo"));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return 0;
  }
  const simple: Record<
    string,
    [Record<string, OptionSpec>, (o: Record<string, unknown>, io: CliIo) => Promise<unknown>, boolean]
  > = {
    sample: [SAMPLE_OPTIONS, runSample, true],
    score: [SCORE_OPTIONS, runScore, true],
    generate: [GENERATE_OPTIONS, runGenerate, true],
    judge: [JUDGE_OPTIONS, runJudge, true],
    pairs: [PAIRS_OPTIONS, runPairs, false],
    eval: [EVAL_OPTIONS, runEval, true],
    tokenize: [TOKENIZE_OPTIONS, runTokenize, false],
    "init-model": [INIT_MODEL_OPTIONS, runInitModel, false],
    merge: [MERGE_OPTIONS, runMerge, true],
  };
  const entry = Object.hasOwn(simple, command) ? simple[command] : undefined;
  if (entry) {
    const [specs, run, needsBackend] = entry;
    const { values } = parseCliArgs(rest, specs);
    if (values.help) {
      io.out(formatHelp(`wpo ${command} [options]`, specs));
      return 0;
    }
    const o: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(specs)) o[k] = s.default;
    Object.assign(o, values);
    if (needsBackend) await withBackend(o.backend, io, () => run(o, io));
    else await run(o, io);
    return 0;
  }
  if (command === "export") {
    const { values, positionals } = parseCliArgs(rest, EXPORT_TRL_OPTIONS);
    if (values.help) {
      io.out(formatHelp("wpo export trl --config recipe.yaml --output DIR [options]", EXPORT_TRL_OPTIONS));
      return 0;
    }
    if (positionals[0] !== "trl") {
      throw new RangeError(`Unknown export target '${positionals[0] ?? ""}'. Available: trl.`);
    }
    const o: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(EXPORT_TRL_OPTIONS)) o[k] = s.default;
    await runExportTrl(Object.assign(o, values), io);
    return 0;
  }
  if (command === "plan") {
    const { values } = parseCliArgs(rest, PLAN_OPTIONS);
    if (values.help) {
      io.out(formatHelp("wpo plan [wpo train options]", PLAN_OPTIONS));
      return 0;
    }
    await runPlan(values, io);
    return 0;
  }
  if (command === "train" || command === "experiment") {
    const specs = command === "train" ? TRAIN_OPTIONS : EXPERIMENT_OPTIONS;
    const { values, positionals } = parseCliArgs(rest, specs);
    if (values.help) {
      io.out(formatHelp(`wpo ${command}${command === "experiment" ? " dpo-vs-wpo" : ""} [options]`, specs));
      return 0;
    }
    if (values.list_losses) {
      for (const line of formatLossList()) io.out(line);
      return 0;
    }
    const { off_policy_temperature, ...trainValues } = values;
    const options: Record<string, unknown> = { ...resolveTrainOptions(trainValues), off_policy_temperature };
    lossFlags(options as TrainOptions);
    if (command === "experiment") {
      if (positionals[0] !== "dpo-vs-wpo") {
        throw new RangeError(`Unknown experiment '${positionals[0] ?? ""}'. Available: dpo-vs-wpo.`);
      }
      if (values.output_dir === undefined && values.output === undefined)
        options.output_dir = EXPERIMENT_OUTPUT_DIR;
      await withBackend(options.backend, io, () => runExperiment(options, io));
      return 0;
    }
    if (positionals.length > 0)
      throw new RangeError(`Unexpected argument '${positionals[0]}' for wpo train.`);
    const result = await withBackend<unknown>(options.backend, io, (backend) =>
      options.data === undefined
        ? runDemo(options, { ...io, backend })
        : runTrain({ ...options, backend } as TrainOptions, io, { argv }),
    );
    const signal = (result as { signal?: string } | undefined)?.signal;
    return signal === "SIGTERM" ? 143 : signal ? 130 : 0;
  }
  throw new RangeError(`Unknown command '${command}'. Run \`wpo help\` for the list.`);
}
