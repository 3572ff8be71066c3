import type { MemoryFix } from "./memory_fix.ts";
import type { MemoryPlan } from "./memory_plan.ts";

const GB = 2 ** 30;

/** Bytes as GB with two decimals (binary gigabytes, as `free -g`). */
export function formatGb(bytes: number): string {
  return `${(bytes / GB).toFixed(2)} GB`;
}

/**
 * The plan as the lines `wpo plan` and the start of `wpo train` print: one line per part, the total, each
 * limit checked, and the verdict.
 *
 * @param plan A plan from {@linkcode planMemory}.
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * import { parseLlamaConfig } from "@wpo/llama";
 * import { formatMemoryPlan, planMemory } from "@wpo/trainer";
 * const model = parseLlamaConfig({ vocab_size: 512, hidden_size: 64, intermediate_size: 172,
 *   num_hidden_layers: 5, num_attention_heads: 8, num_key_value_heads: 4 });
 * const lines = formatMemoryPlan(planMemory({ model, batchSize: 8, maxLength: 256, backend: "wasm",
 *   limits: { wasmHeapBytes: 4 * 2 ** 30 } }));
 * console.assert(lines[0]!.startsWith("memory plan") && lines.at(-1)!.includes("fits"));
 * ```
 */
export function formatMemoryPlan(plan: MemoryPlan): string[] {
  const i = plan.input;
  const options = [
    `batch ${i.batchSize}`,
    `max_length ${i.maxLength}`,
    i.gradientCheckpointing ? "gradient checkpointing" : undefined,
    i.lora ? `LoRA r ${i.lora.r}` : undefined,
    `reference ${i.lora ? "adapter off" : (i.reference ?? "live")}`,
  ].filter((x) => x !== undefined);
  const lines = [`memory plan (backend ${i.backend}, float32; ${options.join(", ")}):`];
  for (const p of plan.parts) {
    lines.push(`  ${p.name.padEnd(12)} ${formatGb(p.bytes).padStart(10)}  ${p.detail}`);
  }
  lines.push(`  ${"total".padEnd(12)} ${formatGb(plan.totalBytes).padStart(10)}`);
  lines.push(`  largest tensor ${formatGb(plan.largestTensor.bytes)} (${plan.largestTensor.what})`);
  for (const k of plan.checks) {
    lines.push(`  ${k.ok ? "ok  " : "OVER"} ${k.name}: needs ${formatGb(k.need)} of ${formatGb(k.limit)}`);
  }
  lines.push(plan.fits ? "  fits" : "  does not fit");
  return lines;
}

/**
 * The message of a run that will not fit: what is over which limit, and the cheapest fix with its plan's total.
 *
 * @param plan The plan that does not fit.
 * @param fix The cheapest change that fits, if any.
 * @returns One paragraph.
 * @example
 * ```ts
 * import { parseLlamaConfig } from "@wpo/llama";
 * import { memoryPlanMessage, planMemory } from "@wpo/trainer";
 * const model = parseLlamaConfig({ vocab_size: 512, hidden_size: 64, intermediate_size: 172,
 *   num_hidden_layers: 5, num_attention_heads: 8 });
 * const plan = planMemory({ model, batchSize: 1, maxLength: 64, backend: "wasm", limits: { wasmHeapBytes: 1e6 } });
 * console.assert(memoryPlanMessage(plan, undefined).includes("wasm heap"));
 * ```
 */
export function memoryPlanMessage(plan: MemoryPlan, fix: MemoryFix | undefined): string {
  const over = plan.checks.filter((k) => !k.ok);
  const what = over.map((k) => `${k.name} needs ${formatGb(k.need)} but has ${formatGb(k.limit)}`).join("; ");
  const head = `this run will not fit in memory (${what}).`;
  if (!fix) {
    return `${head} No single change of backend, reference, checkpointing, batch size or LoRA makes it fit: use a machine with more memory.`;
  }
  return `${head} Cheapest fix: ${fix.flags} (${fix.cost}; plan ${formatGb(fix.plan.totalBytes)}). Run \`wpo plan\` with the same options to see every part.`;
}
