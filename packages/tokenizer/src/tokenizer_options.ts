/** Option types of the Tokenizer methods. */

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** Add the post-processor's special tokens (BOS for Llama). Default true, as in Hugging Face. */
  addSpecialTokens?: boolean;
}

/** Options of {@link Tokenizer.decode}. */
export interface DecodeOptions {
  /** Drop special tokens (BOS, EOS, chat markers). Default false. */
  skipSpecialTokens?: boolean;
  /** Apply transformers' `clean_up_tokenization` (" ." -> "." etc.). Default false, so decode(encode(s)) == s. */
  cleanUpTokenizationSpaces?: boolean;
}

/** Options of {@link Tokenizer.applyChatTemplate}. */
export interface ApplyChatTemplateOptions {
  /** Append the cue for the assistant's turn. Default false. */
  addGenerationPrompt?: boolean;
  /** Return ids (encoded without extra special tokens) instead of text. Default false. */
  tokenize?: boolean;
  /** Use this Jinja template instead of tokenizer_config.json's `chat_template`. */
  chatTemplate?: string;
  /** Extra template variables (e.g. `date_string`, `tools`). */
  variables?: Record<string, unknown>;
}
