import type { TrainOptions } from "./train_options.ts";

/** Recipe options whose TRL `DPOConfig`/`TrainingArguments` field has the same name and meaning. */
const SAME_NAME = [
  "beta",
  "loss_type",
  "use_weighting",
  "label_smoothing",
  "reference_free",
  "precompute_ref_log_probs",
  "learning_rate",
  "lr_scheduler_type",
  "num_train_epochs",
  "per_device_train_batch_size",
  "per_device_eval_batch_size",
  "gradient_accumulation_steps",
  "max_length",
  "max_prompt_length",
  "truncation_mode",
  "max_grad_norm",
  "weight_decay",
  "adam_beta1",
  "adam_beta2",
  "adam_epsilon",
  "seed",
  "logging_steps",
  "eval_on_start",
  "output_dir",
] as const;

/** The loss types TRL's DPOTrainer knows (0.28: the same list from 0.12 on, `sigmoid_norm` only from 1.x). */
export const TRL_LOSS_TYPES = [
  "sigmoid",
  "hinge",
  "ipo",
  "exo_pair",
  "nca_pair",
  "robust",
  "bco_pair",
  "sppo_hard",
  "aot",
  "aot_unpaired",
  "discopop",
  "apo_zero",
  "apo_down",
  "sft",
];

/** Recipe options that are not TRL fields, and what happens to each. */
const NOT_FIELDS: Record<string, string> = {
  model: "becomes `model_name_or_path`",
  data: "exported to data/train.jsonl (`dataset_name: ./data`)",
  eval_data: "exported to data/test.jsonl",
  test_size: "not applied: give `eval_data` (or split the data first) for a held-out set in TRL",
  tokenizer: "TRL loads the tokenizer saved with the model",
  wpo_alignment: "TRL's weight uses the 'sampled' normaliser (log sum p^2), the only one exported",
  wpo_clamp: "decides the TRL version (README.md): clamped at 1 in TRL 0.12-0.28, not from 0.29",
  warmup_steps: "exported as `warmup_steps` when > 0, else `warmup_ratio`",
  warmup_ratio: "exported as `warmup_ratio` unless `warmup_steps` > 0",
  max_steps: "exported when > 0",
  eval_steps: "exported with `eval_strategy: steps` when > 0",
  save_steps: "exported with `save_strategy: steps` when > 0; else TRL's script saves at the end",
  backend: "TRL runs on the GPUs that accelerate launches",
  output: "alias of output_dir",
  resume: "not exported: pass --resume_from_checkpoint to TRL's script",
  overwrite_output_dir: "not exported: TRL's script writes into output_dir",
  allow_resume_mismatch: "wpo-only (resume checks)",
  metrics_read_every: "wpo-only (metrics file reading)",
  stop_after_steps: "wpo-only (stops a run early, for tests)",
};

/** A recipe mapped to the `--config` YAML of TRL's DPO script. */
export interface TrlConfig {
  /** Field -> value, every key a field of DPOConfig, TrainingArguments, ScriptArguments or ModelConfig. */
  config: Record<string, string | number | boolean>;
  /** Recipe options not written as a field of the same name, with what happened to each. */
  notes: Array<[option: string, what: string]>;
}

/**
 * Maps resolved `wpo train` options to the fields of TRL's DPO script (`trl/scripts/dpo.py --config`):
 * DPOConfig and the TrainingArguments it inherits, ScriptArguments (`dataset_name`) and ModelConfig
 * (`model_name_or_path`). Every option keeps its TRL name; what TRL cannot express is an error.
 *
 * @param options Resolved options (`resolveTrainOptions`).
 * @param dataset Where the exported dataset lies, relative to the launch folder, and whether it has a test split.
 * @param given The options the recipe and command line set (the notes cover these); default: all.
 * @returns The YAML fields and the notes on options that are not fields.
 * @throws {RangeError} when the recipe asks for something TRL's DPOTrainer does not do.
 * @example
 * ```ts
 * import { resolveTrainOptions, toTrlConfig } from "@wpo/cli";
 * const options = resolveTrainOptions({ data: "pairs.jsonl", model: "meta-llama/Meta-Llama-3-8B-Instruct", beta: 0.01 });
 * const { config } = toTrlConfig(options, { path: "./data", hasTest: false });
 * console.assert(config.use_weighting === true && config.beta === 0.01 && config.dataset_name === "./data");
 * ```
 */
export function toTrlConfig(
  options: TrainOptions,
  dataset: { path: string; hasTest: boolean },
  given: Iterable<string> = Object.keys(options),
): TrlConfig {
  if (typeof options.model !== "string") {
    throw new RangeError(
      "wpo export trl needs `model` (a Hugging Face model id or folder) in the recipe or --model.",
    );
  }
  if (options.wpo_alignment !== undefined && options.wpo_alignment !== "sampled") {
    throw new RangeError(
      `wpo_alignment '${options.wpo_alignment}' has no TRL equivalent: TRL's use_weighting normalises by log sum p^2 ('sampled').`,
    );
  }
  if (!TRL_LOSS_TYPES.includes(String(options.loss_type))) {
    throw new RangeError(
      `loss_type '${options.loss_type}' is not a TRL DPOTrainer loss; TRL has: ${TRL_LOSS_TYPES.join(", ")}.`,
    );
  }
  const config: TrlConfig["config"] = {
    model_name_or_path: options.model,
    dataset_name: dataset.path,
    dataset_train_split: "train",
  };
  if (dataset.hasTest) config.dataset_test_split = "test";
  for (const key of SAME_NAME) {
    const value = options[key];
    if (value !== undefined) config[key] = value;
  }
  if ((options.warmup_steps as number) > 0) config.warmup_steps = options.warmup_steps as number;
  else config.warmup_ratio = (options.warmup_ratio as number) ?? 0;
  if ((options.max_steps as number) > 0) config.max_steps = options.max_steps as number;
  if ((options.eval_steps as number) > 0 && dataset.hasTest) {
    config.eval_strategy = "steps";
    config.eval_steps = options.eval_steps as number;
  } else {
    config.eval_strategy = dataset.hasTest ? "epoch" : "no";
  }
  if ((options.save_steps as number) > 0) {
    config.save_strategy = "steps";
    config.save_steps = options.save_steps as number;
  } else {
    config.save_strategy = "no";
  }
  const notes: TrlConfig["notes"] = [];
  const same = new Set<string>(SAME_NAME);
  for (const key of given) {
    if (same.has(key) || key === "config") continue;
    notes.push([key, NOT_FIELDS[key] ?? "wpo-only (the embedded demo's sampling), not exported"]);
  }
  return { config, notes };
}
