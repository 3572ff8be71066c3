import type { ChatMessage } from "@wpo/data";
import type { LlamaRewardModel } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";

/** One prompt + response to score. */
export interface ScoreItem {
  /** A user message, or a conversation ending with a user turn. */
  prompt: string | ChatMessage[];
  /** The response. */
  response: string;
}

/** Options of {@linkcode scoreWithRewardModel}. */
export interface ScoreOptions {
  /** Jinja chat template of the reward model; undefined: plain `prompt + response` with BOS. */
  chatTemplate?: string;
  /** Sequences per forward pass. Default 8. */
  batchSize?: number;
  /** Called after each batch with the number scored so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The ids a reward model reads for a prompt + response: the conversation through its chat template (BOS added when
 * the template does not emit it), or BOS + `prompt + response` without a template.
 *
 * @param tokenizer The reward model's tokenizer.
 * @param item Prompt and response.
 * @param chatTemplate The template, or undefined.
 * @returns Token ids.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { rewardInputIds } from "@wpo/pipeline";
 * import { Tokenizer } from "@wpo/tokenizer";
 * const tok = Tokenizer.fromLlama2c(readFileSync("../../assets/tok512.bin"));
 * console.assert(rewardInputIds(tok, { prompt: "Hi.", response: " Hello." }, undefined)[0] === 1);
 * ```
 */
export function rewardInputIds(
  tokenizer: Tokenizer,
  item: ScoreItem,
  chatTemplate: string | undefined,
): number[] {
  const bos = tokenizer.bosTokenId;
  let ids: number[];
  if (chatTemplate === undefined) {
    const prompt =
      typeof item.prompt === "string" ? item.prompt : item.prompt.map((m) => m.content).join("\n");
    ids = tokenizer.encode(prompt + item.response, { addSpecialTokens: false });
  } else {
    const messages: ChatMessage[] =
      typeof item.prompt === "string" ? [{ role: "user", content: item.prompt }] : [...item.prompt];
    messages.push({ role: "assistant", content: item.response });
    ids = tokenizer.encode(tokenizer.applyChatTemplate(messages, { chatTemplate }), {
      addSpecialTokens: false,
    });
  }
  return bos === undefined || ids[0] === bos ? ids : [bos, ...ids];
}

/**
 * Scores prompt + response pairs with a Hugging Face reward model (`LlamaForSequenceClassification`), batched: the
 * first label's score at each sequence's last non-pad token.
 *
 * @param rm The reward model.
 * @param tokenizer Its tokenizer.
 * @param items What to score.
 * @param options Chat template, batch size, progress callback.
 * @returns One reward per item.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { initBackend } from "@wpo/backends";
 * import { loadLlamaRewardModel } from "@wpo/llama";
 * import { scoreWithRewardModel } from "@wpo/pipeline";
 * import { Tokenizer } from "@wpo/tokenizer";
 * await initBackend("cpu");
 * const rm = await loadLlamaRewardModel("../llama/fixtures/reward_model");
 * const tok = Tokenizer.fromLlama2c(readFileSync("../../assets/tok512.bin"));
 * const small = { encode: (t: string) => tok.encode(t, { addSpecialTokens: false }).map((i) => i % 64), bosTokenId: 1 };
 * const r = await scoreWithRewardModel(rm, small as never, [{ prompt: "Hi.", response: " Hello." }]);
 * console.assert(r.length === 1 && Number.isFinite(r[0]));
 * rm.dispose();
 * ```
 */
export async function scoreWithRewardModel(
  rm: LlamaRewardModel,
  tokenizer: Tokenizer,
  items: readonly ScoreItem[],
  options: ScoreOptions = {},
): Promise<number[]> {
  const batch = options.batchSize ?? 8;
  if (!Number.isInteger(batch) || batch < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${batch}.`);
  const vocab = rm.model.config.vocabSize;
  const rows = items.map((item, i) => {
    const ids = rewardInputIds(tokenizer, item, options.chatTemplate);
    const bad = ids.find((id) => id >= vocab);
    if (bad !== undefined) {
      throw new RangeError(
        `Item ${i}: token id ${bad} is outside the reward model's vocabulary (${vocab}); use the reward model's tokenizer.`,
      );
    }
    return ids;
  });
  // longest first, so each batch pads little; results go back to input order
  const order = rows.map((_, i) => i).sort((a, b) => rows[b]!.length - rows[a]!.length);
  const out = new Array<number>(rows.length);
  for (let s = 0; s < order.length; s += batch) {
    const part = order.slice(s, s + batch);
    const scores = await rm.scoreIds(part.map((i) => rows[i]!));
    part.forEach((i, k) => {
      out[i] = scores[k]![0]!;
    });
    options.onProgress?.(Math.min(s + batch, order.length), order.length);
  }
  return out;
}
