import { initBackend } from "@wpo/backends";
import { loadLlama } from "@wpo/llama";
import { afterAll, describe, expect, it } from "vitest";
import { type MemorySample, sampleMemory } from "./memory_sample.ts";
import { fixturePairs, WPO_STEPS } from "../test/fixture.ts";
import { WpoTrainer } from "./wpo_trainer.ts";

afterAll(async () => {
  await initBackend("cpu");
});

describe("a 200-step run's memory", () => {
  // wasm is the CPU backend users get (native BLAS kernels included), so native allocations are covered too.
  it.for(["wasm", "cpu"] as const)("keeps tensors and post-GC RSS flat on %s", async (backend) => {
    await initBackend(backend);
    const policy = await loadLlama(WPO_STEPS);
    const trainer = await WpoTrainer.create(policy, {
      trainPairs: fixturePairs(),
      padTokenId: 0,
      config: { learningRate: 1e-4, maxSteps: 250, perDeviceTrainBatchSize: 1, loggingSteps: 1000 },
    });
    await trainer.trainSteps(50); // warm-up: kernels compiled, optimizer moments and heaps allocated
    const samples: MemorySample[] = [sampleMemory({ collectGarbage: true })];
    for (let i = 0; i < 10; i++) {
      await trainer.trainSteps(20);
      samples.push(sampleMemory({ collectGarbage: true }));
    }
    trainer.dispose();
    policy.dispose();
    const tensors = samples.map((s) => s.tensors);
    const rss = samples.map((s) => s.rssMb!);
    expect(new Set(tensors).size, `tensor counts ${tensors.join(",")}`).toBe(1);
    // Measured: within ±2 MB after the warm-up. A per-step leak of 40 KB would add 8 MB over these 200 steps.
    expect(Math.max(...rss) - rss[0]!, `RSS MB ${rss.map((x) => x.toFixed(1)).join(",")}`).toBeLessThan(8);
    if (backend === "wasm") expect(samples.at(-1)!.wasmHeapMb).toBe(samples[0]!.wasmHeapMb);
  });
});
