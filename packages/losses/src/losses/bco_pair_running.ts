import * as tf from "@tensorflow/tfjs-core";
import { detach } from "../detach.ts";
import type { PreferenceInputs, PreferenceLoss, PreferenceLossOptions } from "../preference_loss.ts";
import { bcoPairLoss } from "./bco_pair.ts";

/** A `bco_pair` loss that carries TRL's running reward mean between calls. */
export interface RunningBcoPairLoss extends PreferenceLoss {
  /** Number of batches folded into the running mean so far. */
  readonly updates: number;
  /** The current shift δ (undefined before the first call). */
  readonly delta: tf.Scalar | undefined;
  /** Forgets the running mean and frees its tensor. */
  reset(): void;
}

/**
 * `bco_pair` with TRL's `RunningMoments` shift: each call first folds this batch's mean reward
 * m_k = mean(β·Δc, β·Δr) into δ_k = δ_{k−1} + (m_k − δ_{k−1}) / k (the running mean of batch means), then
 * uses δ_k, as `DPOTrainer` does. δ stays on the device (no reads) and outside the gradient.
 *
 * @returns A stateful loss; call `reset()` to start over (e.g. a new run).
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { logpStats, runningBcoPairLoss } from "@wpo/losses";
 * await initBackend("cpu");
 * const loss = runningBcoPairLoss();
 * const p = logpStats([-4, -6], [2, 2]);
 * loss.compute({ policyChosen: p, policyRejected: p, referenceChosen: logpStats([-5, -7], [2, 2]), referenceRejected: p });
 * console.assert(loss.updates === 1 && Math.abs((await loss.delta!.data())[0]! - 0.05) < 1e-6);
 * ```
 */
export function runningBcoPairLoss(): RunningBcoPairLoss {
  let delta: tf.Scalar | undefined;
  let updates = 0;
  return {
    name: bcoPairLoss.name,
    summary: `${bcoPairLoss.summary} Running-mean δ across calls.`,
    paper: bcoPairLoss.paper,
    usesReference: true,
    batchCoupled: true,
    defaults: bcoPairLoss.defaults,
    optionHelp: bcoPairLoss.optionHelp,
    get updates() {
      return updates;
    },
    get delta() {
      return delta;
    },
    reset() {
      delta?.dispose();
      delta = undefined;
      updates = 0;
    },
    compute(inputs: PreferenceInputs, options: PreferenceLossOptions = {}) {
      const beta = (options.beta ?? bcoPairLoss.defaults.beta) as number;
      const previous = delta;
      const next = tf.tidy(() => {
        const zeros = tf.zerosLike(inputs.policyChosen.sum);
        const c = tf.sub(inputs.policyChosen.sum, inputs.referenceChosen?.sum ?? zeros);
        const r = tf.sub(inputs.policyRejected.sum, inputs.referenceRejected?.sum ?? zeros);
        const batchMean = detach(tf.mul(tf.mean(tf.concat([c, r])), beta)) as tf.Scalar;
        return previous === undefined
          ? batchMean
          : (tf.add(previous, tf.div(tf.sub(batchMean, previous), updates + 1)) as tf.Scalar);
      });
      delta = tf.keep(next);
      previous?.dispose();
      updates += 1;
      return bcoPairLoss.compute(inputs, { ...options, bcoDelta: delta });
    },
  };
}
