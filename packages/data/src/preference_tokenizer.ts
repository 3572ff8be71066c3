import type { ChatMessage } from "./types.ts";

/**
 * What `@wpo/data` needs from a tokenizer. `Tokenizer` from `@wpo/tokenizer` satisfies it; so can any small
 * test tokenizer.
 */
export interface PreferenceTokenizer {
  /** Text to ids. `addSpecialTokens: false` must add no BOS/EOS; special-token strings in the text map to their ids. */
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  /** Beginning-of-sequence id, added to prompts that lack it. */
  readonly bosTokenId: number | undefined;
  /** End-of-sequence id, appended to responses that lack it (overridable per call). */
  readonly eosTokenId: number | undefined;
  /** Padding id; collation falls back to EOS when undefined (as the alignment handbook does). */
  readonly padTokenId: number | undefined;
  /** Renders a conversation with the tokenizer's chat template. */
  applyChatTemplate(
    messages: ChatMessage[],
    options: { addGenerationPrompt?: boolean; tokenize: false; chatTemplate?: string },
  ): string | number[];
  /** Id to token string; used to find the BOS text that templated responses must not start with. */
  idToToken?(id: number): string | undefined;
}
