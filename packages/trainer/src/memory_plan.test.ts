import { namedShape, parseLlamaConfig } from "@wpo/llama";
import { describe, expect, it } from "vitest";
import { formatMemoryPlan, memoryPlanMessage } from "./format_memory_plan.ts";
import { suggestMemoryFix } from "./memory_fix.ts";
import { type MemoryPlanInput, planMemory } from "./memory_plan.ts";

const smol = parseLlamaConfig(namedShape("smollm2-135m").config);
const llama1b = parseLlamaConfig(namedShape("llama3.2-1b").config);
const base: MemoryPlanInput = { model: smol, batchSize: 1, maxLength: 1024, backend: "native" };
const part = (p: ReturnType<typeof planMemory>, name: string) => p.parts.find((x) => x.name === name)!.bytes;

describe("planMemory", () => {
  it("counts SmolLM2-135M's parameters and the full fine-tuning state", () => {
    const p = planMemory(base);
    expect(p.parameters).toBe(134515008);
    expect(part(p, "weights")).toBe(134515008 * 4);
    expect(part(p, "gradients")).toBe(134515008 * 4);
    expect(part(p, "optimizer")).toBe(2 * 134515008 * 4);
    expect(part(p, "reference")).toBe(134515008 * 4);
    const sum = (names: string[]) => names.reduce((a, n) => a + part(p, n), 0);
    const held = ["weights", "optimizer", "reference", "runtime"];
    expect(p.totalBytes).toBe(
      Math.max(sum([...held, "gradients", "activations"]), sum([...held, "checkpoint"])),
    );
    expect(part(p, "checkpoint")).toBe(2 * 3 * 134515008 * 4);
  });

  it("with LoRA trains only the adapters and keeps no reference copy", () => {
    const p = planMemory({ ...base, lora: { r: 16, targetModules: ["all-linear"] } });
    // r·(in+out) per projection: q 576+576, k 576+192, v 576+192, o 576+576, gate/up 576+1536, down 1536+576
    const perLayer = 16 * (1152 + 768 + 768 + 1152 + 3 * 2112);
    expect(p.trainableParameters).toBe(30 * perLayer);
    expect(part(p, "reference")).toBe(0);
    expect(part(p, "optimizer")).toBe(2 * 30 * perLayer * 4);
    const qv = planMemory({ ...base, lora: { r: 8, targetModules: ["q_proj", "v_proj"] } });
    expect(qv.trainableParameters).toBe(30 * 8 * (1152 + 768));
  });

  it("precomputed or no reference drop the reference copy; accumulation keeps a running sum", () => {
    expect(part(planMemory({ ...base, reference: "precomputed" }), "reference")).toBe(0);
    expect(part(planMemory({ ...base, reference: "none" }), "reference")).toBe(0);
    expect(part(planMemory({ ...base, gradientAccumulationSteps: 4 }), "gradients")).toBe(2 * 134515008 * 4);
  });

  it("gradient checkpointing cuts activations by an order of magnitude", () => {
    const full = part(planMemory(base), "activations");
    const ckpt = part(planMemory({ ...base, gradientCheckpointing: true }), "activations");
    expect(ckpt).toBeLessThan(full / 10);
  });

  it("linear attention keeps activations at 2T within 2.2x of T", () => {
    const at = (t: number) =>
      part(
        planMemory({ ...base, maxLength: t, linearAttention: true, gradientCheckpointing: true }),
        "activations",
      );
    expect(at(2048) / at(1024)).toBeLessThanOrEqual(2.2);
  });

  it("checks the wasm heap and names the cheapest fix", () => {
    const input: MemoryPlanInput = { ...base, backend: "wasm", limits: { wasmHeapBytes: 4 * 2 ** 30 } };
    const p = planMemory(input);
    expect(p.fits).toBe(false);
    expect(p.checks[0]).toMatchObject({ name: "wasm heap", ok: false });
    const viaBackend = suggestMemoryFix(input, {
      otherBackends: [{ backend: "native", limits: { hostMemoryBytes: 20 * 2 ** 30 } }],
    });
    expect(viaBackend?.flags).toBe("--backend native");
    const withoutOther = suggestMemoryFix(input);
    expect(withoutOther?.flags).toBe("--gradient_checkpointing");
    expect(withoutOther?.plan.fits).toBe(true);
    const msg = memoryPlanMessage(p, withoutOther);
    expect(msg).toContain("wasm heap needs");
    expect(msg).toContain("Cheapest fix: --gradient_checkpointing");
    expect(formatMemoryPlan(p).at(-1)).toBe("  does not fit");
  });

  it("checks WebGPU's per-buffer limits against the largest tensor", () => {
    const p = planMemory({
      model: llama1b,
      batchSize: 1,
      maxLength: 1024,
      backend: "webgpu",
      limits: { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 },
    });
    expect(p.largestTensor).toEqual({ bytes: 128256 * 2048 * 4, what: "model.embed_tokens.weight" });
    expect(p.checks.find((k) => k.name.includes("maxStorageBufferBindingSize"))?.ok).toBe(false);
  });

  it("combines another backend with a change when neither alone fits", () => {
    const input: MemoryPlanInput = {
      model: llama1b,
      batchSize: 1,
      maxLength: 1024,
      backend: "wasm",
      limits: { wasmHeapBytes: 4 * 2 ** 30, hostMemoryBytes: 20 * 2 ** 30 },
      linearAttention: true,
    };
    const fix = suggestMemoryFix(input, {
      otherBackends: [{ backend: "native", limits: { hostMemoryBytes: 20 * 2 ** 30 } }],
    });
    expect(fix?.flags).toBe("--backend native --use_peft --lora_r 16 --gradient_checkpointing");
    expect(fix?.plan.fits).toBe(true);
  });

  it("says when nothing fits", () => {
    const input: MemoryPlanInput = { ...base, backend: "wasm", limits: { wasmHeapBytes: 2 ** 20 } };
    expect(suggestMemoryFix(input)).toBeUndefined();
    expect(memoryPlanMessage(planMemory(input), undefined)).toContain("more memory");
  });
});
