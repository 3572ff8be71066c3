/** The assembled stages of a tokenizer (what the Tokenizer class runs). */
import type { AddedToken } from "./_added_tokens.ts";
import type { Decode } from "./_decoders.ts";
import type { TokenModel } from "./_model.ts";
import type { Normalize } from "./_normalizers.ts";
import type { PostProcess } from "./_post_processors.ts";
import type { PreTokenize } from "./_pre_tokenizers.ts";

/** The fields of tokenizer_config.json this package reads (others are ignored). */
export interface TokenizerConfig {
  bos_token?: string | { content: string } | null;
  eos_token?: string | { content: string } | null;
  pad_token?: string | { content: string } | null;
  unk_token?: string | { content: string } | null;
  chat_template?: string | { name: string; template: string }[] | null;
  clean_up_tokenization_spaces?: boolean;
  [key: string]: unknown;
}

/** Everything a Tokenizer is made of. */
export interface TokenizerParts {
  model: TokenModel;
  addedTokens: AddedToken[];
  /** Match added tokens in the input text (false for llama2.c, which has no such step). */
  matchAddedTokens: boolean;
  normalizer: Normalize | undefined;
  preTokenizer: PreTokenize | undefined;
  postProcessor: PostProcess | undefined;
  decoder: Decode | undefined;
  config: TokenizerConfig;
  /** Fallback BOS / EOS ids when the config names none. */
  defaultBosId: number | undefined;
  defaultEosId: number | undefined;
}
