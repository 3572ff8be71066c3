import type { ChatMessage } from "./chat_template.ts";
import type { Tokenizer } from "./tokenizer.ts";

/** Options of {@link renderConversation}. */
export interface RenderConversationOptions {
  /** Use this Jinja template instead of the tokenizer's `chat_template`. */
  chatTemplate?: string;
  /** Extra template variables. */
  variables?: Record<string, unknown>;
  /** Roles whose turns are scored. Default `["assistant"]`. */
  scoredRoles?: string[];
}

/** A tokenized conversation with its loss mask. */
export interface RenderedConversation {
  /** Token ids of the whole templated conversation. */
  ids: number[];
  /** 1 where a loss would score the token (an assistant turn's reply and its end-of-turn token), else 0. */
  mask: number[];
}

/**
 * Renders a conversation with the chat template and marks the tokens a loss would score:
 * for each assistant turn, everything the model must generate after the template's
 * generation prompt (the reply and its end-of-turn marker). Everything else (BOS, system and
 * user turns, the assistant header itself) gets mask 0.
 *
 * The template is rendered once per turn boundary; each piece is tokenized on its own and the
 * pieces must concatenate to the tokenization of the whole text (true whenever turn
 * boundaries are special tokens, as in Llama 3). Otherwise an Error explains where.
 *
 * @param tokenizer A tokenizer with a chat template.
 * @param messages The conversation.
 * @param options Template override, variables, scored roles.
 * @returns `{ ids, mask }` of equal length.
 *
 * @example
 * ```ts
 * import { renderConversation, Tokenizer } from "@wpo/tokenizer";
 * const tok = Tokenizer.fromJSON(
 *   { model: { type: "BPE", vocab: { a: 0, b: 1, "|": 2 }, merges: [] } },
 *   { chat_template: "{% for m in messages %}{{ m.content }}|{% endfor %}" },
 * );
 * const { ids, mask } = renderConversation(tok, [
 *   { role: "user", content: "a" },
 *   { role: "assistant", content: "b" },
 * ]);
 * if (ids.join() !== "0,2,1,2" || mask.join() !== "0,0,1,1") throw new Error(mask.join());
 * ```
 */
export function renderConversation(
  tokenizer: Tokenizer,
  messages: ChatMessage[],
  options: RenderConversationOptions = {},
): RenderedConversation {
  const scored = new Set(options.scoredRoles ?? ["assistant"]);
  const render = (upTo: number, addGenerationPrompt: boolean) =>
    upTo === 0 && !addGenerationPrompt
      ? ""
      : tokenizer.applyChatTemplate(messages.slice(0, upTo), {
          addGenerationPrompt,
          ...(options.chatTemplate === undefined ? {} : { chatTemplate: options.chatTemplate }),
          ...(options.variables === undefined ? {} : { variables: options.variables }),
        });
  // Cut points in the full text: [text, scored] pieces.
  const pieces: [string, boolean][] = [];
  let done = "";
  messages.forEach((message, i) => {
    const through = render(i + 1, false);
    if (scored.has(message.role)) {
      const cue = render(i, true);
      expectPrefix(done, cue, i, "the generation prompt");
      expectPrefix(cue, through, i, "the turn");
      pieces.push([cue.slice(done.length), false], [through.slice(cue.length), true]);
    } else {
      expectPrefix(done, through, i, "the turn");
      pieces.push([through.slice(done.length), false]);
    }
    done = through;
  });
  const ids: number[] = [];
  const mask: number[] = [];
  for (const [text, isScored] of pieces) {
    for (const id of tokenizer.encode(text, { addSpecialTokens: false })) {
      ids.push(id);
      mask.push(isScored ? 1 : 0);
    }
  }
  const whole = tokenizer.encode(done, { addSpecialTokens: false });
  if (whole.length !== ids.length || whole.some((id, k) => id !== ids[k])) {
    const at = whole.findIndex((id, k) => id !== ids[k]);
    throw new Error(
      `renderConversation: tokenizing turn by turn differs from tokenizing the whole conversation at token ${at}; the template's turn boundaries merge with neighbouring text, so a mask cannot be assigned exactly.`,
    );
  }
  return { ids, mask };
}

function expectPrefix(prefix: string, text: string, index: number, what: string): void {
  if (!text.startsWith(prefix)) {
    throw new Error(
      `renderConversation: rendering messages[0..${index}] (${what}) does not extend the rendering of the earlier messages; this chat template rewrites earlier turns, so turns cannot be masked separately.`,
    );
  }
}
