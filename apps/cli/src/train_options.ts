import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { assertRegularFile } from "./_regular_file.ts";
import { coerceOption, type OptionSpec } from "./cli_args.ts";
import { ADAPTER_OPTION, BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";
import { LORA_OPTIONS, loraFromOptions } from "./lora_options.ts";
import { DATA_OPTIONS } from "./data_options.ts";

/**
 * Options of `wpo train`. Names follow TRL's DPOConfig / HF TrainingArguments where
 * one exists; the defaults are theirs (TRL 0.9.6 / transformers) unless noted.
 */
export const TRAIN_OPTIONS: Record<string, OptionSpec> = {
  config: { kind: "string", help: "YAML or JSON file with any of these options (command line wins)" },
  model: { kind: "string", help: "model folder (config.json + model.safetensors) or a llama2.c .bin file" },
  tokenizer: { kind: "string", help: "tokenizer.json or llama2.c tokenizer .bin (default: inside --model)" },
  data: { kind: "string", help: "preference data (.jsonl, .json, .parquet); without it: the embedded demo" },
  eval_data: { kind: "string", help: "held-out preference data for eval_ metrics" },
  ...DATA_OPTIONS,
  test_size: {
    kind: "number",
    default: 0,
    help: "fraction of --data held out for evaluation when no --eval_data",
  },
  output_dir: { kind: "string", default: "runs/wpo", help: "where metrics, report and checkpoints go" },
  output: { kind: "string", help: "alias of --output_dir" },
  ...BACKEND_OPTION,
  resume: { kind: "bool", default: false, help: "continue from the newest checkpoint in --output_dir" },
  overwrite_output_dir: { kind: "bool", default: false, help: "replace an earlier run in --output_dir" },
  allow_resume_mismatch: {
    kind: "bool",
    default: false,
    help: "--resume even if data/model/settings differ",
  },
  // Loss flags (issue 18): one options object from here to the loss; unset values take the loss's own defaults.
  loss_type: {
    kind: "string",
    default: "sigmoid",
    help: "pairwise loss, or NAME,NAME for a mixture (e.g. sigmoid,sft = RPO); see `wpo train --list-losses`",
  },
  loss_weights: {
    kind: "string",
    help: "weights of a --loss_type mixture, one per loss (default: all 1), e.g. 1,1",
  },
  loss_options: {
    kind: "string",
    help: "the loss's options as JSON, e.g. '{\"gamma_beta_ratio\":0.5}' (see --list-losses)",
  },
  beta: { kind: "number", help: "β of the loss (default: the loss's own, 0.1 for DPO, 2.0 for SimPO)" },
  label_smoothing: { kind: "number", help: "label smoothing ε of the loss (default: the loss's own)" },
  list_losses: {
    kind: "bool",
    default: false,
    help: "print every loss with its options and defaults, then exit",
  },
  // End of the loss flags.
  use_weighting: { kind: "bool", default: true, help: "WPO: weight each pair by its policy probability" },
  wpo_alignment: { kind: ["sampled", "greedy", "none"], default: "sampled", help: "WPO weight normaliser" },
  wpo_clamp: { kind: "bool", default: true, help: "clamp the WPO weight at 1 (the WPO repository does)" },
  reference_free: { kind: "bool", default: false, help: "no reference model (reference log-probs = 0)" },
  precompute_ref_log_probs: {
    kind: "bool",
    default: false,
    help: "compute reference log-probs once, cached",
  },
  learning_rate: { kind: "number", default: 1e-6, help: "peak learning rate of AdamW" },
  lr_scheduler_type: { kind: ["cosine", "linear", "constant"], default: "linear", help: "schedule" },
  warmup_ratio: { kind: "number", default: 0, help: "fraction of steps spent warming up" },
  warmup_steps: { kind: "int", default: 0, help: "warmup steps (overrides warmup_ratio when > 0)" },
  num_train_epochs: { kind: "number", default: 3, help: "epochs" },
  max_steps: { kind: "int", default: -1, help: "stop after this many optimizer steps (-1: epochs decide)" },
  per_device_train_batch_size: { kind: "int", default: 8, help: "pairs per micro-batch" },
  per_device_eval_batch_size: { kind: "int", default: 8, help: "pairs per evaluation batch" },
  gradient_accumulation_steps: { kind: "int", default: 1, help: "micro-batches per optimizer step" },
  max_length: { kind: "int", default: 512, help: "max prompt + response tokens" },
  max_prompt_length: { kind: "int", default: 128, help: "max prompt tokens" },
  truncation_mode: { kind: ["keep_end", "keep_start"], default: "keep_end", help: "prompt truncation side" },
  gradient_checkpointing: {
    kind: "bool",
    default: false,
    help: "recompute each layer in the backward pass: activation memory of one layer (+ each layer's input), ~1/3 slower",
  },
  max_grad_norm: { kind: "number", default: 1, help: "gradient clipping (total L2 norm); 0 disables" },
  weight_decay: { kind: "number", default: 0, help: "AdamW decoupled weight decay" },
  adam_beta1: { kind: "number", default: 0.9, help: "AdamW beta1" },
  adam_beta2: { kind: "number", default: 0.999, help: "AdamW beta2" },
  adam_epsilon: { kind: "number", default: 1e-8, help: "AdamW epsilon" },
  seed: { kind: "int", default: 42, help: "random seed (data order, sampling)" },
  logging_steps: { kind: "int", default: 10, help: "log metrics every N optimizer steps" },
  metrics_read_every: {
    kind: "int",
    default: 1,
    help: "read loss/grad-norm back every N steps (N > 1 keeps WebGPU busy; divergence found up to N steps late)",
  },
  eval_steps: { kind: "int", default: 0, help: "evaluate every N steps (0: at the end only)" },
  eval_on_start: {
    kind: "bool",
    default: false,
    help: "also evaluate before the first step (logged as step 0)",
  },
  save_steps: { kind: "int", default: 0, help: "checkpoint every N steps (0: at the end only)" },
  stop_after_steps: {
    kind: "int",
    help: "testing aid: stop (as if killed) after N steps, keeping checkpoints",
  },
  num_prompts: { kind: "int", default: 64, help: "demo: training prompts" },
  num_eval_prompts: { kind: "int", default: 32, help: "demo: held-out prompts" },
  samples_per_prompt: { kind: "int", default: 8, help: "demo: completions sampled per prompt" },
  max_new_tokens: { kind: "int", default: 48, help: "demo: tokens per completion" },
  temperature: { kind: "number", default: 1, help: "demo: sampling temperature" },
  top_p: { kind: "number", default: 0.9, help: "demo: nucleus sampling" },
  // LoRA (TRL/PEFT names): --use_peft, --lora_r, --lora_alpha, --lora_dropout, --lora_target_modules,
  // --use_rslora, --adapter; see lora_options.ts.
  ...LORA_OPTIONS,
  ...ADAPTER_OPTION,
  ...COMMON_OPTIONS,
};

/** Settings of the embedded demo that differ from the library defaults (see docs/demo.md). */
export const DEMO_DEFAULTS: Record<string, number | boolean | string> = {
  output_dir: "runs/demo",
  learning_rate: 3e-4,
  lr_scheduler_type: "cosine",
  warmup_ratio: 0.1,
  num_train_epochs: 4,
  per_device_train_batch_size: 8,
  per_device_eval_batch_size: 16,
  precompute_ref_log_probs: true,
  logging_steps: 1,
  eval_steps: 8,
  max_length: 128,
  max_prompt_length: 64,
  seed: 1,
};

/** Resolved options of `wpo train`: name -> value. */
export type TrainOptions = Record<string, number | boolean | string | undefined>;

/**
 * Reads a YAML or JSON config file of `wpo train` options, checking every key and type.
 *
 * @param path The file (.yaml, .yml or .json).
 * @returns Option name -> typed value.
 * @throws {SyntaxError} when the file does not parse; {RangeError}/{TypeError} naming the file and key.
 * @example
 * ```ts
 * import { readConfigFile } from "@wpo/cli";
 * import { writeFileSync, mkdtempSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const p = join(mkdtempSync(join(tmpdir(), "wpo-")), "c.yaml");
 * writeFileSync(p, "beta: 0.01\n");
 * console.assert(readConfigFile(p).beta === 0.01);
 * ```
 */
export function readConfigFile(path: string): Record<string, number | boolean | string> {
  let text: string;
  if (existsSync(path)) assertRegularFile(path, "Config file", 16 * 1024 * 1024);
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new RangeError(`Config file '${path}' cannot be read: check the path.`);
  }
  let doc: unknown;
  try {
    doc = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new SyntaxError(`Config file '${path}' does not parse: ${(error as Error).message}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new TypeError(`Config file '${path}' must hold a mapping of option names to values.`);
  }
  const out: Record<string, number | boolean | string> = {};
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const name = key.replace(/-/g, "_");
    const spec = Object.hasOwn(TRAIN_OPTIONS, name) ? TRAIN_OPTIONS[name] : undefined;
    if (!spec || name === "config") throw new RangeError(`Config file '${path}': unknown option '${key}'.`);
    try {
      // loss_options may be written as a mapping in the file
      const raw =
        name === "loss_options" && value !== null && typeof value === "object"
          ? JSON.stringify(value)
          : value;
      out[name] = coerceOption(raw, { ...spec, name });
    } catch (error) {
      throw new TypeError(`Config file '${path}': ${(error as Error).message}`);
    }
  }
  return out;
}

/**
 * Merges defaults, demo defaults (when no --data), the config file and the command
 * line (in increasing priority) and checks ranges.
 *
 * @param cli Options given on the command line.
 * @returns Every option with its value.
 * @throws {RangeError} for values out of range.
 * @example
 * ```ts
 * import { resolveTrainOptions } from "@wpo/cli";
 * const o = resolveTrainOptions({ beta: 0.5 });
 * console.assert(o.beta === 0.5 && o.learning_rate === 3e-4 && resolveTrainOptions({}).beta === undefined);
 * ```
 */
export function resolveTrainOptions(cli: Record<string, number | boolean | string>): TrainOptions {
  const file = typeof cli.config === "string" ? readConfigFile(cli.config) : {};
  const merged: TrainOptions = {};
  for (const [k, s] of Object.entries(TRAIN_OPTIONS)) merged[k] = s.default;
  const demo = (file.data ?? cli.data) === undefined;
  if (demo) Object.assign(merged, DEMO_DEFAULTS);
  Object.assign(merged, file, cli);
  const given: Record<string, unknown> = { ...file, ...cli };
  if (given.output !== undefined && given.output_dir !== undefined && given.output !== given.output_dir) {
    throw new RangeError(
      `Options --output (${given.output}) and --output_dir (${given.output_dir}) disagree: give one.`,
    );
  }
  if (typeof merged.output === "string") merged.output_dir = merged.output;
  for (const [a, b] of [
    ["reference_free", "precompute_ref_log_probs"],
    ["resume", "overwrite_output_dir"],
  ]) {
    if (merged[a!] === true && merged[b!] === true)
      throw new RangeError(`Options --${a} and --${b} exclude each other.`);
  }
  const within = (k: string, lo: number, hi: number, hiOpen = false) => {
    const v = merged[k] as number;
    if (v < lo || v > hi || (hiOpen && v === hi))
      throw new RangeError(`Option --${k} must be in [${lo}, ${hi}${hiOpen ? ")" : "]"}, got ${v}.`);
  };
  within("test_size", 0, 1, true);
  within("label_smoothing", 0, 0.5);
  within("adam_beta1", 0, 1, true);
  within("adam_beta2", 0, 1, true);
  within("top_p", 0, 1);
  for (const k of ["logging_steps", "metrics_read_every"]) within(k, 1, Number.MAX_SAFE_INTEGER);
  for (const k of ["eval_steps", "save_steps", "warmup_steps", "adam_epsilon", "temperature"]) {
    within(k, 0, Number.POSITIVE_INFINITY);
  }
  const positive = [
    "per_device_train_batch_size",
    "per_device_eval_batch_size",
    "gradient_accumulation_steps",
  ];
  for (const k of [...positive, "max_length", "max_prompt_length", "num_prompts", "samples_per_prompt"]) {
    if (typeof merged[k] === "number" && (merged[k] as number) < 1) {
      throw new RangeError(`Option --${k} must be at least 1, got ${merged[k]}.`);
    }
  }
  for (const k of [
    "learning_rate",
    "beta",
    "num_train_epochs",
    "max_grad_norm",
    "weight_decay",
    "warmup_ratio",
  ]) {
    if ((merged[k] as number) < 0)
      throw new RangeError(`Option --${k} must not be negative, got ${merged[k]}.`);
  }
  if ((merged.warmup_ratio as number) > 1) throw new RangeError("Option --warmup_ratio must be in [0, 1].");
  if ((merged.max_prompt_length as number) > (merged.max_length as number)) {
    throw new RangeError(
      `Option --max_prompt_length (${merged.max_prompt_length}) must not exceed --max_length (${merged.max_length}).`,
    );
  }
  loraFromOptions(merged); // checks the LoRA options (r, alpha, dropout, module names)
  return merged;
}
