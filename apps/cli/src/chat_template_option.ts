import { existsSync, readFileSync } from "node:fs";
import type { Tokenizer } from "@wpo/tokenizer";

/**
 * Chat templates known by name to `--chat_template NAME` (Jinja, as in tokenizer_config.json). Each one's
 * generation prompt is exactly the header of an assistant turn, so sampled ids sit where the trainer puts them.
 *
 * - `llama3`: Llama 3 / 3.1 Instruct (`<|start_header_id|>role<|end_header_id|>\n\n content <|eot_id|>`).
 * - `chatml`: `<|im_start|>role\ncontent<|im_end|>\n`.
 * - `hh`: Anthropic HH transcripts (`\n\nHuman: ...\n\nAssistant: ...`), for models without chat tokens
 *   (e.g. the bundled stories260K).
 *
 * @example
 * ```ts
 * import { CHAT_TEMPLATES } from "@wpo/cli";
 * console.assert(CHAT_TEMPLATES.hh!.includes("Assistant"));
 * ```
 */
export const CHAT_TEMPLATES: Readonly<Record<string, string>> = {
  llama3:
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + " +
    "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}" +
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}" +
    "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}",
  chatml:
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}" +
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}",
  hh:
    "{% for m in messages %}{% if m['role'] == 'user' %}{{ '\n\nHuman: ' + m['content'] }}{% elif m['role'] == 'assistant' %}" +
    "{{ '\n\nAssistant: ' + m['content'] }}{% else %}{{ m['content'] }}{% endif %}{% endfor %}" +
    "{% if add_generation_prompt %}{{ '\n\nAssistant: ' }}{% endif %}",
};

/**
 * Resolves `--chat_template FILE|NAME|none`: a file (Jinja text, or a tokenizer_config.json whose
 * `chat_template` is used), a name of {@linkcode CHAT_TEMPLATES}, or `none`. Without a value: the tokenizer's own
 * template when it has one, else none.
 *
 * @param value The option's value.
 * @param tokenizer The tokenizer (for its own template).
 * @returns The Jinja template, or undefined for "no template".
 * @throws {RangeError} for a value that is neither a file nor a known name.
 * @example
 * ```ts
 * import { CHAT_TEMPLATES, loadTokenizer, resolveChatTemplate } from "@wpo/cli";
 * const tok = await loadTokenizer(undefined, undefined);
 * console.assert(resolveChatTemplate("hh", tok) === CHAT_TEMPLATES.hh && resolveChatTemplate(undefined, tok) === undefined);
 * ```
 */
export function resolveChatTemplate(value: string | undefined, tokenizer: Tokenizer): string | undefined {
  if (value === undefined) {
    const own = tokenizer.config.chat_template;
    return typeof own === "string" || Array.isArray(own) ? ownTemplate(own) : undefined;
  }
  if (value === "none") return undefined;
  if (existsSync(value)) {
    const text = readFileSync(value, "utf8");
    if (!value.endsWith(".json")) return text;
    const t = (JSON.parse(text) as { chat_template?: unknown }).chat_template;
    if (typeof t !== "string")
      throw new RangeError(`--chat_template '${value}': the JSON file has no chat_template string.`);
    return t;
  }
  const named = CHAT_TEMPLATES[value];
  if (named !== undefined) return named;
  throw new RangeError(
    `--chat_template '${value}' is neither a file nor a known name (${Object.keys(CHAT_TEMPLATES).join(", ")}, none).`,
  );
}

function ownTemplate(t: string | readonly { name: string; template: string }[]): string | undefined {
  if (typeof t === "string") return t;
  return (t.find((x) => x.name === "default") ?? t[0])?.template;
}
