import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { BadRowError, type PairFeatures, readPreferenceDataset, tokenizePreferenceRow } from "@wpo/data";
import { checkpointIdentity, saveAdapter } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";
import {
  formatGb,
  latestGoodCheckpoint,
  renderReportHtml,
  renderReportSvg,
  type TrainResult,
  WpoTrainer,
} from "@wpo/trainer";
import type { CliIo } from "./demo_setup.ts";
import { resolveChatTemplate } from "./chat_template_option.ts";
import { badRowPolicy } from "./data_options.ts";
import { peakResidentMemory } from "./host_memory.ts";
import { loadModel, loadTokenizer, resolveTokenizerPath } from "./load_inputs.ts";
import { lossFlags } from "./loss_flags.ts";
import { prepareOutputDir } from "./output_dir.ts";
import { writeFileSync } from "./_write_file.ts";
import { checkRunFits } from "./plan_command.ts";
import { loraFromOptions } from "./lora_options.ts";
import { trainerConfigFromOptions } from "./trainer_config_from_options.ts";
import type { TrainOptions } from "./train_options.ts";

/**
 * Reads and tokenises a preference file with TRL 0.9.6's rules.
 *
 * @param path The data file (.jsonl, .json, .parquet).
 * @param args Tokenizer, options (`chat_template`, `on_bad_row`, truncation), model vocabulary size, and where
 *   to report (skipped rows under `--on_bad_row warn` go to `warn`, default `out`).
 * @returns One feature set per valid row.
 * @throws {Error} naming the file (and row) when it cannot be used.
 * @example
 * ```ts
 * import { loadPairs } from "@wpo/cli";
 * console.assert(typeof loadPairs === "function");
 * ```
 */
export async function loadPairs(
  path: string,
  args: {
    tokenizer: Tokenizer;
    options: TrainOptions;
    vocabSize: number;
    out: (line: string) => void;
    warn?: (line: string) => void;
  },
): Promise<PairFeatures[]> {
  const chatTemplate =
    typeof args.options.chat_template === "string"
      ? resolveChatTemplate(args.options.chat_template, args.tokenizer)
      : undefined;
  const policy = badRowPolicy(args.options.on_bad_row, args.warn ?? args.out);
  let dataset: Awaited<ReturnType<typeof readPreferenceDataset>>;
  try {
    dataset = await readPreferenceDataset(path, { onBadRow: policy.onBadRow });
  } catch (error) {
    if (!(error instanceof BadRowError)) throw error;
    throw new TypeError(
      `${error.file}: row ${error.row}${error.field ? `, field '${error.field}'` : ""}: ${error.reason}. ` +
        "Fix the row, or pass --on_bad_row skip (or warn) to skip and count bad rows.",
    );
  }
  const { rows, report } = dataset;
  for (const s of report.skipped) {
    if (args.options.on_bad_row === "warn")
      (args.warn ?? args.out)(
        `wpo: skipped ${path} row ${s.row}${s.field ? `, field '${s.field}'` : ""}: ${s.reason}`,
      );
  }
  const o = args.options;
  const features: PairFeatures[] = [];
  rows.forEach((row, i) => {
    let f: PairFeatures;
    try {
      f = tokenizePreferenceRow(row, args.tokenizer, {
        maxLength: o.max_length as number,
        maxPromptLength: o.max_prompt_length as number,
        truncationMode: o.truncation_mode as "keep_end",
        ...(chatTemplate === undefined ? {} : { chatTemplate }),
      });
    } catch (error) {
      const message = (error as Error).message.replace(
        /pass one with \{ chatTemplate \}.*$/,
        "pass --chat_template FILE|NAME (names: llama3, chatml, hh) or use a model folder whose tokenizer_config.json has one.",
      );
      policy.bad(`${path} row ${i + 1}`, new Error(`Data file '${path}', row ${i + 1}: ${message}`));
      return;
    }
    for (const id of [...f.chosenInputIds, ...f.rejectedInputIds]) {
      if (id >= args.vocabSize) {
        throw new RangeError(
          `Data file '${path}', row ${i + 1}: token id ${id} is outside the model's vocabulary (${args.vocabSize}); ` +
            "the tokenizer does not match the model.",
        );
      }
    }
    features.push(f);
  });
  const skipped = report.rowsSkipped + policy.skipped;
  args.out(
    `data ${path}: ${features.length} of ${report.rowsRead} rows (${report.format})` +
      (skipped > 0 ? `, ${skipped} bad rows skipped` : ""),
  );
  if (features.length === 0) throw new Error(`Data file '${path}' has no usable preference rows.`);
  reportDegeneratePairs(path, features, args);
  return features;
}

/** Scored response ids of one side, without BOS/EOS. */
function responseIds(ids: number[], labels: number[], special: Set<number>): number[] {
  return ids.filter((id, t) => labels[t] !== -100 && !special.has(id));
}

/**
 * Reports pairs whose chosen or rejected response renders empty, and pairs whose chosen and rejected
 * responses are the same tokens (count and first rows); throws when no pair is left to learn from.
 */
function reportDegeneratePairs(
  path: string,
  pairs: PairFeatures[],
  args: { tokenizer: Tokenizer; out: (line: string) => void },
): void {
  const special = new Set(
    [args.tokenizer.bosTokenId, args.tokenizer.eosTokenId].filter((x): x is number => typeof x === "number"),
  );
  const empty: number[] = [];
  const same: number[] = [];
  pairs.forEach((f, i) => {
    const c = responseIds(f.chosenInputIds, f.chosenLabels, special);
    const r = responseIds(f.rejectedInputIds, f.rejectedLabels, special);
    if (c.length === 0 || r.length === 0) empty.push(i + 1);
    else if (c.length === r.length && c.every((id, t) => id === r[t])) same.push(i + 1);
  });
  const rowsOf = (n: number[]) =>
    `row${n.length > 1 ? "s" : ""} ${n.slice(0, 5).join(", ")}${n.length > 5 ? ", ..." : ""}`;
  const lines: string[] = [];
  if (empty.length > 0) {
    lines.push(
      `${empty.length} of ${pairs.length} pairs have an empty chosen or rejected response after templating (${rowsOf(empty)}); ` +
        "check the chat template with `wpo tokenize --data`.",
    );
  }
  if (same.length > 0) {
    lines.push(
      `${same.length} of ${pairs.length} pairs have identical chosen and rejected responses (${rowsOf(same)}); they teach nothing.`,
    );
  }
  if (empty.length + same.length === pairs.length) {
    throw new RangeError(`Data file '${path}': ${lines.join(" ")} No pair is left to learn from.`);
  }
  for (const line of lines) args.out(`warning: data ${path}: ${line}`);
}

/**
 * `wpo train --data FILE`: trains a model on a preference file with WPO and writes
 * metrics.jsonl, checkpoints and report.html/.svg into the output folder.
 *
 * @param options Resolved options.
 * @param io Output streams.
 * @returns The training result.
 * @example
 * ```ts
 * import { runTrain } from "@wpo/cli";
 * console.assert(typeof runTrain === "function");
 * ```
 */
export async function runTrain(
  options: TrainOptions,
  io: CliIo,
  context: { argv?: readonly string[] } = {},
): Promise<TrainResult & { signal?: NodeJS.Signals }> {
  const out = options.output_dir as string;
  // The plan first: a run that cannot fit stops before the output folder is touched.
  const plan = checkRunFits(options, io);
  prepareOutputDir(out, {
    resume: options.resume === true,
    overwrite: options.overwrite_output_dir === true,
    out: io.out,
  });
  const modelPath = options.model as string | undefined;
  const adapter = options.adapter as string | undefined;
  const model = await loadModel(modelPath, { adapter });
  // After the model: a missing --model is reported as such, not as a missing tokenizer.
  let tokenizerPath: string;
  try {
    tokenizerPath = resolveTokenizerPath(options.tokenizer as string | undefined, modelPath);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const tokenizer = await loadTokenizer(options.tokenizer as string | undefined, modelPath);
  const args = {
    tokenizer,
    options,
    vocabSize: model.config.vocabSize,
    out: io.out,
    warn: (l: string) => io.err.write(`${l}\n`),
  };
  let train = await loadPairs(options.data as string, args);
  let evalPairs: PairFeatures[] | undefined;
  if (typeof options.eval_data === "string") evalPairs = await loadPairs(options.eval_data, args);
  else if ((options.test_size as number) > 0) {
    const n = Math.max(1, Math.round(train.length * (options.test_size as number)));
    evalPairs = train.slice(train.length - n);
    train = train.slice(0, train.length - n);
  }
  let resumeFrom: string | undefined;
  if (options.resume) {
    const skipped: string[] = [];
    resumeFrom = latestGoodCheckpoint(out, { warn: (line) => skipped.push(line) });
    for (const line of skipped) io.out(`warning: ${line}`);
    if (!resumeFrom) {
      throw new Error(
        `--resume: no intact checkpoint in '${out}'${skipped.length ? ` (${skipped.length} damaged)` : ""}. ` +
          "Start again with --overwrite_output_dir.",
      );
    }
  }
  const lora = loraFromOptions(options);
  const isLora = lora !== undefined || adapter !== undefined;
  const baseModel =
    isLora && modelPath !== undefined && statSync(modelPath).isDirectory()
      ? await checkpointIdentity(modelPath)
      : undefined;
  const trainer = await WpoTrainer.create(model, {
    lora,
    baseModel,
    trainPairs: train,
    evalPairs,
    padTokenId: tokenizer.padTokenId ?? tokenizer.eosTokenId ?? 0,
    config: trainerConfigFromOptions(options),
    outputDir: out,
    resumeFrom,
    fingerprint: {
      tokenizer: createHash("sha256").update(readFileSync(tokenizerPath)).digest("hex").slice(0, 16),
    },
    allowResumeMismatch: options.allow_resume_mismatch === true,
    progress: io.err,
    log: io.out,
    stopAfterSteps: options.stop_after_steps as number | undefined,
  });
  io.out(
    `training: ${train.length} pairs, ${trainer.totalSteps} steps, loss ${options.loss_type}, options ${JSON.stringify(lossFlags(options).lossOptions)}`,
  );
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    if (signal) {
      io.out(`${s} again: quitting without a checkpoint.`);
      process.exit(s === "SIGTERM" ? 143 : 130);
    }
    signal = s;
    io.out(
      `${s}: finishing step ${trainer.step + 1}, then writing a checkpoint (send it again to quit at once).`,
    );
    trainer.requestStop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await trainer.train();
    writeFileSync(
      join(out, "report.html"),
      renderReportHtml(result.records, { title: `wpo train: ${options.data}` }),
    );
    writeFileSync(join(out, "report.svg"), renderReportSvg(result.records));
    if (model.loraConfig()) {
      await saveAdapter(model, out, modelPath === undefined ? {} : { baseModelNameOrPath: modelPath });
      io.out(
        `adapter (PEFT): ${join(out, "adapter_config.json")}, ${join(out, "adapter_model.safetensors")}`,
      );
    }
    const last = result.records.filter((r) => r.loss !== undefined).at(-1);
    io.out(
      `${result.stopped ? "stopped" : "done"} at step ${result.steps}/${trainer.totalSteps} in ${result.seconds.toFixed(1)} s` +
        (last
          ? `: loss ${last.loss?.toFixed(4)}, reward accuracy ${last["rewards/accuracies"]?.toFixed(2)}`
          : ""),
    );
    io.out(`report: ${join(out, "report.html")}  metrics: ${join(out, "metrics.jsonl")}`);
    io.out(
      `peak memory: ${formatGb(peakResidentMemory())} resident` +
        (plan ? ` (planned ${formatGb(plan.totalBytes)} on ${plan.input.backend})` : ""),
    );
    if (result.interrupted) {
      io.out(
        `interrupted (${signal}) at step ${result.steps}/${trainer.totalSteps}; checkpoint: ${result.checkpoint}`,
      );
      io.out(`resume with: ${resumeCommand(context.argv)}`);
      return { ...result, ...(signal ? { signal } : {}) };
    }
    return result;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    trainer.dispose();
    model.dispose();
  }
}

/** `wpo train <the same arguments> --resume` (without --overwrite_output_dir and --stop_after_steps), quoted for a shell. */
function resumeCommand(argv: readonly string[] | undefined): string {
  const args: string[] = [];
  const list = argv ?? [];
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    const name = a.replace(/=.*$/, "").replace(/-/g, "_");
    if (["__resume", "__overwrite_output_dir", "__stop_after_steps"].includes(name)) {
      const next = list[i + 1];
      if (!a.includes("=") && next !== undefined && !next.startsWith("--") && name !== "__resume") i++;
      continue;
    }
    args.push(/^[\w./=:@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  }
  return ["wpo", ...args, "--resume"].join(" ");
}
