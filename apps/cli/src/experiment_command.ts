import { writeFileSync } from "./_write_file.ts";
import { join } from "node:path";
import { type CliIo, samplePairs, setupDemo, trainAndEvaluate } from "./demo_setup.ts";
import { prepareOutputDir } from "./output_dir.ts";
import { winRate } from "./policy_eval.ts";

/** The default output folder of `wpo experiment dpo-vs-wpo` (a scratch folder, replaced on each run). */
export const EXPERIMENT_OUTPUT_DIR = "runs/dpo-vs-wpo";

/** One row of the DPO-vs-WPO table. */
export interface ExperimentRow {
  method: string;
  meanReward: number;
  winRate: number;
  fluency: number;
  distinct2: number;
  weightFirst: number;
  weightLast: number;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");

/**
 * `wpo experiment dpo-vs-wpo`: the paper's claim in miniature. The same off-policy
 * pairs (samples from the initial model at `--off_policy_temperature`, default 1.5)
 * train one policy with DPO (no weighting) and one with WPO; both are compared with
 * the initial model on held-out prompts. Prints and writes a small table.
 *
 * @param options Resolved `wpo train` options plus `off_policy_temperature`.
 * @param io Output streams.
 * @returns The table rows (initial, DPO, WPO).
 * @example
 * ```ts
 * import { runExperiment } from "@wpo/cli";
 * console.assert(typeof runExperiment === "function");
 * ```
 */
export async function runExperiment(options: Record<string, unknown>, io: CliIo): Promise<ExperimentRow[]> {
  const out = options.output_dir as string;
  const temperature = (options.off_policy_temperature as number | undefined) ?? 1.5;
  if (options.resume) {
    throw new RangeError(
      "--resume: `wpo experiment` samples new pairs and trains two policies on every run, so it cannot continue one. " +
        "Run it again without --resume.",
    );
  }
  prepareOutputDir(out, {
    overwrite: options.overwrite_output_dir === true,
    scratch: out === EXPERIMENT_OUTPUT_DIR,
    out: io.out,
  });
  const ctx = await setupDemo(options as never, io);
  const built = await samplePairs(ctx, temperature);
  io.out(`off-policy pairs (sampler temperature ${temperature}): ${built.pairs.length}`);
  if (built.pairs.length === 0) throw new Error("No off-policy pairs: every prompt's samples tied.");
  const { before } = ctx;
  const rows: ExperimentRow[] = [
    {
      method: "initial",
      meanReward: before.meanReward,
      winRate: Number.NaN,
      fluency: before.fluency,
      distinct2: before.distinct2,
      weightFirst: Number.NaN,
      weightLast: Number.NaN,
    },
  ];
  for (const [method, useWeighting] of [
    ["DPO", false],
    ["WPO", true],
  ] as const) {
    io.out(`training ${method} ...`);
    const run = await trainAndEvaluate(ctx, {
      pairs: built.pairs,
      outputDir: join(out, method.toLowerCase()),
      useWeighting,
      progress: io.err,
    });
    const recs = run.result.records.filter((r) => r.loss !== undefined);
    rows.push({
      method,
      meanReward: run.after.meanReward,
      winRate: winRate(run.after.rewards, before.rewards),
      fluency: run.after.fluency,
      distinct2: run.after.distinct2,
      weightFirst: recs[0]?.["wpo/weight_mean"] ?? Number.NaN,
      weightLast: recs.at(-1)?.["wpo/weight_mean"] ?? Number.NaN,
    });
    run.trainer.dispose();
    run.policy.dispose();
  }
  ctx.initial.dispose();
  const header =
    "| method | held-out reward | win rate vs initial | fluency | distinct-2 | WPO weight (first → last) |";
  const lines = [header, "|---|---|---|---|---|---|"];
  for (const r of rows) {
    lines.push(
      `| ${r.method} | ${f3(r.meanReward)} | ${f3(r.winRate)} | ${f3(r.fluency)} | ${f3(r.distinct2)} | ${f3(r.weightFirst)} → ${f3(r.weightLast)} |`,
    );
  }
  io.out(lines.join("\n"));
  writeFileSync(join(out, "dpo-vs-wpo.md"), `${lines.join("\n")}\n`);
  writeFileSync(join(out, "dpo-vs-wpo.json"), `${JSON.stringify(rows, null, 2)}\n`);
  return rows;
}
