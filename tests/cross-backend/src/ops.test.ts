import * as tf from "@tensorflow/tfjs-core";
import { shutdownBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Outputs, runOnVariants, type VariantRuns } from "./_backends.ts";
import { mismatches } from "./_compare.ts";
import { matmulCases, type OpCase, otherCases } from "./_op_cases.ts";
import { toleranceFor } from "./_tolerances.ts";

const CASES: OpCase[] = [...matmulCases(), ...otherCases()];

async function runCases(label: string): Promise<Outputs> {
  const out: Outputs = new Map();
  const started = performance.now();
  for (const c of CASES) {
    const before = tf.memory().numTensors;
    let ys: tf.Tensor[];
    try {
      ys = tf.tidy(() => c.run());
    } catch (error) {
      out.set(`${c.name} :: error`, new Float32Array([Number.NaN]));
      console.error(`${tf.getBackend()}: ${c.name}: ${(error as Error).message}`);
      continue;
    }
    const values = await Promise.all(ys.map((y) => y.data()));
    tf.dispose(ys);
    if (tf.memory().numTensors !== before) throw new Error(`${c.name}: leaked tensors`);
    c.outputs.forEach((label, i) => {
      out.set(`${c.name} :: ${label}`, Float32Array.from(values[i] as Float32Array));
    });
  }
  console.log(`${label}: ${CASES.length} op cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

let runs: VariantRuns;
beforeAll(async () => {
  runs = await runOnVariants(runCases);
}, 300_000);
afterAll(() => shutdownBackend());

describe("per-op forward and gradient equivalence with the cpu backend", () => {
  for (const label of ["wasm+blas", "wasm", "native", "webgpu"]) {
    it(`${label}: every op case within tolerance`, (ctx) => {
      const got = runs.outputs.get(label);
      if (!got) {
        ctx.skip(`${label} unavailable: ${runs.skipped.get(label) ?? "not selected"}`);
        return;
      }
      const want = runs.outputs.get("cpu")!;
      const names = [...want.keys()].map((k) => k.split(" :: ")[1] ?? k);
      expect(names.length).toBeGreaterThan(60);
      const bad = mismatches(got, want, (name) => toleranceFor(label, name.split(" :: ")[1] ?? name));
      expect(bad, bad.join("\n")).toEqual([]);
    });
  }
});
