import type { PreferenceTokenizer } from "./preference_tokenizer.ts";
import type { ChatMessage } from "./types.ts";

/** A prompt + response split into the prompt's ids and the response's ids. */
export interface Answer {
  promptIds: number[];
  answerIds: number[];
}

/** Stands for the content of a sampled response while its turn is templated. */
const SENTINEL = "\u0001wpo-sampled-response\u0001";

/** TRL's `build_tokenized_answer`: `tokenize(prompt + answer)` minus the prompt's ids (one fewer on a seam merge). */
export function splitAnswer(
  tokenizer: PreferenceTokenizer,
  prompt: string,
  promptIds: number[],
  answer: string,
): Answer {
  const full = tokenizer.encode(prompt + answer, { addSpecialTokens: false });
  if (promptIds.length > full.length) {
    throw new RangeError(
      `The prompt alone tokenises to ${promptIds.length} ids but prompt + response to ${full.length}: the tokenizer is not prefix-stable.`,
    );
  }
  let start = promptIds.length;
  for (let i = 0; i < start; i++) {
    if (promptIds[i] !== full[i]) {
      start -= 1;
      break;
    }
  }
  return { promptIds: full.slice(0, start), answerIds: full.slice(start) };
}

/** The messages with the last one's content replaced by the sentinel. */
export function withSentinel(messages: ChatMessage[]): ChatMessage[] {
  const last = messages[messages.length - 1];
  if (last === undefined) return messages;
  return [...messages.slice(0, -1), { ...last, content: SENTINEL }];
}

/**
 * A templated response whose content is given as sampled ids: the template's text before the content (the
 * assistant header) is split off the prompt as TRL does, the ids follow unchanged, then the text after the content
 * (e.g. `<|eot_id|>`), without its first token when the ids already end with it.
 */
export function sampledAnswer(
  tokenizer: PreferenceTokenizer,
  args: { prompt: string; promptIds: number[]; templated: string; ids: readonly number[] },
): Answer {
  const at = args.templated.indexOf(SENTINEL);
  if (at < 0) {
    throw new RangeError(
      "The chat template does not show the response's content verbatim, so sampled ids cannot be placed in it.",
    );
  }
  const head = splitAnswer(tokenizer, args.prompt, args.promptIds, args.templated.slice(0, at));
  const tailIds = tokenizer.encode(args.templated.slice(at + SENTINEL.length), { addSpecialTokens: false });
  const endsWithTail = tailIds.length > 0 && args.ids[args.ids.length - 1] === tailIds[0];
  return {
    promptIds: head.promptIds,
    answerIds: [...head.answerIds, ...args.ids, ...(endsWithTail ? tailIds.slice(1) : tailIds)],
  };
}
