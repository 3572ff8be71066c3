import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type PreferenceRow, readPreferenceDataset } from "@wpo/data";
import { stringify } from "yaml";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { toTrlConfig } from "./trl_config.ts";
import { readConfigFile, resolveTrainOptions } from "./train_options.ts";
import { trlReadme } from "./trl_readme.ts";

/** Options of `wpo export trl`. */
export const EXPORT_TRL_OPTIONS: Record<string, OptionSpec> = {
  config: { kind: "string", help: "the recipe: YAML or JSON file of `wpo train` options (required)" },
  output: { kind: "string", help: "folder to write the TRL run into (required)" },
  num_processes: { kind: "int", default: 8, help: "GPUs (accelerate processes) of the launch command" },
  model: { kind: "string", help: "overrides the recipe's model (a Hugging Face id or folder)" },
  data: { kind: "string", help: "overrides the recipe's preference data" },
  eval_data: { kind: "string", help: "overrides the recipe's held-out data" },
};

/** accelerate's DeepSpeed ZeRO-3 launch config for one machine with `n` GPUs, in bf16. */
export function zero3AccelerateConfig(n: number): Record<string, unknown> {
  return {
    compute_environment: "LOCAL_MACHINE",
    distributed_type: "DEEPSPEED",
    deepspeed_config: {
      deepspeed_multinode_launcher: "standard",
      offload_optimizer_device: "none",
      offload_param_device: "none",
      zero3_init_flag: true,
      zero3_save_16bit_model: true,
      zero_stage: 3,
    },
    mixed_precision: "bf16",
    downcast_bf16: "no",
    machine_rank: 0,
    num_machines: 1,
    num_processes: n,
    rdzv_backend: "static",
    same_network: true,
    use_cpu: false,
  };
}

/** One row in TRL's preference format: `prompt`/`chosen`/`rejected`, strings or message lists. */
function trlRow(row: PreferenceRow): PreferenceRow {
  return row.prompt === undefined
    ? { chosen: row.chosen, rejected: row.rejected }
    : { prompt: row.prompt, chosen: row.chosen, rejected: row.rejected };
}

function writeJsonl(path: string, rows: PreferenceRow[]): void {
  writeFileSync(path, rows.map((r) => `${JSON.stringify(trlRow(r))}\n`).join(""));
}

/**
 * `wpo export trl`: writes a run that continues in TRL on N GPUs (accelerate + DeepSpeed ZeRO-3): the
 * dataset in TRL's preference format (data/train.jsonl, data/test.jsonl), dpo_config.yaml (every recipe
 * option under its TRL name, `use_weighting: true` for WPO), accelerate_zero3.yaml, launch.sh and README.md.
 *
 * @param o Parsed options ({@linkcode EXPORT_TRL_OPTIONS}).
 * @param io Output streams.
 * @returns The files written, relative to the output folder.
 * @throws {RangeError} without --config or --output, or for a recipe TRL cannot run.
 */
export async function runExportTrl(o: Record<string, unknown>, io: CliIo): Promise<string[]> {
  if (typeof o.config !== "string") throw new RangeError("wpo export trl needs --config recipe.yaml.");
  if (typeof o.output !== "string") throw new RangeError("wpo export trl needs --output DIR.");
  const n = o.num_processes as number;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--num_processes must be at least 1, got ${n}.`);
  const overrides: Record<string, string> = { config: o.config };
  for (const k of ["model", "data", "eval_data"]) if (typeof o[k] === "string") overrides[k] = o[k] as string;
  const options = resolveTrainOptions(overrides);
  const given = new Set([...Object.keys(readConfigFile(o.config)), ...Object.keys(overrides)]);
  if (typeof options.data !== "string") {
    throw new RangeError("wpo export trl needs preference data: `data` in the recipe or --data FILE.");
  }
  const train = (await readPreferenceDataset(options.data)).rows;
  let test: PreferenceRow[] = [];
  if (typeof options.eval_data === "string") test = (await readPreferenceDataset(options.eval_data)).rows;
  const { config, notes } = toTrlConfig(options, { path: "./data", hasTest: test.length > 0 }, given);

  const dir = o.output;
  mkdirSync(join(dir, "data"), { recursive: true });
  writeJsonl(join(dir, "data", "train.jsonl"), train);
  const files = ["data/train.jsonl"];
  if (test.length > 0) {
    writeJsonl(join(dir, "data", "test.jsonl"), test);
    files.push("data/test.jsonl");
  }
  const header = `# TRL DPO config exported by \`wpo export trl\` from ${o.config}; field names are TRL's.\n`;
  writeFileSync(join(dir, "dpo_config.yaml"), header + stringify(config));
  writeFileSync(join(dir, "accelerate_zero3.yaml"), stringify(zero3AccelerateConfig(n)));
  const launch = launchCommand(n);
  writeFileSync(
    join(dir, "launch.sh"),
    `#!/usr/bin/env bash\n# Run from this folder.\nset -euo pipefail\ncd "$(dirname "$0")"\n${launch}\n`,
    {
      mode: 0o755,
    },
  );
  const clamp = options.wpo_clamp !== false && options.use_weighting !== false;
  writeFileSync(
    join(dir, "README.md"),
    trlReadme({ recipe: o.config, n, trainRows: train.length, testRows: test.length, clamp, launch, notes }),
  );
  files.push("dpo_config.yaml", "accelerate_zero3.yaml", "launch.sh", "README.md");
  io.out(`wpo export trl: ${train.length} training pairs, ${test.length} held-out pairs -> ${dir}`);
  io.out(`  ${files.join(", ")}`);
  io.out(`  launch on ${n} GPUs: (cd ${dir} && ./launch.sh)`);
  return files;
}

/** The accelerate command that runs TRL's DPO script on `n` GPUs with ZeRO-3. */
export function launchCommand(n: number): string {
  return `accelerate launch --config_file accelerate_zero3.yaml --num_processes ${n} -m trl.scripts.dpo --config dpo_config.yaml`;
}
