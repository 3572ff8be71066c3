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
 * import { CHAT_TEMPLATES } from "@wpo/pipeline";
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
