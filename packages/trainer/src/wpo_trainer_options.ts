import type { PairFeatures } from "@wpo/data";
import type { CheckpointIdentity, LlamaModel, LoraConfigInput } from "@wpo/llama";
import type { MetricRecord } from "./metrics_log.ts";
import type { ProgressStream } from "./progress_bar.ts";
import type { RunFingerprint } from "./run_fingerprint.ts";
import type { TrainerConfig } from "./trainer_config.ts";
import type { TrainerOptimizer } from "./trainer_optimizer.ts";

/** Options of {@linkcode WpoTrainer.create}. */
export interface WpoTrainerOptions {
  /** Tokenised training pairs (from `@wpo/data`). */
  trainPairs: readonly PairFeatures[];
  /** Held-out pairs for `eval_` metrics. */
  evalPairs?: readonly PairFeatures[] | undefined;
  /** Pad id used when collating. */
  padTokenId: number;
  /** Settings (TRL names in camelCase); defaults from `resolveTrainerConfig`. */
  config?: Partial<TrainerConfig>;
  /** Output folder: `metrics.jsonl`, `checkpoint-<step>/`. Without it nothing is written. */
  outputDir?: string | undefined;
  /** Live reference model; default: a frozen clone of the policy taken before any resume. */
  reference?: LlamaModel | undefined;
  /** Folder of the precomputed reference log-prob cache. Default `<outputDir>/cache`. */
  referenceCacheDir?: string | undefined;
  /** Checkpoint folder to resume from. */
  resumeFrom?: string | undefined;
  /** Extra fingerprint keys (e.g. `tokenizer`: a hash of the tokenizer file), compared on resume. */
  fingerprint?: RunFingerprint | undefined;
  /** Resume even when the checkpoint's fingerprint differs (the differences are logged). Default false. */
  allowResumeMismatch?: boolean | undefined;
  /** Progress bar stream; false for none. Default false. */
  progress?: ProgressStream | false;
  /** Status lines (cache hits, checkpoints). */
  log?: (line: string) => void;
  /** Testing aid: stop after this many steps as if killed (checkpoints written so far stay). */
  stopAfterSteps?: number | undefined;
  /**
   * LoRA (PEFT): train only a low-rank adapter on the frozen policy. A fresh adapter (A
   * Kaiming-uniform seeded by `config.seed`, B zeros) is attached unless the policy already
   * has one (e.g. from `loadAdapter`). The reference is the same model with the adapter off:
   * no second copy of the weights, and AdamW state only for the adapter.
   */
  lora?: LoraConfigInput | undefined;
  /** The base checkpoint of a LoRA run (path + `checkpointIdentity` hash): recorded in checkpoints, checked on resume. */
  baseModel?: CheckpointIdentity | undefined;
  /** Custom optimizer (default: `@wpo/optim` AdamW with the config's betas, eps, weight decay). */
  optimizer?: TrainerOptimizer | undefined;
}

/** What {@linkcode WpoTrainer.train} returns. */
export interface TrainResult {
  /** Optimizer steps done. */
  steps: number;
  /** Every logged record (train and eval). */
  records: MetricRecord[];
  /** Last evaluation (eval_ names), if any. */
  evalMetrics: MetricRecord | undefined;
  /** Wall seconds of this call. */
  seconds: number;
  /** Last checkpoint written. */
  checkpoint: string | undefined;
  /** True when `stopAfterSteps` or `requestStop()` ended the run early. */
  stopped: boolean;
  /** True when `requestStop()` ended the run early (a checkpoint of the last step was written). */
  interrupted?: boolean;
}
