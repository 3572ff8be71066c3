import * as tf from "@tensorflow/tfjs-core";
import { parseLlamaConfig } from "./config.ts";
import { LlamaModel, type LlamaModelOptions } from "./llama_model.ts";
import { decodeSafetensors } from "./safetensors.ts";
import { join, readFile } from "#node-only";

/**
 * A Hugging Face `LlamaForSequenceClassification` (a reward model): the Llama body and a bias-free `score` head
 * [num_labels, hidden]. The score of a sequence is the head applied to the final hidden state at its last token
 * that is not the pad token, as transformers picks it.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { loadLlamaRewardModel } from "@wpo/llama";
 * await initBackend("cpu");
 * const rm = await loadLlamaRewardModel("fixtures/reward_model");
 * const [a, b] = await rm.scoreIds([[5, 6, 7], [5, 6]]);
 * console.assert(a!.length === 1 && b!.length === 1 && rm.numLabels === 1);
 * rm.dispose();
 * ```
 */
export class LlamaRewardModel {
  /** The Llama body (its lm_head, if any, is unused). */
  readonly model: LlamaModel;
  /** The score head, [num_labels, hidden]. */
  readonly scoreWeight: tf.Tensor2D;
  /** The pad id; the score is read at the last token that is not it. */
  readonly padTokenId: number | undefined;

  /**
   * Wraps a body and a score head (the instance owns both).
   *
   * @param model The Llama body.
   * @param scoreWeight The head, [num_labels, hidden].
   * @param padTokenId The pad id of config.json (undefined: the last token of each row is used).
   */
  constructor(model: LlamaModel, scoreWeight: tf.Tensor2D, padTokenId: number | undefined) {
    if (scoreWeight.shape[1] !== model.config.hiddenSize) {
      throw new TypeError(
        `score.weight has shape [${scoreWeight.shape.join(", ")}]; expected [num_labels, ${model.config.hiddenSize}].`,
      );
    }
    this.model = model;
    this.scoreWeight = scoreWeight;
    this.padTokenId = padTokenId;
  }

  /** Number of outputs per sequence (1 for a reward model). */
  get numLabels(): number {
    return this.scoreWeight.shape[0];
  }

  /**
   * Scores token sequences in one batch (right-padded with the pad id, or 0).
   *
   * @param rows One non-empty id list per sequence.
   * @returns The scores of each row ([num_labels] per row).
   * @throws {RangeError} for an empty row.
   */
  async scoreIds(rows: readonly (readonly number[])[]): Promise<number[][]> {
    if (rows.length === 0) return [];
    rows.forEach((r, i) => {
      if (r.length === 0)
        throw new RangeError(`Row ${i} is empty: a sequence to score needs at least one token.`);
    });
    const t = Math.max(...rows.map((r) => r.length));
    const pad = this.padTokenId ?? 0;
    const ids = new Int32Array(rows.length * t).fill(pad);
    const mask = new Int32Array(rows.length * t);
    const last: number[] = [];
    rows.forEach((r, i) => {
      let at = r.length - 1;
      if (this.padTokenId !== undefined) {
        at = 0;
        for (let j = 0; j < r.length; j++) if (r[j] !== this.padTokenId) at = j;
      }
      last.push(at);
      for (let j = 0; j < r.length; j++) {
        ids[i * t + j] = r[j]!;
        mask[i * t + j] = this.padTokenId === undefined || r[j] !== this.padTokenId ? 1 : 0;
      }
    });
    const scores = tf.tidy(() => {
      const h = this.model.hiddenStates(tf.tensor2d(ids, [rows.length, t], "int32"), {
        attentionMask: tf.tensor2d(mask, [rows.length, t], "int32"),
      });
      const e = this.model.config.hiddenSize;
      const flat = tf.reshape(h, [rows.length * t, e]);
      const picked = tf.gather(
        flat,
        tf.tensor1d(
          last.map((j, i) => i * t + j),
          "int32",
        ),
      );
      return tf.matMul(picked, this.scoreWeight, false, true);
    });
    const values = await scores.data();
    scores.dispose();
    const l = this.numLabels;
    return rows.map((_, i) => Array.from(values.subarray(i * l, (i + 1) * l)));
  }

  /** Frees the body and the head. */
  dispose(): void {
    this.model.dispose();
    this.scoreWeight.dispose();
  }
}

/**
 * Loads a Hugging Face `LlamaForSequenceClassification` folder: `config.json` (its `pad_token_id` picks the scored
 * token) and `model.safetensors` holding the body under `model.*` and `score.weight` [num_labels, hidden].
 *
 * @param dir The folder.
 * @param options Whether the body's weights are trainable (default false).
 * @returns The reward model.
 * @throws {TypeError} when `score.weight` is missing or a tensor does not fit the config.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { loadLlamaRewardModel } from "@wpo/llama";
 * await initBackend("cpu");
 * const rm = await loadLlamaRewardModel("fixtures/reward_model");
 * console.assert(rm.padTokenId === 0 && rm.model.config.hiddenSize === 32);
 * rm.dispose();
 * ```
 */
export async function loadLlamaRewardModel(
  dir: string,
  options: LlamaModelOptions = {},
): Promise<LlamaRewardModel> {
  const json = JSON.parse(await readFile(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
  // the body never uses an lm_head: parse it as tied so none is expected
  const config = parseLlamaConfig({ ...json, tie_word_embeddings: true });
  const path = join(dir, "model.safetensors");
  const { tensors } = decodeSafetensors(new Uint8Array(await readFile(path)), { source: path });
  const score = tensors.get("score.weight");
  if (score === undefined || score.shape.length !== 2) {
    throw new TypeError(
      `${path} has no 'score.weight' [num_labels, hidden]: is it a sequence-classification model?`,
    );
  }
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of tensors) {
    if (name === "score.weight" || name === "lm_head.weight" || name.endsWith("rotary_emb.inv_freq"))
      continue;
    weights.set(name, { shape: t.shape, data: Float32Array.from(t.data) });
  }
  const model = LlamaModel.fromTensors(config, weights, { trainable: options.trainable ?? false });
  const pad = typeof json.pad_token_id === "number" ? json.pad_token_id : undefined;
  return new LlamaRewardModel(
    model,
    tf.tensor2d(Float32Array.from(score.data), score.shape as [number, number]),
    pad,
  );
}
