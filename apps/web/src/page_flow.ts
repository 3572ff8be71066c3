import { generate, type LlamaModel } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";
import { state, type StepRecord } from "./app_state.ts";
import type { TrainSettings } from "./controls_view.ts";
import type { TextPair } from "./demo_pairs.ts";
import { LiveChart } from "./live_chart.ts";
import { log } from "./log_view.ts";
import { PAGE_LIMITS, pairFeatures } from "./pair_features.ts";
import { renderSamples } from "./samples_view.ts";
import { trainSession } from "./train_session.ts";

/** Charts of the page: id, title, and the metric of each series. */
const CHARTS = [
  { id: "loss", title: "loss", series: [{ label: "loss", color: "#2a6fdb", metric: "loss" }] },
  {
    id: "margin",
    title: "reward margin",
    series: [{ label: "margin", color: "#1a9e55", metric: "rewards/margins" }],
  },
  {
    id: "accuracy",
    title: "reward accuracy",
    series: [{ label: "acc", color: "#c2571a", metric: "rewards/accuracies" }],
  },
  {
    id: "weight",
    title: "WPO weight (mean)",
    series: [{ label: "w", color: "#8a3ec9", metric: "wpo/weight_mean" }],
  },
] as const;

/** Creates the live charts and returns a function that plots one step record. */
export function setupCharts(): (record: StepRecord) => void {
  const grid = document.getElementById("chart-grid")!;
  grid.replaceChildren();
  const charts = CHARTS.map((c) => ({
    spec: c,
    chart: new LiveChart(grid, { id: c.id, title: c.title, series: [...c.series] }),
  }));
  return (record) => {
    for (const { spec, chart } of charts) {
      spec.series.forEach((s, i) => {
        const y = s.metric === "loss" ? record.loss : record.metrics[s.metric];
        if (y !== undefined) chart.push(i, record.step, y);
      });
      state.chartPoints[spec.id] = chart.size;
    }
  };
}

async function sample(
  model: LlamaModel,
  tokenizer: Tokenizer,
  prompts: string[],
  settings: TrainSettings,
): Promise<string[]> {
  const ids = prompts.map((p) => [
    tokenizer.bosTokenId ?? 1,
    ...tokenizer.encode(p, { addSpecialTokens: false }),
  ]);
  const out = await generate(model, ids, {
    maxNewTokens: settings.sampleTokens,
    temperature: 0,
    seed: settings.seed,
    stopTokenIds: [tokenizer.bosTokenId ?? 1, tokenizer.eosTokenId ?? 2],
  });
  return out.map((c) => tokenizer.decode(c, { skipSpecialTokens: true }));
}

function setProgress(done: number, total: number, text: string): void {
  const bar = document.getElementById("progress") as HTMLProgressElement;
  bar.max = total;
  bar.value = done;
  document.getElementById("progress-text")!.textContent = text;
}

/**
 * The whole page run: greedy samples before, WPO training with live charts and
 * progress, samples after.
 *
 * @param model The policy (trained in place).
 * @param options Tokenizer, pairs and settings.
 */
export async function runTraining(
  model: LlamaModel,
  options: { tokenizer: Tokenizer; pairs: TextPair[]; settings: TrainSettings },
): Promise<void> {
  const { tokenizer, pairs, settings } = options;
  const prompts = [...new Set(pairs.map((p) => p.prompt))].slice(0, settings.samplePrompts);
  state.phase = "training";
  state.steps = [];
  if (prompts.length > 0 && settings.sampleTokens > 0) {
    setProgress(0, settings.steps, "sampling before training…");
    const before = await sample(model, tokenizer, prompts, settings);
    state.samples = prompts.map((prompt, i) => ({ prompt, before: before[i]! }));
    renderSamples(state.samples);
  }
  const pagePairs = pairFeatures(pairs, { tokenizer, ...PAGE_LIMITS, vocabSize: model.config.vocabSize });
  const plot = setupCharts();
  const t0 = performance.now();
  log(
    `training ${settings.steps} steps with @wpo/trainer on ${pagePairs.features.length} pairs, ${settings.batchPairs} per step`,
  );
  await trainSession(model, {
    pairs: pagePairs,
    steps: settings.steps,
    batchPairs: settings.batchPairs,
    learningRate: settings.learningRate,
    beta: settings.beta,
    seed: settings.seed,
    logEvery: settings.logEvery,
    loraRank: settings.loraRank,
    maxBindingBytes: state.backend?.limits.maxStorageBufferBindingSize,
    onRecords: (records) => {
      for (const r of records) {
        state.steps.push(r);
        plot(r);
      }
      const last = records.at(-1);
      if (last) {
        const ms = (performance.now() - t0) / last.step;
        state.msPerStep = ms;
        const eta = ((settings.steps - last.step) * ms) / 1000;
        setProgress(
          last.step,
          settings.steps,
          `step ${last.step}/${settings.steps} · loss ${last.loss.toFixed(4)} · ${ms.toFixed(0)} ms/step · ETA ${eta.toFixed(0)} s`,
        );
        log(`step ${last.step}: loss ${last.loss.toFixed(5)}`);
      }
    },
  });
  if (prompts.length > 0 && settings.sampleTokens > 0) {
    setProgress(settings.steps, settings.steps, "sampling after training…");
    const after = await sample(model, tokenizer, prompts, settings);
    state.samples.forEach((s, i) => {
      s.after = after[i]!;
    });
    renderSamples(state.samples);
  }
  setProgress(
    settings.steps,
    settings.steps,
    `done: ${settings.steps} steps, ${(state.msPerStep ?? 0).toFixed(0)} ms/step`,
  );
}
