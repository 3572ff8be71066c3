/** One turn of a conversation, OpenAI style (`{ role, content }`). */
export interface ChatMessage {
  /** Speaker: `system`, `user` or `assistant` (any string is accepted). */
  role: string;
  /** The turn's text. */
  content: string;
}

/**
 * One preference example as read from disk, before templating.
 *
 * - WPO training-set schema: `prompt` a string (ignored by templating) or a message list, `chosen`/`rejected`
 *   message lists whose last turn is the response.
 * - Plain strings: `prompt`, `chosen`, `rejected` all strings, tokenised as they are (no chat template).
 */
export interface PreferenceRow {
  /** The prompt: a string, a message list, or absent (then the prompt is `chosen[:-1]`). */
  prompt?: string | ChatMessage[];
  /** The preferred response: a string or a full conversation whose last turn is the response. */
  chosen: string | ChatMessage[];
  /** The dispreferred response, same shape as `chosen`. */
  rejected: string | ChatMessage[];
  /**
   * The chosen response's token ids exactly as a model sampled them (file field `chosen_ids`): the completion after
   * the prompt (after the chat template's generation prompt when templated), with the stop token it ended on. When
   * present, tokenisation uses these ids instead of re-encoding the response text, so the trainer scores exactly
   * the tokens the model produced.
   */
  chosenIds?: number[];
  /** Likewise for `rejected` (file field `rejected_ids`). */
  rejectedIds?: number[];
}
