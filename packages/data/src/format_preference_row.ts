import type { PreferenceTokenizer } from "./preference_tokenizer.ts";
import type { ChatMessage, PreferenceRow } from "./types.ts";

/** Options of {@linkcode formatPreferenceRow}. */
export interface FormatPreferenceOptions {
  /**
   * Prepend an empty system turn to the prompt when it has none. The alignment handbook does this only when the
   * template text contains "system" or "<|im_start|>" (never for Llama 3). Default false.
   */
  insertEmptySystemMessage?: boolean;
  /** BOS text stripped from the start of templated responses. Default `tokenizer.idToToken(bosTokenId)`. */
  bosToken?: string;
  /** Jinja chat template used instead of the tokenizer's own (`tokenizer_config.json`'s `chat_template`). */
  chatTemplate?: string;
}

/** The three texts TRL tokenises. */
export interface PreferenceTexts {
  /** The templated prompt (no generation prompt), or the plain prompt string. */
  prompt: string;
  /** The templated chosen turn(s), BOS stripped, or the plain chosen string. */
  chosen: string;
  /** Likewise for rejected. */
  rejected: string;
}

function render(
  tokenizer: PreferenceTokenizer,
  messages: ChatMessage[],
  field: string,
  chatTemplate: string | undefined,
): string {
  const text = tokenizer.applyChatTemplate(messages, {
    tokenize: false,
    addGenerationPrompt: false,
    ...(chatTemplate === undefined ? {} : { chatTemplate }),
  });
  if (typeof text !== "string") {
    throw new TypeError(
      `applyChatTemplate(${field}, { tokenize: false }) must return a string, got ${typeof text}.`,
    );
  }
  return text;
}

/**
 * Turns a row into TRL's prompt/chosen/rejected texts exactly as WPO's `apply_chat_template` (task "dpo") does:
 * if `prompt` is a message list it is the prompt and `chosen`/`rejected` are templated whole; otherwise the
 * prompt is `chosen[:-1]` and the responses are the last turns. Responses lose a leading BOS text. Rows of plain
 * strings are returned unchanged (TRL then tokenises them without a template).
 *
 * @param row The row.
 * @param tokenizer Provides the chat template and BOS.
 * @param options System-message insertion, BOS text and a chat template override.
 * @returns The three texts.
 * @throws {TypeError} for mixed string/message rows or a missing BOS text.
 *
 * @example
 * ```ts
 * import { formatPreferenceRow } from "@wpo/data";
 * const tokenizer = { encode: () => [], bosTokenId: 1, eosTokenId: 2, padTokenId: 0, idToToken: () => "<s>",
 *   applyChatTemplate: (m: { role: string; content: string }[]) =>
 *     "<s>" + m.map((x) => `[${x.role}]${x.content}`).join("") };
 * const texts = formatPreferenceRow({ chosen: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Yo" }],
 *   rejected: [{ role: "user", content: "Hi" }, { role: "assistant", content: "No" }] }, tokenizer);
 * console.assert(texts.prompt === "<s>[user]Hi" && texts.chosen === "[assistant]Yo");
 * ```
 */
export function formatPreferenceRow(
  row: PreferenceRow,
  tokenizer: PreferenceTokenizer,
  options: FormatPreferenceOptions = {},
): PreferenceTexts {
  const { prompt, chosen, rejected } = row;
  if (typeof chosen === "string" || typeof rejected === "string") {
    if (typeof chosen !== "string" || typeof rejected !== "string" || typeof prompt !== "string") {
      throw new TypeError(
        "A row with string responses needs string prompt, chosen and rejected; use message lists for all of chosen and rejected otherwise.",
      );
    }
    return { prompt, chosen, rejected };
  }
  let promptMessages: ChatMessage[];
  let chosenMessages: ChatMessage[];
  let rejectedMessages: ChatMessage[];
  if (Array.isArray(prompt)) {
    promptMessages = [...prompt];
    chosenMessages = chosen;
    rejectedMessages = rejected;
  } else {
    promptMessages = chosen.slice(0, -1);
    chosenMessages = chosen.slice(-1);
    rejectedMessages = rejected.slice(-1);
  }
  if (options.insertEmptySystemMessage && promptMessages[0]?.role !== "system") {
    promptMessages.unshift({ role: "system", content: "" });
  }
  const bosId = tokenizer.bosTokenId;
  const bos = options.bosToken ?? (bosId === undefined ? undefined : tokenizer.idToToken?.(bosId));
  if (bos === undefined) {
    throw new TypeError(
      "Cannot strip BOS from templated responses: the tokenizer has no BOS token text; pass { bosToken }.",
    );
  }
  const strip = (text: string) => (bos !== "" && text.startsWith(bos) ? text.slice(bos.length) : text);
  return {
    prompt: render(tokenizer, promptMessages, "prompt", options.chatTemplate),
    chosen: strip(render(tokenizer, chosenMessages, "chosen", options.chatTemplate)),
    rejected: strip(render(tokenizer, rejectedMessages, "rejected", options.chatTemplate)),
  };
}
