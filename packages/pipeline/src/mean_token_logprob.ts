import * as tf from "@tensorflow/tfjs-core";
import type { LlamaModel } from "@wpo/llama";
import { sequenceLogps } from "@wpo/losses";

/**
 * Fluency of completions: the mean per-token log-probability of each completion
 * under a model (the initial one), token-weighted over all completions. Falling
 * values mean the policy drifted into text the initial model finds unlikely.
 *
 * @param model The judging model (the initial policy).
 * @param items Prompt ids and completion ids.
 * @returns Mean log-prob per completion token (NaN when there are no tokens).
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { loadLlama2c } from "@wpo/llama";
 * import { meanTokenLogprob } from "@wpo/pipeline";
 * await initBackend("cpu");
 * const model = await loadLlama2c("../../assets/stories260K.bin");
 * // " Once upon a time" after BOS: a very likely continuation for stories260K
 * const lp = await meanTokenLogprob(model, [{ promptIds: [1], completionIds: [403, 407, 261, 378] }]);
 * console.assert(lp < 0 && lp > -1);
 * model.dispose();
 * ```
 */
export async function meanTokenLogprob(
  model: LlamaModel,
  items: readonly { promptIds: number[]; completionIds: number[] }[],
): Promise<number> {
  let total = 0;
  let count = 0;
  const bs = 64;
  for (let s = 0; s < items.length; s += bs) {
    const part = items.slice(s, s + bs).filter((x) => x.completionIds.length > 0);
    if (part.length === 0) continue;
    const t = Math.max(...part.map((x) => x.promptIds.length + x.completionIds.length));
    const ids = new Int32Array(part.length * t);
    const mask = new Int32Array(part.length * t);
    const labels = new Int32Array(part.length * t).fill(-100);
    part.forEach((x, r) => {
      const seq = [...x.promptIds, ...x.completionIds];
      seq.forEach((id, j) => {
        ids[r * t + j] = id;
        mask[r * t + j] = 1;
        if (j >= x.promptIds.length) labels[r * t + j] = id;
      });
    });
    const sums = tf.tidy(() => {
      const idsT = tf.tensor2d(ids, [part.length, t], "int32");
      const maskT = tf.tensor2d(mask, [part.length, t], "int32");
      const logits = model.forward(idsT, { attentionMask: maskT });
      const st = sequenceLogps(logits, tf.tensor2d(labels, [part.length, t], "int32"));
      return tf.stack([tf.sum(st.sum), tf.sum(st.count)]);
    });
    const [a, b] = await sums.data();
    sums.dispose();
    total += a!;
    count += b!;
  }
  return count === 0 ? Number.NaN : total / count;
}
