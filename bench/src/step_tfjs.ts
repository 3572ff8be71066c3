import * as tf from "@tensorflow/tfjs-core";
import { selectedLogProbs } from "@wpo/backends";
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

/**
 * The fastest measured step and its phases. The machine is shared, so the fastest of a
 * few steps is the reproducible figure (other processes only ever slow a step down).
 */
export function fastestStep(measured: PhaseTimes[]): { phases: PhaseTimes; stepMs: number } {
  const total = (p: PhaseTimes) => p.ref_forward + p.forward + p.logps_loss + p.backward + p.optimizer;
  const best = measured.reduce((a, b) => (total(b) < total(a) ? b : a));
  return { phases: best, stepMs: total(best) };
}

/** What {@linkcode benchTfjsStep} measured. */
export interface StepResult {
  step_ms: number;
  tokens_per_s: number;
  phases_ms: PhaseTimes;
  loss: number;
  /** Every measured step's total ms. */
  steps_ms: number[];
  /** Live tensors after each measured step: must stay flat. */
  num_tensors: number[];
}

/**
 * WPO "sampled" log-weight per sequence: mean over scored positions of
 * log p(label) − (logsumexp(2x) − 2·logsumexp(x)). Detached: run as ONE custom op whose
 * gradient is zero, so its [B·T, V] intermediates never enter the gradient tape.
 */
const wpoLogWeight = tf.customGrad(((lg: tf.Tensor2D, flatIdx: tf.Tensor1D, mask: tf.Tensor2D) => {
  const [b, t1] = mask.shape;
  const lse = tf.logSumExp(lg, -1);
  const logZ = tf.sub(tf.logSumExp(tf.mul(lg, 2), -1), tf.mul(lse, 2));
  const picked = tf.sub(tf.gather(tf.reshape(lg, [-1]), flatIdx), lse);
  const aligned = tf.mul(tf.reshape(tf.sub(picked, logZ), [b, t1]), mask);
  return {
    value: tf.div(tf.sum(aligned, -1), tf.sum(mask, -1)),
    gradFunc: () => [tf.zerosLike(lg), tf.zerosLike(flatIdx), tf.zerosLike(mask)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (
  lg: tf.Tensor,
  idx: tf.Tensor,
  mask: tf.Tensor,
) => tf.Tensor1D;

/** Per-sequence sum of log p(label) over scored positions and the WPO log-weight. Position t predicts label t+1. */
function sequenceLogps(
  logits: tf.Tensor3D,
  labels: tf.Tensor2D,
  withWeight = true,
): { sum: tf.Tensor1D; logWeight?: tf.Tensor1D } {
  const [b, t, v] = logits.shape;
  const lg = tf.reshape(tf.slice(logits, [0, 0, 0], [b, t - 1, v]), [-1, v]);
  const lb = tf.reshape(tf.slice(labels, [0, 1], [b, t - 1]), [-1]);
  const mask = tf.cast(tf.notEqual(lb, -100), "float32");
  const safe = tf.maximum(lb, tf.scalar(0, "int32"));
  const flatIdx = tf.add(tf.mul(tf.range(0, b * (t - 1), 1, "int32"), tf.scalar(v, "int32")), safe);
  const picked = tf.mul(selectedLogProbs(lg as tf.Tensor2D, safe as tf.Tensor1D), mask);
  const sum = tf.sum(tf.reshape(picked, [b, t - 1]), -1) as tf.Tensor1D;
  return withWeight ? { sum, logWeight: wpoLogWeight(lg, flatIdx, tf.reshape(mask, [b, t - 1])) } : { sum };
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
  const measured: PhaseTimes[] = [];
  const numTensors: number[] = [];
  let loss = 0;
  for (let step = 0; step < options.warmup + options.steps; step++) {
    const t0 = performance.now();
    const refSum = tf.tidy(() => sequenceLogps(forward(ref, ids, c, k), labels, false).sum);
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
      const weight = tf.minimum(tf.exp(tf.add(part(logWeight!, 0), part(logWeight!, n))), 1);
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
      measured.push({
        ref_forward: t1 - t0,
        forward: t2 - t1,
        logps_loss: t3 - t2,
        backward: t4 - t3,
        optimizer: t5 - t4,
      });
      numTensors.push(tf.memory().numTensors);
    }
    options.onStep?.(step);
  }
  tf.dispose([ids, labels, k.cos, k.sin, k.mask, ...vars, ...ref.values(), ...state.m, ...state.v]);
  const { phases, stepMs } = fastestStep(measured);
  return {
    step_ms: stepMs,
    tokens_per_s: (b * c.seqLen) / (stepMs / 1000),
    phases_ms: phases,
    steps_ms: measured.map((p) => Object.values(p).reduce((x: number, y: number) => x + y, 0)),
    loss,
    num_tensors: numTensors,
  };
}
