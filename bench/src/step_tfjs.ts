import * as tf from "@tensorflow/tfjs-core";
import type { BenchConfig } from "./bench_config.ts";
import { constants, forward, initParams, type Params } from "./model_tfjs.ts";

/** Mean milliseconds per step of each phase. */
export interface PhaseTimes {
  ref_forward: number;
  forward: number;
  logps_loss: number;
  backward: number;
  optimizer: number;
}

/** What {@linkcode benchTfjsStep} measured. */
export interface StepResult {
  step_ms: number;
  tokens_per_s: number;
  phases_ms: PhaseTimes;
  loss: number;
  /** Live tensors after each measured step: must stay flat. */
  num_tensors: number[];
}

/** Value of f(x) with a zero gradient (a detach for tfjs, which has no stop_gradient). */
const detach = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return { value: tf.clone(x), gradFunc: (_dy: tf.Tensor, saved: tf.Tensor[]) => tf.zerosLike(saved[0]!) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

/**
 * Per-sequence sum of log p(label) and the WPO "sampled" log-weight mean over scored
 * positions (log p − logsumexp(2x) + 2·logsumexp(x)). Position t predicts label t+1.
 */
function sequenceLogps(
  logits: tf.Tensor3D,
  labels: tf.Tensor2D,
): { sum: tf.Tensor1D; logWeight: tf.Tensor1D } {
  const [b, t, v] = logits.shape;
  const lg = tf.reshape(tf.slice(logits, [0, 0, 0], [b, t - 1, v]), [-1, v]);
  const lb = tf.reshape(tf.slice(labels, [0, 1], [b, t - 1]), [-1]);
  const mask = tf.cast(tf.notEqual(lb, -100), "float32");
  const safe = tf.maximum(lb, tf.scalar(0, "int32"));
  const flatIdx = tf.add(tf.mul(tf.range(0, b * (t - 1), 1, "int32"), tf.scalar(v, "int32")), safe);
  const lse = tf.logSumExp(lg, -1);
  const picked = tf.mul(tf.sub(tf.gather(tf.reshape(lg, [-1]), flatIdx), lse), mask);
  const count = tf.sum(tf.reshape(mask, [b, t - 1]), -1);
  const sum = tf.sum(tf.reshape(picked, [b, t - 1]), -1) as tf.Tensor1D;
  const d = detach(lg);
  const logZ = tf.sub(tf.logSumExp(tf.mul(d, 2), -1), tf.mul(tf.logSumExp(d, -1), 2));
  const aligned = tf.mul(tf.sub(detach(picked), logZ), mask);
  const logWeight = tf.div(tf.sum(tf.reshape(aligned, [b, t - 1]), -1), count) as tf.Tensor1D;
  return { sum, logWeight };
}

/** The benchmark's AdamW (torch semantics, weight decay 0). */
function adamW(
  params: tf.Variable[],
  grads: Record<string, tf.Tensor>,
  state: { t: number; m: tf.Variable[]; v: tf.Variable[] },
  lr: number,
): void {
  state.t += 1;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const bc1 = 1 - b1 ** state.t;
  const bc2 = 1 - b2 ** state.t;
  tf.tidy(() => {
    params.forEach((p, i) => {
      const g = grads[p.name]!;
      const m = state.m[i]!;
      const v = state.v[i]!;
      m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
      v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
      p.assign(tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(tf.div(v, bc2)), eps)), lr / bc1)));
    });
  });
}

/**
 * Runs the WPO training step (live reference forward, policy forward, log-probs, WPO
 * weighted DPO loss, backward, AdamW) of the benchmark model on the active backend,
 * `warmup` times unmeasured then `steps` times, timing each phase. Phases are exact on
 * synchronous backends (cpu, wasm); WebGPU would need a sync per phase.
 */
export async function benchTfjsStep(
  c: BenchConfig,
  options: { steps: number; warmup: number; onStep?: (step: number) => void },
): Promise<StepResult> {
  const policy: Params = initParams(c, 0);
  const ref: Params = initParams(c, 1000);
  const vars = [...policy.values()];
  const state = {
    t: 0,
    m: vars.map((p) => tf.variable(tf.zerosLike(p))),
    v: vars.map((p) => tf.variable(tf.zerosLike(p))),
  };
  const k = constants(c);
  const b = 2 * c.pairs;
  const ids = tf.tidy(() =>
    tf.cast(tf.floor(tf.randomUniform([b, c.seqLen], 0, c.vocab, "float32", 7)), "int32"),
  ) as tf.Tensor2D;
  const labels = tf.tidy(() =>
    tf.where(
      tf.less(tf.range(0, c.seqLen, 1, "int32"), c.promptLen),
      tf.fill([b, c.seqLen], -100, "int32"),
      ids,
    ),
  ) as tf.Tensor2D;
  const phases: PhaseTimes = { ref_forward: 0, forward: 0, logps_loss: 0, backward: 0, optimizer: 0 };
  const numTensors: number[] = [];
  let loss = 0;
  for (let step = 0; step < options.warmup + options.steps; step++) {
    const t0 = performance.now();
    const refSum = tf.tidy(() => sequenceLogps(forward(ref, ids, c, k), labels).sum);
    await refSum.data();
    const t1 = performance.now();
    let t2 = 0;
    let t3 = 0;
    const { value, grads } = tf.variableGrads(() => {
      const logits = forward(policy, ids, c, k);
      t2 = performance.now();
      const { sum, logWeight } = sequenceLogps(logits, labels);
      const n = c.pairs;
      const part = (x: tf.Tensor1D, start: number) => tf.slice(x, [start], [n]);
      const margin = tf.sub(tf.sub(part(sum, 0), part(refSum, 0)), tf.sub(part(sum, n), part(refSum, n)));
      const weight = tf.minimum(tf.exp(tf.add(part(logWeight, 0), part(logWeight, n))), 1);
      const l = tf.neg(tf.mean(tf.mul(weight, tf.neg(tf.softplus(tf.mul(margin, -c.beta)))))) as tf.Scalar;
      t3 = performance.now();
      return l;
    }, vars);
    const t4 = performance.now();
    adamW(vars, grads, state, c.lr);
    tf.dispose(grads);
    loss = (await value.data())[0]!;
    value.dispose();
    refSum.dispose();
    const t5 = performance.now();
    if (step >= options.warmup) {
      const add = (key: keyof PhaseTimes, dt: number) => {
        phases[key] += dt / options.steps;
      };
      add("ref_forward", t1 - t0);
      add("forward", t2 - t1);
      add("logps_loss", t3 - t2);
      add("backward", t4 - t3);
      add("optimizer", t5 - t4);
      numTensors.push(tf.memory().numTensors);
    }
    options.onStep?.(step);
  }
  tf.dispose([ids, labels, k.cos, k.sin, k.mask, ...vars, ...ref.values(), ...state.m, ...state.v]);
  const stepMs = Object.values(phases).reduce((x, y) => x + y, 0);
  return {
    step_ms: stepMs,
    tokens_per_s: (b * c.seqLen) / (stepMs / 1000),
    phases_ms: phases,
    loss,
    num_tensors: numTensors,
  };
}
