/**
 * Tokenizers for WPO: Hugging Face tokenizer.json BPE (Llama 3 byte-level and Llama 2
 * SentencePiece-style), llama2.c tokenizer.bin import, Jinja chat templates, conversation
 * rendering with a loss mask, and a terminal visualiser.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { Tokenizer } from "@wpo/tokenizer";
 * const tok = Tokenizer.fromLlama2c(readFileSync("../../assets/tok512.bin")); // run from packages/tokenizer
 * const ids = tok.encode("Once upon a time");
 * if (ids[0] !== tok.bosTokenId || tok.decode(ids, { skipSpecialTokens: true }) !== "Once upon a time") {
 *   throw new Error(String(ids));
 * }
 * ```
 *
 * @module
 */
export {
  type ApplyChatTemplateOptions,
  type DecodeOptions,
  type EncodeOptions,
  Tokenizer,
  type TokenizerConfig,
} from "./tokenizer.ts";
export { type ChatMessage, type RenderChatTemplateOptions, renderChatTemplate } from "./chat_template.ts";
export {
  type RenderConversationOptions,
  type RenderedConversation,
  renderConversation,
} from "./render_conversation.ts";
export { type VisualizeTokensOptions, visualizeTokens } from "./visualize_tokens.ts";
export {
  type TruncatedVocabulary,
  type TruncateVocabularyOptions,
  truncateVocabulary,
} from "./truncate_vocabulary.ts";
