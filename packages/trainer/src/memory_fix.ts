import { type MemoryPlan, type MemoryPlanInput, planMemory } from "./memory_plan.ts";

/** A change of options that makes a run fit, with the plan it gives. */
export interface MemoryFix {
  /** The command-line flags of the change, e.g. `--gradient_checkpointing`. */
  flags: string;
  /** What the change costs, in words. */
  cost: string;
  /** The plan with the change applied. */
  plan: MemoryPlan;
}

/** Options of {@linkcode suggestMemoryFix}. */
export interface SuggestMemoryFixOptions {
  /** Other backends the run could use, each with its limits (the CLI passes `native` where it is available). */
  otherBackends?: readonly Pick<MemoryPlanInput, "backend" | "limits">[];
}

interface Candidate {
  flags: string;
  cost: string;
  change: (i: MemoryPlanInput) => MemoryPlanInput | undefined;
}

/** Changes in the order of what they cost: same maths first, then compute, then a different method. */
function candidates(options: SuggestMemoryFixOptions): Candidate[] {
  const list: Candidate[] = [];
  for (const other of options.otherBackends ?? []) {
    list.push({
      flags: `--backend ${other.backend}`,
      cost: "same maths, another backend",
      change: (i) => (i.backend === other.backend ? undefined : { ...i, ...other }),
    });
  }
  list.push({
    flags: "--precompute_ref_log_probs",
    cost: "same maths; the reference runs once before training",
    change: (i) =>
      (i.reference ?? "live") === "live" && !i.lora ? { ...i, reference: "precomputed" } : undefined,
  });
  list.push({
    flags: "--gradient_checkpointing",
    cost: "same maths; about a third more compute",
    change: (i) => (i.gradientCheckpointing ? undefined : { ...i, gradientCheckpointing: true }),
  });
  list.push({
    flags: "--gradient_checkpointing --precompute_ref_log_probs",
    cost: "same maths; a third more compute, reference once",
    change: (i) =>
      (i.reference ?? "live") === "live" && !i.lora && !i.gradientCheckpointing
        ? { ...i, reference: "precomputed", gradientCheckpointing: true }
        : undefined,
  });
  for (const batch of [4, 2, 1]) {
    list.push({
      flags: `--per_device_train_batch_size ${batch} --gradient_accumulation_steps <N x ${batch} smaller>`,
      cost: "same effective batch, smaller micro-batches",
      change: (i) =>
        i.batchSize > batch
          ? {
              ...i,
              batchSize: batch,
              gradientAccumulationSteps: ((i.gradientAccumulationSteps ?? 1) * i.batchSize) / batch,
            }
          : undefined,
    });
  }
  list.push({
    flags: "--use_peft --lora_r 16 --gradient_checkpointing",
    cost: "LoRA: only adapters are trained; the base is the reference",
    change: (i) =>
      i.lora
        ? undefined
        : { ...i, lora: { r: 16, targetModules: ["all-linear"] }, gradientCheckpointing: true },
  });
  return list;
}

/**
 * The cheapest change of options that makes a run fit, trying (in this order) another backend, precomputed
 * reference log-probs, gradient checkpointing, smaller micro-batches with more accumulation, and LoRA: each
 * alone on this backend, then each on another backend, then each of those with micro-batches of one pair.
 *
 * @param input The run that does not fit.
 * @param options Other backends to consider.
 * @returns The first change that fits, or undefined when none does.
 * @example
 * ```ts
 * import { parseLlamaConfig } from "@wpo/llama";
 * import { suggestMemoryFix } from "@wpo/trainer";
 * const model = parseLlamaConfig({ vocab_size: 49152, hidden_size: 576, intermediate_size: 1536,
 *   num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true });
 * const fix = suggestMemoryFix({ model, batchSize: 1, maxLength: 1024, backend: "wasm",
 *   limits: { wasmHeapBytes: 4 * 2 ** 30 } });
 * console.assert(fix !== undefined && fix.plan.fits);
 * ```
 */
export function suggestMemoryFix(
  input: MemoryPlanInput,
  options: SuggestMemoryFixOptions = {},
): MemoryFix | undefined {
  const list = candidates(options);
  const others = options.otherBackends ?? [];
  const tries: { input: MemoryPlanInput; flags: string; cost: string }[] = [];
  // One change, on this backend (a backend change is itself one of the candidates).
  for (const c of list) {
    const changed = c.change(input);
    if (changed) tries.push({ input: changed, flags: c.flags, cost: c.cost });
  }
  // One change on another backend.
  for (const other of others) {
    for (const c of list) {
      if (c.flags.startsWith("--backend")) continue;
      const changed = c.change({ ...input, ...other });
      if (changed) {
        tries.push({ input: changed, flags: `--backend ${other.backend} ${c.flags}`, cost: c.cost });
      }
    }
  }
  // Each of those with micro-batches of one pair.
  for (const t of [...tries]) {
    if (t.input.batchSize === 1) continue;
    tries.push({
      input: {
        ...t.input,
        batchSize: 1,
        gradientAccumulationSteps: (t.input.gradientAccumulationSteps ?? 1) * t.input.batchSize,
      },
      flags: `${t.flags} --per_device_train_batch_size 1`,
      cost: `${t.cost}; micro-batches of 1`,
    });
  }
  for (const t of tries) {
    const plan = planMemory(t.input);
    if (plan.fits) return { flags: t.flags, cost: t.cost, plan };
  }
  return undefined;
}
