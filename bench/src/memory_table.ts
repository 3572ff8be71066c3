/**
 * `pnpm --filter @wpo/bench memory-table`: the memory plan (`@wpo/trainer`'s planMemory) of every named shape
 * under the usual option sets, on wasm (4 GiB heap), native (a 24 GiB machine) and WebGPU (an 80 GB GPU), as
 * the markdown table of docs/memory.md. Planned figures, not measurements.
 */
import { NAMED_SHAPES, parseLlamaConfig } from "@wpo/llama";
import { formatGb, type MemoryPlanInput, type PlanBackend, planMemory } from "@wpo/trainer";

const GIB = 2 ** 30;
const seqLen = Number(process.argv[process.argv.indexOf("--seq-len") + 1]) || 1024;
const limits: Record<string, MemoryPlanInput["limits"]> = {
  wasm: { wasmHeapBytes: 4 * GIB - 64 * 2 ** 20, hostMemoryBytes: 24 * GIB },
  native: { hostMemoryBytes: 24 * GIB },
  webgpu: { deviceMemoryBytes: 80 * 1e9 },
};
const options: [string, Partial<MemoryPlanInput>][] = [
  ["full, live reference", {}],
  ["full + checkpointing", { gradientCheckpointing: true }],
  ["full + checkpointing + precomputed ref", { gradientCheckpointing: true, reference: "precomputed" }],
  [
    "LoRA r16 all-linear + checkpointing",
    { gradientCheckpointing: true, lora: { r: 16, targetModules: ["all-linear"] } },
  ],
];
console.log(
  `| shape | options (1 pair x ${seqLen} tokens) | total | wasm (4 GiB heap) | native (24 GiB RAM) | WebGPU (80 GB GPU) |`,
);
console.log("|---|---|---|---|---|---|");
for (const shape of NAMED_SHAPES) {
  const model = parseLlamaConfig(shape.config);
  for (const [label, extra] of options) {
    const cells: string[] = [];
    let total = 0;
    for (const backend of ["wasm", "native", "webgpu"] as PlanBackend[]) {
      const plan = planMemory({
        model,
        batchSize: 1,
        maxLength: seqLen,
        backend,
        limits: limits[backend],
        linearAttention: seqLen > 256,
        ...extra,
      });
      total = plan.totalBytes;
      cells.push(plan.fits ? "fits" : "no");
    }
    console.log(`| ${shape.name} | ${label} | ${formatGb(total)} | ${cells.join(" | ")} |`);
  }
}
