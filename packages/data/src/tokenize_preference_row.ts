import { buildPairFeatures, type PairFeatures, type TruncationOptions } from "./build_pair_features.ts";
import { type FormatPreferenceOptions, formatPreferenceRow } from "./format_preference_row.ts";
import type { PreferenceTokenizer } from "./preference_tokenizer.ts";
import { type Answer, sampledAnswer, splitAnswer, withSentinel } from "./_split_answer.ts";
import type { PreferenceRow } from "./types.ts";

/** Options of {@linkcode tokenizePreferenceRow}. */
export interface TokenizePreferenceOptions extends TruncationOptions, FormatPreferenceOptions {
  /** EOS appended to responses; default `tokenizer.eosTokenId` (Llama 3: 128001 old, 128009 new revision). */
  eosId?: number;
  /** BOS prepended to prompts; default `tokenizer.bosTokenId`. */
  bosId?: number;
}

/**
 * Templates and tokenises one row exactly as WPO + TRL 0.9.6 do (`apply_chat_template`, then `tokenize_row`):
 * texts are encoded without special tokens; each response is `tokenize(prompt + response)` minus the prompt's
 * ids (one fewer if the tokenizer merged across the seam); then {@linkcode buildPairFeatures} adds BOS/EOS and
 * truncates. A response with sampled ids (`chosenIds` / `rejectedIds`) is not re-encoded: its ids are used as they
 * are, after the chat template's assistant header and before the rest of its turn (e.g. `<|eot_id|>`, dropped when
 * the ids already end with it), so the trainer scores exactly the tokens the model produced.
 *
 * @param row The row (message lists or plain strings).
 * @param tokenizer Any {@linkcode PreferenceTokenizer}, e.g. `Tokenizer` from `@wpo/tokenizer`.
 * @param options Truncation (`maxLength`, `maxPromptLength`, `truncationMode`), `eosId`, `bosId`, templating.
 * @returns The pair's features.
 * @throws {TypeError} for a tokenizer without BOS/EOS; {RangeError} when chosen and rejected disagree on the prompt.
 *
 * @example
 * ```ts
 * import { tokenizePreferenceRow } from "@wpo/data";
 * const tokenizer = { bosTokenId: 1, eosTokenId: 2, padTokenId: 0, applyChatTemplate: () => "",
 *   encode: (t: string) => [...t].map((c) => c.charCodeAt(0)) };
 * const f = tokenizePreferenceRow({ prompt: "a", chosen: "b", rejected: "cd" }, tokenizer);
 * console.assert(f.chosenInputIds.join() === "1,97,98,2" && f.rejectedLabels.join() === "-100,-100,99,100,2");
 * ```
 */
export function tokenizePreferenceRow(
  row: PreferenceRow,
  tokenizer: PreferenceTokenizer,
  options: TokenizePreferenceOptions = {},
): PairFeatures {
  const bosId = options.bosId ?? tokenizer.bosTokenId;
  const eosId = options.eosId ?? tokenizer.eosTokenId;
  if (bosId === undefined || eosId === undefined) {
    throw new TypeError(
      `The tokenizer has no ${bosId === undefined ? "BOS" : "EOS"} id: pass { bosId, eosId }.`,
    );
  }
  const texts = formatPreferenceRow(row, tokenizer, options);
  const promptIds = tokenizer.encode(texts.prompt, { addSpecialTokens: false });
  const side = (which: "chosen" | "rejected"): Answer => {
    const ids = which === "chosen" ? row.chosenIds : row.rejectedIds;
    if (ids === undefined) return splitAnswer(tokenizer, texts.prompt, promptIds, texts[which]);
    const value = row[which];
    if (typeof value === "string") return { promptIds, answerIds: [...ids] };
    const marked = formatPreferenceRow({ ...row, [which]: withSentinel(value) }, tokenizer, options)[which];
    return sampledAnswer(tokenizer, { prompt: texts.prompt, promptIds, templated: marked, ids });
  };
  const chosen = side("chosen");
  const rejected = side("rejected");
  const c = chosen.promptIds;
  const r = rejected.promptIds;
  let differing = 0;
  for (let i = 0; i < Math.min(c.length, r.length); i++) if (c[i] !== r[i]) differing++;
  if (differing > 1 || Math.abs(c.length - r.length) > 1) {
    throw new RangeError(
      "Chosen and rejected prompt ids may differ only in the last token (a tokenizer merge at the seam); check that both share the same prompt.",
    );
  }
  return buildPairFeatures(
    {
      promptIds: promptIds.slice(0, Math.min(c.length, r.length)),
      chosenPromptIds: c,
      rejectedPromptIds: r,
      chosenIds: chosen.answerIds,
      rejectedIds: rejected.answerIds,
    },
    { ...options, bosId, eosId },
  );
}
