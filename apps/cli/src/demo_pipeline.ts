import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadLlama2c } from "@wpo/llama";
import { Tokenizer } from "@wpo/tokenizer";
import { renderReportHtml, renderReportSvg, WpoTrainer } from "@wpo/trainer";
import { resolveAsset } from "./assets_path.ts";
import { makeStoryPrompts } from "./demo_prompts.ts";
import { demoReward } from "./demo_reward.ts";
import { evaluatePolicy, winRate } from "./policy_eval.ts";
import { sampleCompletions } from "./sampling.ts";
import { pairsFromScoredSamples } from "./scored_pairs.ts";
import { trainerConfigFromOptions } from "./trainer_config_from_options.ts";
import type { TrainOptions } from "./train_options.ts";

/** Where the pipeline prints. */
export interface CliIo {
  out: (line: string) => void;
  err: { write(text: string): unknown; isTTY?: boolean };
}

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
  seconds: { total: number; prompts: number; sampling: number; training: number; evaluation: number };
  backend: string;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

/**
 * The embedded default of `wpo train`: hybrid WPO on the bundled stories260K model.
 * Samples story prompts from the model, samples K completions per prompt on-policy,
 * scores them with the built-in happy-minus-sad word reward, builds hybrid pairs,
 * trains with WPO against the frozen initial model (reference log-probs precomputed),
 * and compares the trained policy with the initial one on held-out prompts: mean
 * reward, win rate, fluency (log-prob under the initial model) and distinct-2.
 * Writes metrics.jsonl, pairs.jsonl, summary.json, report.html/.svg and a checkpoint.
 *
 * @param options Resolved `wpo train` options.
 * @param io Output streams.
 * @returns The measured summary.
 * @example
 * ```ts
 * import { runDemo } from "@wpo/cli";
 * console.assert(typeof runDemo === "function");
 * ```
 */
export async function runDemo(options: TrainOptions, io: CliIo & { backend: string }): Promise<DemoSummary> {
  const t0 = performance.now();
  const n = (k: string) => options[k] as number;
  const out = options.output_dir as string;
  mkdirSync(out, { recursive: true });
  const modelPath = (options.model as string | undefined) ?? resolveAsset("stories260K.bin");
  const tokPath = (options.tokenizer as string | undefined) ?? resolveAsset("tok512.bin");
  const tokenizer = Tokenizer.fromLlama2c(new Uint8Array(readFileSync(tokPath)));
  const policy = await loadLlama2c(modelPath);
  const initial = policy.clone({ trainable: false });
  const bos = tokenizer.bosTokenId ?? 1;
  const stops = [1, 2];
  io.out(`wpo demo: stories260K (${modelPath}), backend ${io.backend}, output ${out}`);

  const prompts = await makeStoryPrompts(initial, {
    tokenizer,
    count: n("num_prompts") + n("num_eval_prompts"),
    seed: n("seed"),
    bosId: bos,
    stopTokenIds: stops,
  });
  const train = prompts.slice(0, n("num_prompts"));
  const heldOut = prompts.slice(n("num_prompts"));
  const t1 = performance.now();
  io.out(`prompts: ${train.length} train, ${heldOut.length} held out (first sentences sampled from BOS)`);

  const sampleOpts = {
    perPrompt: n("samples_per_prompt"),
    maxNewTokens: n("max_new_tokens"),
    temperature: n("temperature"),
    topP: n("top_p"),
    seed: n("seed") * 1000 + 1,
    stopTokenIds: stops,
  };
  const samples = await sampleCompletions(initial, {
    tokenizer,
    prompts: train.map((p) => p.ids),
    options: sampleOpts,
  });
  const rewards = samples.map((row) => row.map((c) => demoReward(c.text)));
  const built = pairsFromScoredSamples(
    train,
    { samples, rewards },
    {
      bosId: bos,
      eosId: 1,
      maxLength: n("max_length"),
      maxPromptLength: n("max_prompt_length"),
    },
  );
  const t2 = performance.now();
  io.out(
    `sampled ${train.length * n("samples_per_prompt")} completions on-policy; hybrid pairs: ${built.pairs.length} ` +
      `(${built.skipped} prompts skipped: all samples tied)`,
  );
  writeFileSync(
    join(out, "pairs.jsonl"),
    `${built.pairs.map(({ features: _f, ...p }) => JSON.stringify(p)).join("\n")}\n`,
  );
  if (built.pairs.length === 0)
    throw new Error("The demo built no preference pairs: every prompt's samples tied.");

  const evalOpts = { ...sampleOpts, perPrompt: 4, seed: n("seed") * 1000 + 2 };
  const before = await evaluatePolicy(initial, {
    tokenizer,
    prompts: heldOut,
    options: evalOpts,
    judge: initial,
  });
  const evalPairs = pairsFromScoredSamples(heldOut, before, {
    bosId: bos,
    eosId: 1,
    maxLength: n("max_length"),
    maxPromptLength: n("max_prompt_length"),
  }).pairs.map((p) => p.features);

  const trainer = await WpoTrainer.create(policy, {
    trainPairs: built.pairs.map((p) => p.features),
    evalPairs,
    padTokenId: 0,
    config: trainerConfigFromOptions(options),
    outputDir: out,
    reference: initial,
    progress: io.err,
    log: (l) => io.out(l),
  });
  const heldOutBefore = (await trainer.evaluate())["eval_wpo/weight_mean"] ?? Number.NaN;
  const t3 = performance.now();
  const result = await trainer.train();
  const t4 = performance.now();
  const after = await evaluatePolicy(policy, {
    tokenizer,
    prompts: heldOut,
    options: evalOpts,
    judge: initial,
  });
  const t5 = performance.now();
  const trainRecs = result.records.filter((r) => r.loss !== undefined);
  const summary: DemoSummary = {
    prompts: { train: train.length, heldOut: heldOut.length },
    pairs: built.pairs.length,
    skippedPrompts: built.skipped,
    initial: { meanReward: before.meanReward, fluency: before.fluency, distinct2: before.distinct2 },
    trained: { meanReward: after.meanReward, fluency: after.fluency, distinct2: after.distinct2 },
    winRate: winRate(after.rewards, before.rewards),
    wpoWeight: {
      first: trainRecs[0]?.["wpo/weight_mean"] ?? Number.NaN,
      last: trainRecs.at(-1)?.["wpo/weight_mean"] ?? Number.NaN,
      heldOutBefore,
      heldOutAfter: result.evalMetrics?.["eval_wpo/weight_mean"] ?? Number.NaN,
    },
    steps: result.steps,
    seconds: {
      total: (t5 - t0) / 1000,
      prompts: (t1 - t0) / 1000,
      sampling: (t2 - t1) / 1000,
      training: (t4 - t3) / 1000,
      evaluation: (t5 - t4 + (t3 - t2)) / 1000,
    },
    backend: io.backend,
  };
  writeFileSync(join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(
    join(out, "samples.jsonl"),
    `${heldOut
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
    ["win rate of trained vs initial", f3(summary.winRate)],
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
      `${f3(heldOutBefore)} → ${f3(summary.wpoWeight.heldOutAfter)}`,
    ],
    ["pairs / steps", `${summary.pairs} / ${summary.steps}`],
    ["wall time", `${summary.seconds.total.toFixed(1)} s on ${io.backend}`],
  ];
  writeFileSync(
    join(out, "report.html"),
    renderReportHtml(result.records, {
      title: "wpo demo: hybrid WPO on stories260K",
      summary: rows,
      notes: [
        "Reward: number of happy words minus sad words in the completion (apps/cli/src/demo_reward.ts).",
        "Example (held out) — initial: " +
          (before.samples[0]?.[0]?.text ?? "") +
          " | trained: " +
          (after.samples[0]?.[0]?.text ?? ""),
      ],
    }),
  );
  writeFileSync(join(out, "report.svg"), renderReportSvg(result.records));
  io.out("");
  for (const [k, v] of rows) io.out(`  ${k.padEnd(58)} ${v}`);
  io.out(
    `\nreport: ${join(out, "report.html")}  metrics: ${join(out, "metrics.jsonl")}  checkpoint: ${result.checkpoint}`,
  );
  trainer.dispose();
  initial.dispose();
  policy.dispose();
  return summary;
}
