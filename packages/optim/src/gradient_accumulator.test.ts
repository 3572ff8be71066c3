import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterEach, describe, expect, it } from "vitest";
import { expectClose } from "../test/fixtures.ts";
import { AdamW } from "./adamw.ts";
import { clipGradNorm } from "./clip_grad_norm.ts";
import { GradientAccumulator } from "./gradient_accumulator.ts";

/** A tiny 2-layer MLP (4 -> 6 -> 1, tanh) with a mean-squared-error loss averaged over the batch. */
function makeModel(prefix: string) {
  const w1 = tf.variable(tf.randomNormal([4, 6], 0, 0.5, "float32", 7), true, `${prefix}_w1`);
  const b1 = tf.variable(tf.randomNormal([6], 0, 0.1, "float32", 8), true, `${prefix}_b1`);
  const w2 = tf.variable(tf.randomNormal([6, 1], 0, 0.5, "float32", 9), true, `${prefix}_w2`);
  const params = new Map([
    ["w1", w1],
    ["b1", b1],
    ["w2", w2],
  ]);
  const loss = (x: tf.Tensor2D, y: tf.Tensor2D) =>
    tf.mean(tf.square(tf.sub(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2), y))) as tf.Scalar;
  return { params, loss };
}

/** Gradients keyed by the map's names ("w1", ...) instead of the variables' names. */
function gradsOf(model: ReturnType<typeof makeModel>, f: () => tf.Scalar): tf.NamedTensorMap {
  const { value, grads } = tf.variableGrads(f, [...model.params.values()]);
  value.dispose();
  const out: tf.NamedTensorMap = {};
  for (const [name, v] of model.params) out[name] = grads[v.name]!;
  return out;
}

/** Trains 3 updates of 8 examples split into micro-batches of `micro` pairs; returns the final parameters. */
async function train(micro: number, reduction: "sum" | "mean"): Promise<Record<string, Float32Array>> {
  const model = makeModel(`acc_${micro}_${reduction}`);
  const opt = new AdamW(model.params, { weightDecay: 0.01, noDecayOn1D: true });
  const acc = new GradientAccumulator({ reduction });
  const steps = 8 / micro;
  for (let update = 0; update < 3; update++) {
    const x = tf.randomNormal([8, 4], 0, 1, "float32", 100 + update) as tf.Tensor2D;
    const y = tf.randomNormal([8, 1], 0, 1, "float32", 200 + update) as tf.Tensor2D;
    for (let k = 0; k < steps; k++) {
      const grads = gradsOf(model, () =>
        tf.tidy(() => {
          const l = model.loss(
            tf.slice(x, [k * micro, 0], [micro, 4]),
            tf.slice(y, [k * micro, 0], [micro, 1]),
          );
          return reduction === "sum" ? tf.div(l, steps) : l; // HF Trainer: loss / gradient_accumulation_steps
        }),
      );
      acc.add(grads);
      tf.dispose(grads);
    }
    expect(acc.count).toBe(steps);
    const summed = acc.gradients();
    acc.reset();
    const { grads, norm } = clipGradNorm(summed, 0.5);
    opt.step(grads, { lr: 0.05 });
    tf.dispose([x, y, summed, grads, norm]);
  }
  const out: Record<string, Float32Array> = {};
  for (const [name, v] of model.params) out[name] = (await v.data()) as Float32Array;
  opt.dispose();
  return out;
}

describe("GradientAccumulator", () => {
  afterEach(() => tf.disposeVariables());

  it.each([
    "cpu",
    "wasm",
  ] as const)("makes batch 1 x accumulation 8 equal batch 8 x accumulation 1 (and 2 x 4), through clipping and AdamW on %s", async (backend) => {
    await initBackend(backend);
    const full = await train(8, "sum");
    for (const [micro, reduction] of [
      [1, "sum"],
      [2, "sum"],
      [1, "mean"],
    ] as const) {
      const accumulated = await train(micro, reduction);
      for (const name of Object.keys(full)) {
        expectClose(accumulated[name]!, full[name]!, `micro ${micro} ${reduction} ${name}`, 1e-6, 1e-6);
      }
    }
  });

  it("sums or averages, copies its inputs, and keeps memory flat", async () => {
    await initBackend("cpu");
    const acc = new GradientAccumulator();
    const g = { w: tf.tensor1d([1, 2]), i: tf.tensor1d([3], "int32") };
    acc.add(g);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) acc.add(g);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(g);
    const sum = acc.gradients();
    expect(Array.from(await sum.w!.data())).toEqual([11, 22]);
    expect(sum.i!.dtype).toBe("float32");
    tf.dispose(sum);
    acc.reset();
    expect(acc.count).toBe(0);
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it("takes the union of names and rejects shape changes and empty reads", async () => {
    await initBackend("cpu");
    const acc = new GradientAccumulator({ reduction: "mean" });
    expect(() => acc.gradients()).toThrow(/no micro-batch was added/);
    const a = { w: tf.tensor1d([2, 2]) };
    const b = new Map([["v", tf.tensor1d([4])]]);
    acc.add(a);
    acc.add(b);
    const out = acc.gradients();
    expect(Array.from(await out.w!.data())).toEqual([1, 1]);
    expect(Array.from(await out.v!.data())).toEqual([2]);
    const bad = { w: tf.tensor1d([1, 2, 3]) };
    expect(() => acc.add(bad)).toThrow(/gradient 'w': expected shape \[2\], got \[3\]/);
    expect(() => new GradientAccumulator({ reduction: "max" as never })).toThrow(RangeError);
    tf.dispose([a, out, bad, ...b.values()]);
    acc.dispose();
  });

  it("with transfer, takes its inputs over and hands the sums back without copies", async () => {
    await initBackend("cpu");
    const acc = new GradientAccumulator();
    const before = tf.memory().numTensors;
    const first = { w: tf.tensor1d([1, 2]) };
    acc.add(first, { transfer: true });
    expect(tf.memory().numTensors).toBe(before + 1); // no copy of the first micro-batch
    acc.add({ w: tf.tensor1d([3, 4]), i: tf.tensor1d([5], "int32") }, { transfer: true });
    expect(first.w.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 2);
    const out = acc.take();
    expect(acc.count).toBe(0);
    expect(Array.from(await out.w!.data())).toEqual([4, 6]);
    expect(out.i!.dtype).toBe("float32");
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(() => acc.take()).toThrow(/no micro-batch was added/);
    tf.dispose(out);
    const mean = new GradientAccumulator({ reduction: "mean" });
    mean.add({ w: tf.tensor1d([2]) }, { transfer: true });
    mean.add({ w: tf.tensor1d([4]) }, { transfer: true });
    const m = mean.take();
    expect(Array.from(await m.w!.data())).toEqual([3]);
    tf.dispose(m);
    expect(tf.memory().numTensors).toBe(before);
  });
});
