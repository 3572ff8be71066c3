import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { describe, expect, it } from "vitest";
import { expectClose, gradTensors, readFixture } from "../test/fixtures.ts";
import { clipGradNorm } from "./clip_grad_norm.ts";

interface ClipCase {
  maxNorm: number;
  normType: 2 | "inf";
  grads: Record<string, number[]>;
  norm: number;
  clipped: Record<string, number[]>;
}

const cases = readFixture<ClipCase[]>("clip_grad_norm.json");
const shapes = { "layer.weight": [4, 3], "layer.bias": [3], "block.kernel": [2, 3, 2], "norm.weight": [5] };

describe("clipGradNorm", () => {
  it.each(["cpu", "wasm"] as const)("matches torch.nn.utils.clip_grad_norm_ on %s", async (backend) => {
    await initBackend(backend);
    for (const c of cases) {
      const grads = gradTensors(shapes, c.grads);
      const normType = c.normType === "inf" ? Number.POSITIVE_INFINITY : 2;
      const out = clipGradNorm(grads, c.maxNorm, { normType });
      const what = `maxNorm ${c.maxNorm} norm ${c.normType}`;
      expectClose(await out.norm.data(), [c.norm], `${what} total norm`, 0, 1e-6);
      for (const name of Object.keys(c.clipped)) {
        expectClose(await out.grads[name]!.data(), c.clipped[name]!, `${what} ${name}`, 1e-8, 1e-6);
        expectClose(await grads[name]!.data(), c.grads[name]!, `${what} input ${name} untouched`, 0, 0);
      }
      tf.dispose([grads, out.grads, out.norm]);
    }
  });

  it("accepts a Map, returns norm 0 for no gradients, and keeps memory flat", async () => {
    await initBackend("cpu");
    const empty = clipGradNorm(new Map(), 1);
    expect(await empty.norm.data()).toEqual(new Float32Array([0]));
    empty.norm.dispose();
    const grads = new Map([["a", tf.tensor1d([3, 4])]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const out = clipGradNorm(grads, 10);
      expect(Array.from(await out.grads.a!.data())).toEqual([3, 4]);
      tf.dispose([out.grads, out.norm]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...grads.values()]);
  });

  it("rejects a non-positive maxNorm and other norm types", async () => {
    await initBackend("cpu");
    expect(() => clipGradNorm({}, 0)).toThrow(/maxNorm must be a number > 0/);
    expect(() => clipGradNorm({}, 1, { normType: 1 as never })).toThrow(/normType must be 2 or Infinity/);
  });
});
