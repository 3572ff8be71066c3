import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type PairFeatures, readPreferenceDataset, tokenizePreferenceRow } from "@wpo/data";
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
import { peakResidentMemory } from "./host_memory.ts";
import { loadModel, loadTokenizer, resolveTokenizerPath } from "./load_inputs.ts";
import { lossFlags } from "./loss_flags.ts";
import { prepareOutputDir } from "./output_dir.ts";
import { checkRunFits } from "./plan_command.ts";
import { loraFromOptions } from "./lora_options.ts";
import { trainerConfigFromOptions } from "./trainer_config_from_options.ts";
import type { TrainOptions } from "./train_options.ts";

/**
 * Reads and tokenises a preference file with TRL 0.9.6's rules.
 *
 * @param path The data file (.jsonl, .json, .parquet).
 * @param args Tokenizer, options, model vocabulary size, and where to report skipped rows.
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
  args: { tokenizer: Tokenizer; options: TrainOptions; vocabSize: number; out: (line: string) => void },
): Promise<PairFeatures[]> {
  const { rows, report } = await readPreferenceDataset(path);
  args.out(`data ${path}: ${report.rowsKept} of ${report.rowsRead} rows (${report.format})`);
  if (rows.length === 0) throw new Error(`Data file '${path}' has no usable preference rows.`);
  const o = args.options;
  return rows.map((row, i) => {
    let f: PairFeatures;
    try {
      f = tokenizePreferenceRow(row, args.tokenizer, {
        maxLength: o.max_length as number,
        maxPromptLength: o.max_prompt_length as number,
        truncationMode: o.truncation_mode as "keep_end",
      });
    } catch (error) {
      throw new Error(`Data file '${path}', row ${i + 1}: ${(error as Error).message}`);
    }
    for (const id of [...f.chosenInputIds, ...f.rejectedInputIds]) {
      if (id >= args.vocabSize) {
        throw new RangeError(
          `Data file '${path}', row ${i + 1}: token id ${id} is outside the model's vocabulary (${args.vocabSize}); ` +
            "the tokenizer does not match the model.",
        );
      }
    }
    return f;
  });
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
export async function runTrain(options: TrainOptions, io: CliIo): Promise<TrainResult> {
  const out = options.output_dir as string;
  prepareOutputDir(out, {
    resume: options.resume === true,
    overwrite: options.overwrite_output_dir === true,
    out: io.out,
  });
  const modelPath = options.model as string | undefined;
  const plan = checkRunFits(options, io);
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
  const args = { tokenizer, options, vocabSize: model.config.vocabSize, out: io.out };
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
    return result;
  } finally {
    trainer.dispose();
    model.dispose();
  }
}
