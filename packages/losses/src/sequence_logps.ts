import * as tf from "@tensorflow/tfjs-core";
import { positionLogitsGrad, positionStats, shiftedTargets } from "./_position_stats.ts";
import { expectLabels, expectTensor } from "./_validate.ts";
import type { SequenceLogps, SequenceLogpsOptions } from "./logps_types.ts";
import { finishSequenceLogps } from "./_finish.ts";
import { tidyRecord } from "./_tidy.ts";

/**
 * Per-sequence log-probabilities of the labels under the logits (TRL `get_batch_logps`): position t predicts
 * label t+1, labels equal to `ignoreIndex` (-100) are not scored. Also returns the token count, the sum of all
 * logits of each row and, when `options.alignment` is set, the detached WPO log weight from the same pass.
 * Only `sum` and `mean` carry a gradient (w.r.t. `logits`).
 *
 * @param logits float32 [N, T, V].
 * @param labels int32 [N, T], -100 where not scored.
 * @param options `ignoreIndex`, `alignment`.
 * @returns `{ sum, mean, count, logitsSum, wpoLogWeight? }`, each [N]; the caller disposes them.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { sequenceLogps } from "@wpo/losses";
 * await initBackend("cpu");
 * const logits = tf.zeros([1, 3, 4]) as tf.Tensor3D; // uniform over 4 tokens
 * const labels = tf.tensor2d([[-100, 1, 2]], [1, 3], "int32");
 * const out = sequenceLogps(logits, labels);
 * console.assert(Math.abs((await out.sum.data())[0]! - 2 * Math.log(0.25)) < 1e-6);
 * ```
 */
export function sequenceLogps(
  logits: tf.Tensor3D,
  labels: tf.Tensor2D,
  options: SequenceLogpsOptions = {},
): SequenceLogps {
  expectTensor(logits, "logits", 3, "float32");
  const [n, t, v] = logits.shape;
  expectLabels(labels, n, t, `logits [${logits.shape.join(", ")}]`);
  const ignoreIndex = options.ignoreIndex ?? -100;
  const alignment = options.alignment;
  const op = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const input = x as tf.Tensor3D;
    (save as tf.GradSaveFunc)([input]);
    const value = tf.tidy(() => {
      const { targets, mask } = shiftedTargets(labels, ignoreIndex);
      const stats = positionStats(tf.reshape(input, [n * t, v]), tf.reshape(targets, [-1]), alignment);
      const perRow = (p: tf.Tensor1D) => tf.reshape(p, [n, t]);
      const lpSum = tf.sum(tf.mul(perRow(stats.logp), mask), 1);
      const logitsSum = tf.sum(perRow(stats.logitSum), 1);
      const wpoSum = stats.wpoTerm ? tf.sum(tf.mul(perRow(stats.wpoTerm), mask), 1) : tf.zeros([n]);
      return tf.stack([lpSum, logitsSum, wpoSum], 1) as tf.Tensor2D;
    });
    const gradFunc = (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const saved0 = saved[0] as tf.Tensor3D;
        const { targets, mask } = shiftedTargets(labels, ignoreIndex);
        const rowGrad = tf.reshape(tf.mul(mask, tf.slice(dy, [0, 0], [n, 1])), [-1]) as tf.Tensor1D;
        const grad = positionLogitsGrad(tf.reshape(saved0, [n * t, v]), tf.reshape(targets, [-1]), rowGrad);
        return tf.reshape(grad, [n, t, v]);
      });
    return { value, gradFunc };
  });
  return tidyRecord(() => finishSequenceLogps(op(logits) as tf.Tensor2D, labels, ignoreIndex, alignment));
}
