import type { LlamaConfig } from "@wpo/llama";
import { activationBytes, largestActivationBytes } from "./_activation_bytes.ts";
import { loraParameterCount, parameterCount } from "./_parameter_count.ts";

/** The backends a memory plan knows (float32 tensors everywhere). */
export type PlanBackend = "cpu" | "native" | "wasm" | "webgpu" | "tensorflow";

/** LoRA adapters as the plan sees them: rank and target projections (`all-linear` or names). */
export interface PlanLora {
  /** Adapter rank r. */
  r: number;
  /** Projection names (`q_proj`, ..., `down_proj`) or `["all-linear"]`. */
  targetModules: readonly string[];
}

/** What limits a run: whichever the backend has. Bytes. */
export interface PlanLimits {
  /** The wasm backend's single 32-bit heap (4 GiB, less what the runtime needs). */
  wasmHeapBytes?: number;
  /** WebGPU `maxBufferSize`: no tensor may be larger. */
  maxBufferSize?: number;
  /** WebGPU `maxStorageBufferBindingSize`: no tensor bound to a shader may be larger. */
  maxStorageBufferBindingSize?: number;
  /** Memory of the accelerator (WebGPU), when known. */
  deviceMemoryBytes?: number;
  /** Memory this process can use on the host (RAM available). */
  hostMemoryBytes?: number;
}

/** The run a plan is made for. */
export interface MemoryPlanInput {
  /** The model's config. */
  model: LlamaConfig;
  /** Preference pairs per micro-batch (each pair is two sequences). */
  batchSize: number;
  /** Tokens per sequence (`max_length`). */
  maxLength: number;
  /** Micro-batches per optimizer step. Default 1. */
  gradientAccumulationSteps?: number;
  /** Recompute each decoder layer in the backward pass. Default false. */
  gradientCheckpointing?: boolean;
  /** Where reference log-probs come from. Default `live`. */
  reference?: "live" | "precomputed" | "none";
  /** LoRA adapters: the base is frozen and serves as the reference. */
  lora?: PlanLora;
  /** The backend the run will use. */
  backend: PlanBackend;
  /** The limits to check against (see {@linkcode defaultPlanLimits}). */
  limits?: PlanLimits;
  /**
   * The attention keeps memory linear in the sequence length (no [B, H, T, T] probabilities of every layer
   * held for the backward pass). Default false.
   */
  linearAttention?: boolean;
}

/** One line of the plan, bytes. */
export interface PlanPart {
  /** `weights`, `gradients`, `optimizer`, `reference`, `activations`, `runtime` or `checkpoint`. */
  name: string;
  /** Bytes. */
  bytes: number;
  /** What the figure counts. */
  detail: string;
}

/** A limit checked by the plan. */
export interface PlanCheck {
  /** What was checked, e.g. `wasm heap` or `largest tensor vs maxStorageBufferBindingSize`. */
  name: string;
  /** Bytes needed. */
  need: number;
  /** Bytes available. */
  limit: number;
  /** need <= limit. */
  ok: boolean;
}

/** What a run will need, part by part, and whether it fits. */
export interface MemoryPlan {
  /** The input the plan was made for. */
  input: MemoryPlanInput;
  /** Parameters of the model. */
  parameters: number;
  /** Parameters that get gradients and optimizer state. */
  trainableParameters: number;
  /** The parts, in order: weights, gradients, optimizer, reference, activations, runtime, checkpoint. */
  parts: PlanPart[];
  /**
   * The peak, bytes: the parts held during a step (all but `checkpoint`), or while a checkpoint is saved
   * (all but `gradients` and `activations`), whichever is larger.
   */
  totalBytes: number;
  /** The largest single tensor the run allocates, bytes, and what it is. */
  largestTensor: { bytes: number; what: string };
  /** Each limit checked. */
  checks: PlanCheck[];
  /** Every check passed. */
  fits: boolean;
}

const F32 = 4;
/** What the process needs besides tensors: Node, tfjs, the tokenizer and the data (measured ~0.3 GB). */
const RUNTIME_BYTES = 0.3 * 2 ** 30;

/**
 * Plans the memory of a training run before it starts: weights, gradients, AdamW state, the reference model,
 * activations of one micro-batch's forward and backward, the runtime and a checkpoint's save, on the chosen backend; then checks
 * them against its limits (the wasm heap, WebGPU buffer limits, device or host memory).
 *
 * @param input Model config, batch, sequence length, options, backend and limits.
 * @returns The plan; `fits` says whether every limit holds.
 * @example
 * ```ts
 * import { parseLlamaConfig } from "@wpo/llama";
 * import { planMemory } from "@wpo/trainer";
 * const model = parseLlamaConfig({ vocab_size: 49152, hidden_size: 576, intermediate_size: 1536,
 *   num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true });
 * const plan = planMemory({ model, batchSize: 1, maxLength: 1024, backend: "wasm",
 *   limits: { wasmHeapBytes: 4 * 2 ** 30 } });
 * console.assert(plan.parameters === 134515008 && !plan.fits);
 * ```
 */
export function planMemory(input: MemoryPlanInput): MemoryPlan {
  const c = input.model;
  const parameters = parameterCount(c);
  const adapters = input.lora ? loraParameterCount(c, input.lora) : 0;
  const trainable = input.lora ? adapters : parameters;
  const accumulation = input.gradientAccumulationSteps ?? 1;
  const reference = input.reference ?? "live";
  const parts: PlanPart[] = [];
  parts.push({
    name: "weights",
    bytes: (parameters + adapters) * F32,
    detail: input.lora
      ? `${fmtCount(parameters)} frozen base + ${fmtCount(adapters)} adapter parameters, float32`
      : `${fmtCount(parameters)} parameters, float32`,
  });
  // Gradients of one micro-batch, plus the running sum when several are accumulated.
  const gradCopies = accumulation > 1 ? 2 : 1;
  parts.push({
    name: "gradients",
    bytes: gradCopies * trainable * F32,
    detail: `${fmtCount(trainable)} trainable${accumulation > 1 ? ", micro-batch + running sum" : ""}`,
  });
  parts.push({ name: "optimizer", bytes: 2 * trainable * F32, detail: "AdamW first and second moments" });
  const refBytes = reference === "live" && !input.lora ? parameters * F32 : 0;
  parts.push({
    name: "reference",
    bytes: refBytes,
    detail:
      reference === "none"
        ? "reference-free"
        : reference === "precomputed"
          ? "precomputed log-probs (a few bytes a pair)"
          : input.lora
            ? "the base with the adapter off (no copy)"
            : "a frozen float32 copy of the model",
  });
  const sequences = 2 * input.batchSize;
  const act = activationBytes(c, {
    sequences,
    tokens: input.maxLength,
    checkpointing: input.gradientCheckpointing ?? false,
    linearAttention: input.linearAttention ?? false,
    backend: input.backend,
  });
  parts.push({
    name: "activations",
    bytes: act,
    detail:
      `${sequences} sequences x ${input.maxLength} tokens, ${c.numHiddenLayers} layers` +
      (input.gradientCheckpointing ? ", recomputed per layer" : ""),
  });
  parts.push({ name: "runtime", bytes: RUNTIME_BYTES, detail: "Node, tfjs, tokenizer, data" });
  // Saving a checkpoint reads the trained weights and AdamW state back and encodes them (two host copies).
  // It happens between steps, when gradients and activations are gone: the peak is the larger of the two.
  const checkpoint = 2 * 3 * trainable * F32;
  const stepBytes = parts.reduce((a, p) => a + p.bytes, 0);
  const duringStep = (part: string) => parts.find((p) => p.name === part)!.bytes;
  const saveBytes = stepBytes - duringStep("gradients") - duringStep("activations") + checkpoint;
  parts.push({
    name: "checkpoint",
    bytes: checkpoint,
    detail:
      "saving: weights + AdamW state read back and encoded (between steps, not counted with activations)",
  });
  const totalBytes = Math.max(stepBytes, saveBytes);
  const embed = c.vocabSize * c.hiddenSize * F32;
  const actLargest = largestActivationBytes(c, sequences, input.maxLength, input.linearAttention ?? false);
  const largestTensor =
    embed >= actLargest.bytes ? { bytes: embed, what: "model.embed_tokens.weight" } : actLargest;
  const checks = limitChecks(input, {
    step: stepBytes,
    total: totalBytes,
    largest: largestTensor.bytes,
    checkpoint,
  });
  return {
    input,
    parameters,
    trainableParameters: trainable,
    parts,
    totalBytes,
    largestTensor,
    checks,
    fits: checks.every((k) => k.ok),
  };
}

/**
 * Device-side limits hold the tensors of a step (a checkpoint's copies live on the host); the host holds the
 * whole peak on CPU backends.
 */
function limitChecks(
  input: MemoryPlanInput,
  bytes: { step: number; total: number; largest: number; checkpoint: number },
): PlanCheck[] {
  const { step, total, largest } = bytes;
  const l = input.limits ?? {};
  const checks: PlanCheck[] = [];
  const tensorBytes = step - RUNTIME_BYTES;
  if (input.backend === "wasm" && l.wasmHeapBytes !== undefined) {
    checks.push(check("wasm heap", tensorBytes, l.wasmHeapBytes));
  }
  if (input.backend === "webgpu") {
    if (l.deviceMemoryBytes !== undefined) checks.push(check("GPU memory", tensorBytes, l.deviceMemoryBytes));
    if (l.maxBufferSize !== undefined)
      checks.push(check("largest tensor vs maxBufferSize", largest, l.maxBufferSize));
    if (l.maxStorageBufferBindingSize !== undefined) {
      checks.push(
        check("largest tensor vs maxStorageBufferBindingSize", largest, l.maxStorageBufferBindingSize),
      );
    }
  }
  if (l.hostMemoryBytes !== undefined) {
    // On WebGPU the host holds the runtime plus a tensor being loaded or a checkpoint being saved.
    const host = input.backend === "webgpu" ? RUNTIME_BYTES + Math.max(largest, bytes.checkpoint) : total;
    checks.push(check("host memory", host, l.hostMemoryBytes));
  }
  return checks;
}

function check(name: string, need: number, limit: number): PlanCheck {
  return { name, need, limit, ok: need <= limit };
}

function fmtCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}
