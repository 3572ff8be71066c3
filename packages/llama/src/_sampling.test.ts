import { describe, expect, it } from "vitest";
import { SeededRng } from "@wpo/random";
import { argmax, makeSampler, type SamplingParams } from "./_sampling.ts";

/** transformers' filtering, written the obvious way: probabilities of the kept tokens (0 = removed). */
function reference(row: number[], p: SamplingParams): number[] {
  const s = row.map((x) => x / p.temperature);
  const n = s.length;
  const keep = s.map(() => true);
  if (p.topK > 0 && p.topK < n) {
    const kth = [...s].sort((a, b) => b - a)[p.topK - 1]!;
    s.forEach((v, i) => {
      if (v < kth) keep[i] = false;
    });
  }
  const max = Math.max(...s);
  const e = s.map((v, i) => (keep[i] ? Math.exp(v - max) : 0));
  if (p.topP < 1) {
    const z = e.reduce((a, b) => a + b, 0);
    const order = e.map((_, i) => i).sort((a, b) => e[a]! - e[b]!);
    let cum = 0;
    for (let j = 0; j < n - 1; j++) {
      const i = order[j] ?? 0;
      cum += e[i]! / z;
      if (cum <= 1 - p.topP) e[i] = 0;
    }
  }
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

describe("sampler", () => {
  it("greedy is argmax (first on ties)", () => {
    expect(argmax(new Float32Array([1, 5, 5, 2]))).toBe(1);
    expect(makeSampler(4, { temperature: 0, topK: 0, topP: 1 })(new Float32Array([0, 1, 3, 2]), 0.9)).toBe(2);
  });

  for (const params of [
    { temperature: 1, topK: 0, topP: 1 },
    { temperature: 0.7, topK: 5, topP: 1 },
    { temperature: 1.3, topK: 0, topP: 0.8 },
    { temperature: 1, topK: 12, topP: 0.9 },
  ]) {
    it(`samples transformers' filtered distribution: ${JSON.stringify(params)}`, () => {
      const rng = new SeededRng(5).asFunction();
      const row = Array.from({ length: 40 }, () => (rng() - 0.5) * 6);
      const want = reference(row, params);
      const sample = makeSampler(40, params);
      const counts = new Array(40).fill(0);
      const draws = 20000;
      for (let k = 0; k < draws; k++) counts[sample(Float32Array.from(row), (k + 0.5) / draws)]++;
      for (let i = 0; i < 40; i++)
        expect(Math.abs(counts[i] / draws - want[i]!), `token ${i}`).toBeLessThan(2e-4);
    });
  }
});
