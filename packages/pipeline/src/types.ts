/** A prompt: its ids as fed to the model (BOS first; chat template and generation prompt included) and its text. */
export interface Prompt {
  /** Token ids fed to the model. */
  ids: number[];
  /** The prompt's text (the user turn's content when templated). */
  text: string;
}

/**
 * One sampled completion: its ids (stop token removed), its text as it reads after the prompt (a leading space
 * the tokenizer marks on the first token is kept), and the stop id if it ended with one.
 */
export interface Completion {
  /** Sampled ids, without the stop token. */
  ids: number[];
  /** The completion's text after the prompt. */
  text: string;
  /** The stop id it ended on; absent when it ran out of tokens. */
  stop?: number;
}
