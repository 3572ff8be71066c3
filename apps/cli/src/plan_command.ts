import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_ATTENTION_BLOCK_SIZE, type LlamaConfig, NAMED_SHAPES, parseLlamaConfig } from "@wpo/llama";
import {
  formatGb,
  formatMemoryPlan,
  type MemoryPlan,
  memoryPlanMessage,
  type MemoryPlanInput,
  type PlanBackend,
  type PlanLimits,
  planMemory,
  suggestMemoryFix,
} from "@wpo/trainer";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { loadBlas } from "@wpo/blas";
import { availableHostMemory } from "./host_memory.ts";
import { resolveTrainOptions, TRAIN_OPTIONS, type TrainOptions } from "./train_options.ts";

/**
 * The wasm backend's heap: 4 GiB of 32-bit addresses, less what its runtime keeps (~64 MiB).
 *
 * @example
 * ```ts
 * import { WASM_HEAP_BYTES } from "@wpo/cli";
 * console.assert(WASM_HEAP_BYTES < 4 * 2 ** 30);
 * ```
 */
export const WASM_HEAP_BYTES = 4 * 2 ** 30 - 64 * 2 ** 20;

/**
 * Options `wpo plan` adds to those of `wpo train` (which it takes all of, so the same command line plans
 * and trains).
 *
 * @example
 * ```ts
 * import { PLAN_OPTIONS } from "@wpo/cli";
 * console.assert(PLAN_OPTIONS.gpu_memory_gb !== undefined && PLAN_OPTIONS.model !== undefined);
 * ```
 */
export const PLAN_OPTIONS: Record<string, OptionSpec> = {
  gradient_checkpointing: {
    kind: "bool",
    default: false,
    help: "recompute each decoder layer in the backward",
  },
  use_peft: { kind: "bool", default: false, help: "LoRA adapters; the base model is the reference" },
  lora_r: { kind: "int", default: 16, help: "LoRA rank" },
  lora_target_modules: { kind: "string", default: "all-linear", help: "LoRA target projections" },
  ...TRAIN_OPTIONS,
  gpu_memory_gb: { kind: "number", help: "plan: memory of the GPU (WebGPU cannot report it)" },
};

/**
 * A model's config from `--model`: a folder's config.json, the config.json file itself (weights are not read),
 * or, when no such path exists, a named shape (`smollm2-135m`, ...) or its Hugging Face id
 * (`meta-llama/Meta-Llama-3-8B-Instruct`), so that recipes naming a hub model can be planned.
 *
 * @param model The folder or file.
 * @returns The parsed config.
 * @throws {Error} naming the file when it is missing or not a Llama config.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * import { planModelConfig } from "@wpo/cli";
 * const dir = mkdtempSync(join(tmpdir(), "plan-"));
 * writeFileSync(join(dir, "config.json"), JSON.stringify({ vocab_size: 8, hidden_size: 4,
 *   intermediate_size: 6, num_hidden_layers: 1, num_attention_heads: 2 }));
 * console.assert(planModelConfig(dir).vocabSize === 8);
 * ```
 */
export function planModelConfig(model: string | undefined): LlamaConfig {
  if (model === undefined) {
    throw new Error(
      "wpo plan needs --model: a folder holding config.json (the weights are not read), or a shape name " +
        `(${NAMED_SHAPES.map((s) => s.name).join(", ")}) or its Hugging Face id.`,
    );
  }
  if (!existsSync(model)) {
    const shape = NAMED_SHAPES.find((s) => s.name === model || s.source === model);
    if (shape) return parseLlamaConfig(shape.config);
  }
  const file = existsSync(model) && statSync(model).isDirectory() ? join(model, "config.json") : model;
  if (!existsSync(file)) {
    throw new Error(`Cannot plan: '${file}' does not exist; --model must be a folder holding config.json.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new SyntaxError(`Cannot plan: '${file}' is not valid JSON (${(error as Error).message}).`);
  }
  return parseLlamaConfig(json as Record<string, unknown>);
}

/**
 * The plan's input for `wpo train` options on a backend.
 *
 * @param model The model's config.
 * @param o Resolved `wpo train` options.
 * @param backend The backend planned for.
 * @param limits Its limits.
 * @returns The input of `planMemory`.
 * @example
 * ```ts
 * import { parseLlamaConfig } from "@wpo/llama";
 * import { planInput, resolveTrainOptions } from "@wpo/cli";
 * const model = parseLlamaConfig({ vocab_size: 8, hidden_size: 4, intermediate_size: 6,
 *   num_hidden_layers: 1, num_attention_heads: 2 });
 * const input = planInput(model, resolveTrainOptions({ data: "x.jsonl", precompute_ref_log_probs: true }), "wasm", {});
 * console.assert(input.reference === "precomputed");
 * ```
 */
export function planInput(
  model: LlamaConfig,
  o: TrainOptions,
  backend: PlanBackend,
  limits: PlanLimits,
): MemoryPlanInput {
  const reference = o.reference_free ? "none" : o.precompute_ref_log_probs ? "precomputed" : "live";
  const input: MemoryPlanInput = {
    model,
    batchSize: o.per_device_train_batch_size as number,
    maxLength: o.max_length as number,
    gradientAccumulationSteps: o.gradient_accumulation_steps as number,
    gradientCheckpointing: o.gradient_checkpointing === true,
    reference,
    backend,
    limits,
    linearAttention: (o.max_length as number) > DEFAULT_ATTENTION_BLOCK_SIZE,
  };
  if (o.use_peft === true) {
    input.lora = {
      r: (o.lora_r as number | undefined) ?? 16,
      targetModules: String(o.lora_target_modules ?? "all-linear").split(","),
    };
  }
  return input;
}

/**
 * The limits of a backend on this machine (Node): available host memory, the wasm heap, the GPU memory given.
 *
 * @param backend The backend.
 * @param o Options (`gpu_memory_gb`).
 * @returns The limits.
 * @example
 * ```ts
 * import { backendLimits, WASM_HEAP_BYTES } from "@wpo/cli";
 * console.assert(backendLimits("wasm", {}).wasmHeapBytes === WASM_HEAP_BYTES);
 * ```
 */
export function backendLimits(backend: PlanBackend, o: TrainOptions): PlanLimits {
  const limits: PlanLimits = { hostMemoryBytes: availableHostMemory() };
  if (backend === "wasm") limits.wasmHeapBytes = WASM_HEAP_BYTES;
  if (backend === "webgpu" && typeof o.gpu_memory_gb === "number") {
    limits.deviceMemoryBytes = o.gpu_memory_gb * 2 ** 30;
  }
  return limits;
}

/**
 * The CPU backends `auto` chooses from in Node, in order of preference: `native` when the `@wpo/blas` addon
 * loads (as `initBackend("auto")` does), else wasm.
 *
 * @example
 * ```ts
 * import { CPU_BACKENDS } from "@wpo/cli";
 * console.assert(CPU_BACKENDS[0] === "native");
 * ```
 */
export const CPU_BACKENDS: readonly PlanBackend[] = ["native", "wasm"];

/**
 * The backends that can run in this process: `native` only when the `@wpo/blas` addon loads.
 *
 * @returns Backend names.
 * @example
 * ```ts
 * import { localBackends } from "@wpo/cli";
 * console.assert(localBackends().includes("wasm"));
 * ```
 */
export function localBackends(): PlanBackend[] {
  return loadBlas() ? ["native", "wasm", "cpu", "webgpu"] : ["wasm", "cpu", "webgpu"];
}

/**
 * Plans a run: the plan for the requested backend (for `auto`, the first CPU backend whose plan fits), and
 * when it does not fit the cheapest fix.
 *
 * @param model The model's config.
 * @param o The resolved `wpo train` options.
 * @param available Backends that can run here (default: {@linkcode localBackends}).
 * @returns The plan and, when it does not fit, the cheapest fix.
 * @example
 * ```ts
 * import { parseLlamaConfig } from "@wpo/llama";
 * import { planRun, resolveTrainOptions } from "@wpo/cli";
 * const model = parseLlamaConfig({ vocab_size: 512, hidden_size: 64, intermediate_size: 172,
 *   num_hidden_layers: 5, num_attention_heads: 8, num_key_value_heads: 4 });
 * const { plan } = planRun(model, resolveTrainOptions({ data: "x.jsonl", backend: "wasm" }));
 * console.assert(plan.fits && plan.input.backend === "wasm");
 * ```
 */
export function planRun(
  model: LlamaConfig,
  o: TrainOptions,
  available: readonly PlanBackend[] = localBackends(),
): { plan: MemoryPlan; fix: ReturnType<typeof suggestMemoryFix> } {
  const requested = (o.backend as string | undefined) ?? "auto";
  const make = (b: PlanBackend) => planMemory(planInput(model, o, b, backendLimits(b, o)));
  let plan: MemoryPlan;
  if (requested === "auto") {
    const cpu = CPU_BACKENDS.filter((b) => available.includes(b));
    plan = make(cpu[0] ?? "wasm");
    for (const b of cpu.slice(1)) {
      if (plan.fits) break;
      plan = make(b);
    }
  } else {
    plan = make(requested as PlanBackend);
  }
  if (plan.fits) return { plan, fix: undefined };
  const others = CPU_BACKENDS.filter((b) => b !== plan.input.backend && available.includes(b)).map((b) => ({
    backend: b,
    limits: backendLimits(b, o),
  }));
  return { plan, fix: suggestMemoryFix(plan.input, { otherBackends: others }) };
}

/**
 * `wpo plan`: the memory plan of a `wpo train` command line, without loading weights or starting a backend.
 *
 * @param values The options given on the command line (those of `wpo train`, plus `--gpu_memory_gb`).
 * @param io Output streams.
 * @returns The plan.
 * @example
 * ```ts
 * import { runPlan } from "@wpo/cli";
 * console.assert(typeof runPlan === "function");
 * ```
 */
export async function runPlan(
  values: Record<string, number | boolean | string>,
  io: CliIo,
): Promise<MemoryPlan> {
  const o = resolveTrainOptions({ data: "(plan)", ...values });
  const model = planModelConfig(o.model as string | undefined);
  const { plan, fix } = planRun(model, o);
  for (const line of formatMemoryPlan(plan)) io.out(line);
  if (!plan.fits) {
    io.out(
      fix
        ? `cheapest fix: ${fix.flags} (${fix.cost}): ${formatGb(fix.plan.totalBytes)}`
        : "no single change makes it fit: use a machine with more memory",
    );
  }
  if (plan.input.lora || plan.input.gradientCheckpointing || plan.input.reference !== "live") {
    const full = planMemory({
      ...plan.input,
      lora: undefined,
      gradientCheckpointing: false,
      reference: "live",
    });
    io.out(
      `full fine-tuning (live reference, no checkpointing, no LoRA) would need ${formatGb(full.totalBytes)}`,
    );
  }
  return plan;
}

/**
 * The start of `wpo train`: prints the memory plan of a model folder's run on the backend in use and stops
 * with the cheapest fix when it will not fit. Runs of llama2.c files and the demo are small and not planned.
 *
 * @param o Resolved options; `backend` is the backend in use.
 * @param io Output streams.
 * @returns The plan, or undefined when the model is not a folder.
 * @throws {Error} naming the limit and the cheapest fix when the run will not fit.
 * @example
 * ```ts
 * import { checkRunFits } from "@wpo/cli";
 * console.assert(checkRunFits({ model: undefined, backend: "cpu" }, { out: () => {}, err: process.stderr }) === undefined);
 * ```
 */
export function checkRunFits(o: TrainOptions, io: CliIo): MemoryPlan | undefined {
  const model = o.model;
  if (typeof model !== "string" || !existsSync(join(model, "config.json"))) return undefined;
  const { plan, fix } = planRun(planModelConfig(model), o);
  for (const line of formatMemoryPlan(plan)) io.out(line);
  if (!plan.fits) throw new Error(memoryPlanMessage(plan, fix));
  return plan;
}
