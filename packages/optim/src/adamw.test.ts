import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterEach, describe, expect, it } from "vitest";
import { type AdamWRun, expectClose, gradTensors, readFixture } from "../test/fixtures.ts";
import { AdamW } from "./adamw.ts";
import { clipGradNorm } from "./clip_grad_norm.ts";

const runs = readFixture<AdamWRun[]>("adamw.json");

function makeParams(run: AdamWRun): Map<string, tf.Variable> {
  return new Map(
    Object.entries(run.initial).map(([name, v]) => [name, tf.variable(tf.tensor(v, run.shapes[name]), true)]),
  );
}

function makeOptimizer(run: AdamWRun, params: Map<string, tf.Variable>): AdamW {
  return new AdamW(params, {
    betas: run.betas,
    eps: run.eps,
    groups: run.groups.map((g) => ({ params: g.names, weightDecay: g.weightDecay, lrScale: g.lrScale ?? 1 })),
  });
}

/** Runs steps [from, to) of the fixture on the optimizer, checking every step against torch. */
async function replay(run: AdamWRun, params: Map<string, tf.Variable>, opt: AdamW, from: number, to: number) {
  for (let s = from; s < to; s++) {
    const ref = run.steps[s]!;
    const grads = gradTensors(run.shapes, ref.grads);
    if (run.maxNorm !== null) {
      const { grads: clipped, norm } = clipGradNorm(grads, run.maxNorm);
      expectClose(await norm.data(), [ref.norm!], `${run.name} step ${s} norm`, 0, 1e-6);
      opt.step(clipped, { lr: ref.lr });
      tf.dispose([clipped, norm]);
    } else {
      opt.step(grads, { lr: ref.lr });
    }
    tf.dispose(grads);
    const state = await opt.state();
    expect(state.paramSteps, `${run.name} step ${s}`).toEqual(ref.paramSteps);
    for (const [name, p] of params) {
      expectClose(await p.data(), ref.params[name]!, `${run.name} step ${s} param ${name}`, 1e-6, 1e-6);
      if (ref.expAvg[name]) {
        expectClose(state.m[name]!, ref.expAvg[name]!, `${run.name} step ${s} exp_avg ${name}`, 1e-7, 1e-5);
        expectClose(
          state.v[name]!,
          ref.expAvgSq[name]!,
          `${run.name} step ${s} exp_avg_sq ${name}`,
          1e-9,
          1e-5,
        );
      }
    }
  }
}

describe.each(["cpu", "wasm"] as const)("AdamW on %s", (backend) => {
  afterEach(() => tf.disposeVariables());

  it.each(
    runs.map((r) => [r.name, r] as const),
  )("follows torch.optim.AdamW's trajectory: %s", async (_, run) => {
    await initBackend(backend);
    const params = makeParams(run);
    const opt = makeOptimizer(run, params);
    await replay(run, params, opt, 0, run.steps.length);
    opt.dispose();
  });

  it("resumes bit-exactly from a saved state", async () => {
    await initBackend(backend);
    const run = runs[0]!;
    const straight = makeParams(run);
    const opt1 = makeOptimizer(run, straight);
    await replay(run, straight, opt1, 0, run.steps.length);

    const resumed = makeParams(run);
    const opt2 = makeOptimizer(run, resumed);
    await replay(run, resumed, opt2, 0, 3);
    const saved = structuredClone(await opt2.state());
    opt2.dispose();
    const opt3 = makeOptimizer(run, resumed);
    opt3.loadState(saved);
    expect(opt3.stepCount).toBe(3);
    await replay(run, resumed, opt3, 3, run.steps.length);
    for (const [name, p] of straight) {
      expect(await resumed.get(name)!.data(), name).toEqual(await p.data());
    }
    expect(await opt3.state()).toEqual(await opt1.state());
    opt1.dispose();
    opt3.dispose();
  });
});

describe("AdamW", () => {
  afterEach(() => tf.disposeVariables());

  it("keeps parameters at lr 0 but still updates the moments (HF step 0 under warmup)", async () => {
    await initBackend("cpu");
    const w = tf.variable(tf.tensor2d([[1, 2]]), true);
    const opt = new AdamW([w], { weightDecay: 0.1 });
    const g = { [w.name]: tf.tensor2d([[0.5, -1]]) };
    opt.step(g, { lr: 0 });
    expect(Array.from(await w.data())).toEqual([1, 2]);
    expectClose((await opt.state()).m[w.name]!, [0.05, -0.1], "m", 1e-8);
    tf.dispose(g);
    opt.dispose();
  });

  it("finds gradients by map key or by variable name, and skips parameters without one", async () => {
    await initBackend("cpu");
    const a = tf.variable(tf.tensor1d([1]), true, "adamw_test_a");
    const b = tf.variable(tf.tensor1d([1]), true, "adamw_test_b");
    const opt = new AdamW(
      new Map([
        ["model.a", a],
        ["model.b", b],
      ]),
      { weightDecay: 0 },
    );
    const g = { adamw_test_a: tf.tensor1d([1]) };
    opt.step(g, { lr: 0.5 });
    expectClose(await a.data(), [0.5], "a");
    expect(Array.from(await b.data())).toEqual([1]);
    expect((await opt.state()).paramSteps).toEqual({ "model.a": 1 });
    tf.dispose(g);
    opt.dispose();
  });

  it("resolves groups: explicit groups first, then noDecayOn1D", async () => {
    await initBackend("cpu");
    const w = tf.variable(tf.zeros([2, 2]), true);
    const n = tf.variable(tf.zeros([2]), true);
    const e = tf.variable(tf.zeros([2, 3]), true);
    const opt = new AdamW(
      new Map([
        ["w", w],
        ["norm", n],
        ["embed", e],
      ]),
      {
        weightDecay: 0.1,
        noDecayOn1D: true,
        groups: [{ params: (name) => name === "embed", weightDecay: 0.5, lrScale: 2 }],
      },
    );
    expect(opt.groups).toEqual({
      w: { weightDecay: 0.1, lrScale: 1 },
      norm: { weightDecay: 0, lrScale: 1 },
      embed: { weightDecay: 0.5, lrScale: 2 },
    });
    opt.dispose();
  });

  it("keeps tf.memory().numTensors flat over repeated steps", async () => {
    await initBackend("cpu");
    const w = tf.variable(tf.randomNormal([8, 4], 0, 1, "float32", 1), true);
    const opt = new AdamW([w]);
    const g = { [w.name]: tf.randomNormal([8, 4], 0, 1, "float32", 2) };
    opt.step(g, { lr: 1e-3 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) opt.step(g, { lr: 1e-3 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(g);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before - 3);
  });

  it("rejects bad hyperparameters, shapes and states with clear messages", async () => {
    await initBackend("cpu");
    const w = tf.variable(tf.zeros([2, 2]), true);
    expect(() => new AdamW([w], { betas: [1, 0.999] })).toThrow(/betas\[0\] must be in \[0, 1\)/);
    expect(() => new AdamW([w], { eps: -1 })).toThrow(RangeError);
    expect(() => new AdamW({ x: 3 as never })).toThrow(/'x' is not a tf.Variable/);
    const opt = new AdamW(new Map([["w", w]]));
    const g = { w: tf.zeros([4]) };
    expect(() => opt.step(g)).toThrow(/gradient of 'w': expected shape \[2, 2\], got \[4\]/);
    expect(() => opt.step({}, { lr: -1 })).toThrow(/lr must be a finite number >= 0/);
    expect(() => opt.loadState({ step: 1, paramSteps: { q: 1 }, m: {}, v: {} })).toThrow(/'q'/);
    expect(() =>
      opt.loadState({
        step: 1,
        paramSteps: { w: 1 },
        m: { w: new Float32Array(3) },
        v: { w: new Float32Array(3) },
      }),
    ).toThrow(/must have 4 values/);
    tf.dispose(g);
    opt.dispose();
  });
});
