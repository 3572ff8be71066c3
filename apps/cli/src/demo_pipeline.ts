import { writeFileSync } from "./_write_file.ts";
import { join } from "node:path";
import { renderReportHtml, renderReportSvg } from "@wpo/trainer";
import { type CliIo, samplePairs, setupDemo, trainAndEvaluate } from "./demo_setup.ts";
import { prepareOutputDir } from "./output_dir.ts";
import { winRate } from "./policy_eval.ts";
import { DEMO_DEFAULTS } from "./train_options.ts";

export type { CliIo } from "./demo_setup.ts";

/** What the demo measured. */
export interface DemoSummary {
  prompts: { train: number; heldOut: number };
  pairs: number;
  skippedPrompts: number;
  initial: { meanReward: number; fluency: number; distinct2: number };
  trained: { meanReward: number; fluency: number; distinct2: number };
  winRate: number;
  wpoWeight: { first: number; last: number; heldOutBefore: number; heldOutAfter: number };
  steps: number;
  seconds: { total: number; setup: number; sampling: number; training: number; evaluation: number };
  backend: string;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

/**
 * The embedded default of `wpo train`: hybrid WPO on the bundled stories260K model.
 * Makes story prompts from the model, samples K completions per prompt on-policy,
 * scores them with the built-in happy-minus-sad word reward, builds hybrid pairs,
 * trains with WPO against the frozen initial model (reference log-probs precomputed),
 * and compares the trained policy with the initial one on held-out prompts: mean
 * reward, win rate, fluency (log-prob under the initial model) and distinct-2.
 * Writes metrics.jsonl, pairs.jsonl, samples.jsonl, summary.json, report.html/.svg
 * and a checkpoint into the output folder.
 *
 * @param options Resolved `wpo train` options.
 * @param io Output streams and the backend name.
 * @returns The measured summary.
 * @example
 * ```ts
 * import { runDemo } from "@wpo/cli";
 * console.assert(typeof runDemo === "function");
 * ```
 */
export async function runDemo(
  options: Record<string, unknown>,
  io: CliIo & { backend: string },
): Promise<DemoSummary> {
  const t0 = performance.now();
  const out = options.output_dir as string;
  if (options.resume) {
    throw new RangeError(
      "--resume: the demo samples new pairs on every run, so it cannot continue one. Run it again without --resume " +
        "(or resume a `wpo train --data FILE` run).",
    );
  }
  prepareOutputDir(out, {
    overwrite: options.overwrite_output_dir === true,
    scratch: out === DEMO_DEFAULTS.output_dir,
    out: io.out,
  });
  io.out(`wpo demo: hybrid WPO on stories260K, backend ${io.backend}, output ${out}`);
  const ctx = await setupDemo(options as never, io);
  const t1 = performance.now();
  const built = await samplePairs(ctx);
  const t2 = performance.now();
  io.out(
    `sampled ${ctx.train.length * ctx.sampleOptions.perPrompt} completions on-policy; hybrid pairs: ${built.pairs.length} ` +
      `(${built.skipped} prompts skipped: all samples tied)`,
  );
  if (built.pairs.length === 0)
    throw new Error("The demo built no preference pairs: every prompt's samples tied.");
  writeFileSync(
    join(out, "pairs.jsonl"),
    `${built.pairs.map(({ features: _f, ...p }) => JSON.stringify(p)).join("\n")}\n`,
  );
  const run = await trainAndEvaluate(ctx, {
    pairs: built.pairs,
    outputDir: out,
    progress: io.err,
    log: io.out,
  });
  const t3 = performance.now();
  const { before } = ctx;
  const { after, result } = run;
  const trainRecs = result.records.filter((r) => r.loss !== undefined);
  const summary: DemoSummary = {
    prompts: { train: ctx.train.length, heldOut: ctx.heldOut.length },
    pairs: built.pairs.length,
    skippedPrompts: built.skipped,
    initial: { meanReward: before.meanReward, fluency: before.fluency, distinct2: before.distinct2 },
    trained: { meanReward: after.meanReward, fluency: after.fluency, distinct2: after.distinct2 },
    winRate: winRate(after.rewards, before.rewards),
    wpoWeight: {
      first: trainRecs[0]?.["wpo/weight_mean"] ?? Number.NaN,
      last: trainRecs.at(-1)?.["wpo/weight_mean"] ?? Number.NaN,
      heldOutBefore: run.heldOutWeightBefore,
      heldOutAfter: result.evalMetrics?.["eval_wpo/weight_mean"] ?? Number.NaN,
    },
    steps: result.steps,
    seconds: {
      total: (t3 - t0) / 1000,
      setup: (t1 - t0) / 1000,
      sampling: (t2 - t1) / 1000,
      training: result.seconds,
      evaluation: (t3 - t2) / 1000 - result.seconds,
    },
    backend: io.backend,
  };
  writeFileSync(join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(
    join(out, "samples.jsonl"),
    `${ctx.heldOut
      .map((p, i) =>
        JSON.stringify({
          prompt: p.text,
          initial: before.samples[i]?.[0]?.text,
          trained: after.samples[i]?.[0]?.text,
        }),
      )
      .join("\n")}\n`,
  );
  const rows: [string, string][] = [
    ["held-out mean reward (initial → trained)", `${f3(before.meanReward)} → ${f3(after.meanReward)}`],
    ["win rate of trained vs initial (ties 1/2)", f3(summary.winRate)],
    [
      "fluency: log-prob/token under initial (initial → trained)",
      `${f3(before.fluency)} → ${f3(after.fluency)}`,
    ],
    ["diversity: distinct-2 (initial → trained)", `${f3(before.distinct2)} → ${f3(after.distinct2)}`],
    [
      "WPO weight, training pairs (first → last step)",
      `${f3(summary.wpoWeight.first)} → ${f3(summary.wpoWeight.last)}`,
    ],
    [
      "WPO weight, held-out pairs (before → after)",
      `${f3(run.heldOutWeightBefore)} → ${f3(summary.wpoWeight.heldOutAfter)}`,
    ],
    ["pairs / optimizer steps", `${summary.pairs} / ${summary.steps}`],
    ["wall time", `${summary.seconds.total.toFixed(1)} s on ${io.backend} (PyTorch prototype: ~13 s)`],
  ];
  writeFileSync(
    join(out, "report.html"),
    renderReportHtml(result.records, {
      title: "wpo demo: hybrid WPO on stories260K",
      summary: rows,
      notes: [
        "Reward: happy words minus sad words in the completion (apps/cli/src/demo_reward.ts).",
        `Held-out example. Prompt: ${ctx.heldOut[0]?.text ?? ""} | initial: ${before.samples[0]?.[0]?.text ?? ""} | trained: ${after.samples[0]?.[0]?.text ?? ""}`,
      ],
    }),
  );
  writeFileSync(join(out, "report.svg"), renderReportSvg(result.records));
  io.out("");
  for (const [k, v] of rows) io.out(`  ${k.padEnd(58)} ${v}`);
  io.out(
    `\nreport: ${join(out, "report.html")}  metrics: ${join(out, "metrics.jsonl")}  checkpoint: ${result.checkpoint}`,
  );
  run.trainer.dispose();
  run.policy.dispose();
  ctx.initial.dispose();
  return summary;
}
