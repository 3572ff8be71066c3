import { Template } from "@huggingface/jinja";
import { renderBounded } from "./_bounded_jinja.ts";

/** One chat message, as chat templates expect it. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** Options of {@link renderChatTemplate}. */
export interface RenderChatTemplateOptions {
  /** Append the template's cue for the assistant's next turn (`add_generation_prompt`). */
  addGenerationPrompt?: boolean;
  /** Special-token strings and any extra variables the template reads (e.g. `bos_token`, `date_string`). */
  variables?: Record<string, unknown>;
}

const compiled = new Map<string, Template>();

/**
 * Renders a Jinja chat template (tokenizer_config.json's `chat_template`) with `@huggingface/jinja`.
 *
 * @param template The Jinja template text.
 * @param messages The conversation.
 * @param options Generation prompt flag and template variables.
 * @returns The rendered text.
 *
 * @example
 * ```ts
 * import { renderChatTemplate } from "@wpo/tokenizer";
 * const text = renderChatTemplate("{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}", [
 *   { role: "user", content: "hi" },
 * ]);
 * if (text !== "[user]hi") throw new Error(text);
 * ```
 */
export function renderChatTemplate(
  template: string,
  messages: ChatMessage[],
  options: RenderChatTemplateOptions = {},
): string {
  if (!Array.isArray(messages))
    throw new TypeError("renderChatTemplate: messages must be an array of {role, content}.");
  messages.forEach((m, i) => {
    if (m === null || typeof m !== "object" || typeof m.role !== "string" || typeof m.content !== "string") {
      throw new TypeError(`renderChatTemplate: messages[${i}] must be {role: string, content: string}.`);
    }
  });
  let t = compiled.get(template);
  if (t === undefined) {
    try {
      t = new Template(template);
    } catch (error) {
      throw new SyntaxError(
        `renderChatTemplate: cannot parse the chat template: ${(error as Error).message}`,
      );
    }
    compiled.set(template, t);
  }
  // Bounded: a hostile template (`range(1000000000)`, nested loops) ends in a RangeError, not a crash or hang.
  try {
    return renderBounded(t, {
      ...options.variables,
      messages,
      add_generation_prompt: options.addGenerationPrompt ?? false,
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new RangeError(`renderChatTemplate: ${error.message}.`);
  }
}
