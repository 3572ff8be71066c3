import type { ChatMessage } from "./types.ts";

const TURN = /\n\n(Human|Assistant): /;

/**
 * Splits an Anthropic HH transcript (`"\n\nHuman: ...\n\nAssistant: ..."`) into messages. `Human` becomes
 * `user`, `Assistant` becomes `assistant`; contents are kept verbatim (chat templates trim them).
 *
 * @param text The transcript; it must start with `"\n\nHuman: "`.
 * @returns The turns in order.
 * @throws {SyntaxError} when the text does not start with a Human turn.
 *
 * @example
 * ```ts
 * import { parseHhTranscript } from "@wpo/data";
 * const turns = parseHhTranscript("\n\nHuman: Hi?\n\nAssistant: Hello.");
 * console.assert(turns.length === 2 && turns[1]?.role === "assistant" && turns[1]?.content === "Hello.");
 * ```
 */
export function parseHhTranscript(text: string): ChatMessage[] {
  if (!text.startsWith("\n\nHuman: ")) {
    throw new SyntaxError(
      `HH transcript must start with "\\n\\nHuman: ", got ${JSON.stringify(text.slice(0, 30))}: pass the raw Anthropic HH text.`,
    );
  }
  const parts = text.split(TURN);
  const messages: ChatMessage[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    messages.push({ role: parts[i] === "Human" ? "user" : "assistant", content: parts[i + 1] ?? "" });
  }
  return messages;
}
