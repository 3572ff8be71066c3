import { join } from "#node-only";
import * as tf from "@tensorflow/tfjs-core";
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  adapterTensors,
  type CheckpointIdentity,
  type LlamaModel,
  type LoraConfig,
  llamaConfigToJson,
  PEFT_KEY_PREFIX,
  parsePeftAdapterConfig,
  peftAdapterConfig,
} from "@wpo/llama";
import { readCheckpointFiles, writeCheckpointFiles } from "./checkpoint_io.ts";
import type { MetricRecord } from "./metrics_log.ts";
import { type ReferenceTable, referenceTableFromBytes, referenceTableToBytes } from "./reference_logps.ts";
import type { RngState } from "@wpo/random";
import type { RunFingerprint } from "./run_fingerprint.ts";
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from "./safetensors.ts";
import { decodeState, encodeState } from "./state_codec.ts";
import type { TrainerConfig } from "./trainer_config.ts";

/** `trainer_state.json` of a checkpoint: where the run is and what it has logged. */
export interface TrainerState {
  /** Optimizer steps done. */
  step: number;
  /** Total optimizer steps of the run. */
  totalSteps: number;
  /** Fractional epoch reached. */
  epoch: number;
  /** Data position: epoch and micro-batch index of the next step (derivable from `step`; stored for readers). */
  dataPosition: { epoch: number; microBatch: number };
  /** State of the trainer's random generator. */
  rng: RngState;
  /** The run's settings. */
  config: TrainerConfig;
  /** Scheduler: type, warmup, total, base lr. */
  scheduler: { type: string; warmupSteps: number; totalSteps: number; baseLr: number };
  /** Every logged record so far. */
  logHistory: MetricRecord[];
  /** Per-step records not yet logged (averaged at the next logging step). */
  pending: MetricRecord[];
  /** Running sums for tokens/s. */
  tokens: number;
  /** What changes the maths (data, model, loss, batch, schedule, ...): a resume must match it. */
  fingerprint?: RunFingerprint | undefined;
}

/** The file of a LoRA checkpoint that names its base model (path and cheap hash). */
export const BASE_MODEL_FILE = "base_model.json";

/** Everything a checkpoint holds, in memory. */
export interface CheckpointData {
  state: TrainerState;
  /** Model weights by Hugging Face name; for a LoRA checkpoint, the adapter tensors only (model names). */
  weights: Map<string, StoredTensor>;
  optimizerState: unknown;
  referenceTable?: ReferenceTable | undefined;
  /** Set for a LoRA checkpoint: the adapter's config and the base model it was trained on. */
  lora?: { config: LoraConfig; baseModel: CheckpointIdentity | undefined } | undefined;
}

/**
 * Writes a training checkpoint atomically into `<outputDir>/checkpoint-<step>`:
 * `model.safetensors` + `config.json` (Hugging Face layout, loadable by `loadLlama`),
 * `optimizer.safetensors` + `optimizer.json`, `scheduler.json`, `trainer_state.json`,
 * `reference_logps.safetensors` when precomputed, and `manifest.json` last. For a policy with a
 * LoRA adapter the model files are PEFT's `adapter_model.safetensors` + `adapter_config.json`
 * (the adapter only, not the frozen base) plus `base_model.json` (the base's path and hash).
 *
 * @param outputDir The run's output folder.
 * @param parts Model, optimizer state, trainer state, optional reference table.
 * @returns The checkpoint folder.
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { initBackend } from "@wpo/backends";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const config = parseLlamaConfig({ vocab_size: 16, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1,
 *   num_attention_heads: 2 });
 * import { loadTrainerCheckpoint, resolveTrainerConfig, saveTrainerCheckpoint, SeededRng } from "@wpo/trainer";
 * const model = randomLlama(config, { seed: 1 });
 * const state = { step: 1, totalSteps: 2, epoch: 0.5, dataPosition: { epoch: 0, microBatch: 1 }, rng: new SeededRng(1).state(),
 *   config: resolveTrainerConfig(), scheduler: { type: "linear", warmupSteps: 0, totalSteps: 2, baseLr: 1e-3 },
 *   logHistory: [], pending: [], tokens: 0 };
 * const dir = await saveTrainerCheckpoint(mkdtempSync(join(tmpdir(), "wpo-")), { model, optimizerState: { step: 1 }, state });
 * const back = loadTrainerCheckpoint(dir);
 * console.assert(dir.endsWith("checkpoint-1") && back.state.step === 1 && back.weights.has("model.norm.weight"));
 * model.dispose();
 * ```
 */
export async function saveTrainerCheckpoint(
  outputDir: string,
  parts: {
    model: LlamaModel;
    optimizerState: unknown;
    state: TrainerState;
    referenceTable?: ReferenceTable | undefined;
    /** The base checkpoint of a LoRA run (recorded in `base_model.json`). */
    baseModel?: CheckpointIdentity | undefined;
  },
): Promise<string> {
  const opt = await encodeState(parts.optimizerState);
  const files: Record<string, string | Uint8Array> = await modelFiles(parts.model, parts.baseModel);
  Object.assign(files, {
    "optimizer.safetensors": encodeSafetensors(opt.tensors),
    "optimizer.json": JSON.stringify(opt.json),
    "scheduler.json": `${JSON.stringify({ ...parts.state.scheduler, lastStep: parts.state.step }, null, 2)}\n`,
    "trainer_state.json": `${JSON.stringify(parts.state, null, 2)}\n`,
  });
  if (parts.referenceTable)
    files["reference_logps.safetensors"] = referenceTableToBytes(parts.referenceTable);
  const dir = join(outputDir, `checkpoint-${parts.state.step}`);
  writeCheckpointFiles(dir, files);
  return dir;
}

/** The model files of a checkpoint: the full model, or a LoRA adapter with its base's identity. */
async function modelFiles(
  model: LlamaModel,
  baseModel: CheckpointIdentity | undefined,
): Promise<Record<string, string | Uint8Array>> {
  const lora = model.loraConfig();
  if (lora) {
    const base = baseModel ?? { path: null, hash: null };
    const adapter = new Map<string, StoredTensor>();
    for (const [name, t] of await adapterTensors(model)) {
      adapter.set(name, { dtype: "float32", shape: t.shape, data: t.data });
    }
    return {
      [ADAPTER_WEIGHTS_FILE]: encodeSafetensors(adapter, { format: "pt" }),
      [ADAPTER_CONFIG_FILE]: `${JSON.stringify(peftAdapterConfig(lora, { baseModelNameOrPath: base.path }), null, 2)}\n`,
      [BASE_MODEL_FILE]: `${JSON.stringify({ ...base, config: llamaConfigToJson(model.config) }, null, 2)}\n`,
    };
  }
  const weights = new Map<string, StoredTensor>();
  for (const [name, v] of model.variables()) {
    weights.set(name, { dtype: "float32", shape: [...v.shape], data: Float32Array.from(await v.data()) });
  }
  return {
    "model.safetensors": encodeSafetensors(weights, { format: "pt" }),
    "config.json": `${JSON.stringify(llamaConfigToJson(model.config), null, 2)}\n`,
  };
}

/**
 * Reads a checkpoint written by {@linkcode saveTrainerCheckpoint}.
 *
 * @param dir The checkpoint folder.
 * @returns Trainer state, weights, optimizer state, reference table.
 * @throws {Error} when the checkpoint is incomplete or damaged.
 * @example
 * ```ts
 * import { loadTrainerCheckpoint } from "@wpo/trainer";
 * let message = "";
 * try { loadTrainerCheckpoint("/definitely/missing/checkpoint-1"); } catch (e) { message = (e as Error).message; }
 * console.assert(message.includes("incomplete"));
 * ```
 */
export function loadTrainerCheckpoint(dir: string): CheckpointData {
  const files = readCheckpointFiles(dir);
  const need = (name: string): Uint8Array => {
    const f = files.get(name);
    if (!f) throw new Error(`Checkpoint '${dir}' has no ${name}; it was not written by this trainer.`);
    return f;
  };
  const json = (name: string) => {
    try {
      return JSON.parse(new TextDecoder().decode(need(name)));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new SyntaxError(
        `Checkpoint '${dir}': ${name} does not parse (${error.message}); the checkpoint is damaged. Resume from an earlier checkpoint.`,
      );
    }
  };
  const state = json("trainer_state.json") as TrainerState;
  let weights: Map<string, StoredTensor>;
  let lora: CheckpointData["lora"];
  if (files.has(ADAPTER_WEIGHTS_FILE)) {
    const { config } = parsePeftAdapterConfig(json(ADAPTER_CONFIG_FILE), `${dir}/${ADAPTER_CONFIG_FILE}`);
    const base = json(BASE_MODEL_FILE) as { path: string | null; hash: string | null };
    const baseModel =
      base.path !== null && base.hash !== null ? { path: base.path, hash: base.hash } : undefined;
    lora = { config, baseModel };
    weights = new Map(
      [...decodeSafetensors(need(ADAPTER_WEIGHTS_FILE)).tensors].map(([k, t]) => [
        k.startsWith(PEFT_KEY_PREFIX) ? k.slice(PEFT_KEY_PREFIX.length) : k,
        t,
      ]),
    );
  } else {
    weights = decodeSafetensors(need("model.safetensors")).tensors;
  }
  const optimizerState = decodeState({
    json: json("optimizer.json"),
    tensors: decodeSafetensors(need("optimizer.safetensors")).tensors,
  });
  const ref = files.get("reference_logps.safetensors");
  return {
    state,
    weights,
    optimizerState,
    referenceTable: ref ? referenceTableFromBytes(ref) : undefined,
    lora,
  };
}

/**
 * Copies checkpoint weights into a model's variables (names and shapes must match): the
 * adapter's Variables when the model has a LoRA adapter, the base weights otherwise.
 *
 * @param model The model to overwrite.
 * @param weights Weights by Hugging Face name.
 * @throws {TypeError} naming a missing or mis-shaped tensor.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const config = parseLlamaConfig({ vocab_size: 16, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1,
 *   num_attention_heads: 2 });
 * import { assignWeights } from "@wpo/trainer";
 * const a = randomLlama(config, { seed: 1 });
 * const b = randomLlama(config, { seed: 2 });
 * const weights = new Map([...a.variables()].map(([n, v]) => [n, { dtype: "float32" as const, shape: v.shape, data: v.dataSync() as Float32Array }]));
 * assignWeights(b, weights);
 * console.assert(b.variables().get("lm_head.weight")!.dataSync()[0] === a.variables().get("lm_head.weight")!.dataSync()[0]);
 * a.dispose();
 * b.dispose();
 * ```
 */
export function assignWeights(model: LlamaModel, weights: Map<string, StoredTensor>): void {
  for (const [name, v] of model.loraConfig() ? model.adapterVariables() : model.variables()) {
    const w = weights.get(name);
    if (!w) throw new TypeError(`Checkpoint lacks weight '${name}'.`);
    if (w.shape.join() !== v.shape.join()) {
      throw new TypeError(`Checkpoint weight '${name}': expected shape [${v.shape}], got [${w.shape}].`);
    }
    tf.tidy(() => v.assign(tf.tensor(w.data, w.shape, "float32")));
  }
}
