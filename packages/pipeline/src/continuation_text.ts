import type { Tokenizer } from "@wpo/tokenizer";

/**
 * The text of `ids` as it continues `prompt`: decode(prompt + ids) minus decode(prompt). Decoding the ids alone
 * loses the space a SentencePiece tokenizer marks on a first token (" She" decodes to "She"), so that prompt +
 * completion would read "Lily.She". Falls back to decoding the ids alone when the prompt's text is not a prefix.
 *
 * @param tokenizer The tokenizer.
 * @param prompt The prompt's ids.
 * @param ids The completion's ids.
 * @returns The completion's text (special tokens skipped).
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { continuationText } from "@wpo/pipeline";
 * import { Tokenizer } from "@wpo/tokenizer";
 * const tok = Tokenizer.fromLlama2c(readFileSync("../../assets/tok512.bin"));
 * const prompt = [1, ...tok.encode("Lily.", { addSpecialTokens: false })];
 * const she = tok.encode("Lily. She", { addSpecialTokens: false }).slice(prompt.length - 1);
 * console.assert(continuationText(tok, prompt, she) === " She");
 * ```
 */
export function continuationText(
  tokenizer: Tokenizer,
  prompt: readonly number[],
  ids: readonly number[],
): string {
  const head = tokenizer.decode([...prompt], { skipSpecialTokens: true });
  const full = tokenizer.decode([...prompt, ...ids], { skipSpecialTokens: true });
  return full.startsWith(head)
    ? full.slice(head.length)
    : tokenizer.decode([...ids], { skipSpecialTokens: true });
}
