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
}
