import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { loadLlama2c } from "@wpo/llama";
import { Tokenizer } from "@wpo/tokenizer";
import type { StepRecord } from "../src/app_state.ts";
import type { TrainSettings } from "../src/controls_view.ts";
import { demoPairs } from "../src/demo_pairs.ts";
import { PAGE_LIMITS, pairFeatures } from "../src/pair_features.ts";
import { trainSession } from "../src/train_session.ts";
import { APP_ROOT } from "./_build_app.ts";

/** The cpu backend's run of the page's demo training: same code, same data, same settings. */
export interface CpuRun {
  /** Step records. */
  steps: StepRecord[];
  /** Trained weights by HF name. */
  weights: Map<string, Float32Array>;
}

/**
 * Runs the embedded demo's training on the cpu backend in this process, exactly as the
 * page does (same modules, the same `@wpo/trainer` path, same pairs, same settings), for the equivalence check.
 *
 * @param settings The page's settings.
 * @returns Step records and trained weights.
 */
export async function cpuDemoRun(settings: TrainSettings): Promise<CpuRun> {
  await initBackend("cpu");
  const model = await loadLlama2c(readFileSync(`${APP_ROOT}../../assets/stories260K.bin`));
  const tokenizer = Tokenizer.fromLlama2c(readFileSync(`${APP_ROOT}../../assets/tok512.bin`));
  const pairs = pairFeatures(demoPairs(), { tokenizer, ...PAGE_LIMITS, vocabSize: model.config.vocabSize });
  const steps = await trainSession(model, {
    pairs,
    steps: settings.steps,
    batchPairs: settings.batchPairs,
    learningRate: settings.learningRate,
    beta: settings.beta,
    seed: settings.seed,
    logEvery: settings.logEvery,
  });
  const weights = new Map<string, Float32Array>();
  for (const [name, v] of model.variables()) weights.set(name, (await v.data()) as Float32Array);
  model.dispose();
  tf.disposeVariables();
  return { steps, weights };
}
