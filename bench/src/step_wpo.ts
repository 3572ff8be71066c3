import * as tf from "@tensorflow/tfjs-core";
import { parseLlamaConfig, randomLlama } from "@wpo/llama";
import { chunkedSequenceLogps, getLoss, logpStats, type SequenceLogps, wpoPairWeights } from "@wpo/losses";
import { AdamW } from "@wpo/optim";
import type { BenchConfig } from "./bench_config.ts";
import { fastestStep, type PhaseTimes, type StepResult } from "./step_tfjs.ts";

/** The bench config as a Hugging Face `config.json` for @wpo/llama. */
export function llamaConfigOf(c: BenchConfig) {
  return parseLlamaConfig({
    vocab_size: c.vocab,
    hidden_size: c.dim,
    intermediate_size: c.hidden,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    num_key_value_heads: c.kvHeads,
    rms_norm_eps: c.eps,
    rope_theta: c.ropeTheta,
    tie_word_embeddings: c.tied ?? false,
    max_position_embeddings: Math.max(2048, c.seqLen),
  });
}

const halves = (x: tf.Tensor1D, n: number): [tf.Tensor1D, tf.Tensor1D] => [
  tf.slice(x, [0], [n]),
  tf.slice(x, [n], [n]),
];
const dropLogps = (lp: SequenceLogps, keep: tf.Tensor) =>
  tf.dispose(
    [lp.sum, lp.mean, lp.count, lp.logitsSum, ...(lp.wpoLogWeight ? [lp.wpoLogWeight] : [])].filter(
      (t) => t !== keep,
    ),
  );

/**
 * The project's own WPO step on the benchmark shape: @wpo/llama (policy + frozen
 * reference clone), @wpo/losses (chunked sequence log-probs with the WPO "sampled"
 * log-weight, `wpoPairWeights`, the `sigmoid` DPO loss), @wpo/optim `AdamW`. Phases as in
 * {@linkcode benchTfjsStep}; here the LM head runs inside `logps_loss` (chunked, no
 * [B, T, V] logits).
 */
export async function benchWpoStep(
  c: BenchConfig,
  options: { steps: number; warmup: number; onStep?: (step: number) => void },
): Promise<StepResult> {
  const policy = randomLlama(llamaConfigOf(c), { seed: 0 });
  const ref = policy.clone({ trainable: false });
  policy.gradientCheckpointing = c.gradientCheckpointing ?? false;
  const vars = policy.trainableVariables();
  const opt = new AdamW(policy.variables(), { weightDecay: 0 });
  const loss = getLoss("sigmoid");
  const b = 2 * c.pairs;
  const n = c.pairs;
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
  let last = 0;
  for (let step = 0; step < options.warmup + options.steps; step++) {
    const t0 = performance.now();
    const refSum = tf.tidy(() => {
      const lp = chunkedSequenceLogps(ref.hiddenStates(ids), ref.lmHeadWeight(), labels);
      dropLogps(lp, lp.sum);
      return lp.sum;
    });
    await refSum.data();
    const t1 = performance.now();
    let t2 = 0;
    let t3 = 0;
    const { value, grads } = tf.variableGrads(() => {
      const hidden = policy.hiddenStates(ids);
      t2 = performance.now();
      const lp = chunkedSequenceLogps(hidden, policy.lmHeadWeight(), labels, { alignment: "sampled" });
      const [aC, aR] = halves(lp.wpoLogWeight!, n);
      const weights = wpoPairWeights(aC, aR, { clamp: 1 });
      const [sC, sR] = halves(lp.sum, n);
      const [cC, cR] = halves(lp.count, n);
      const [rC, rR] = halves(refSum, n);
      const out = loss.compute(
        {
          policyChosen: logpStats(sC, cC),
          policyRejected: logpStats(sR, cR),
          referenceChosen: logpStats(rC, cC),
          referenceRejected: logpStats(rR, cR),
        },
        { beta: c.beta },
      );
      const l = tf.mean(tf.mul(out.losses, weights)) as tf.Scalar;
      t3 = performance.now();
      return l;
    }, vars);
    const t4 = performance.now();
    opt.step(grads, { lr: c.lr });
    tf.dispose(grads);
    last = (await value.data())[0]!;
    tf.dispose([value, refSum]);
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
  opt.dispose();
  ref.dispose();
  policy.dispose();
  tf.dispose([ids, labels]);
  const { phases, stepMs } = fastestStep(measured);
  return {
    step_ms: stepMs,
    tokens_per_s: (b * c.seqLen) / (stepMs / 1000),
    phases_ms: phases,
    steps_ms: measured.map((p) => Object.values(p).reduce((x: number, y: number) => x + y, 0)),
    loss: last,
    num_tensors: numTensors,
  };
}
