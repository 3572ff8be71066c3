/**
 * Test-only tokenizer, mirrored line for line by `ToyTokenizer` in tools/reference/data_ref.py: special tokens
 * (ids 0..5), then 256 byte tokens (ids 6..261), then multi-byte pieces (ids 262..), encoded by splitting out
 * special-token strings and then taking the longest matching piece at each byte (greedy, left to right). Greedy
 * longest match merges across a prompt/response seam ("th" + "e" -> "the"), which exercises TRL's seam rule.
 * The chat template is Llama-3-shaped Jinja rendered by @huggingface/jinja.
 */
import { Template } from "@huggingface/jinja";
import type { PreferenceTokenizer } from "../src/preference_tokenizer.ts";
import type { ChatMessage } from "../src/types.ts";

export const TOY_SPECIALS = [
  "<pad>",
  "<s>",
  "</s>",
  "<|eot_id|>",
  "<|start_header_id|>",
  "<|end_header_id|>",
];
export const TOY_PIECES = [
  "the",
  " the",
  "th",
  "he",
  "in",
  "ing",
  " a",
  "an",
  "and",
  " and",
  "er",
  "re",
  "on",
  " to",
  "ou",
  "you",
  " you",
  "\n\n",
  "user",
  "assistant",
  "system",
  "is",
  " is",
  "it",
  " it",
  "ll",
  "ell",
  "hello",
  " hello",
  "at",
  "or",
  "es",
  "st",
  "ed",
  "  ",
  " I",
  "I ",
  "’",
  "ow",
  " w",
  "wh",
  "what",
  " what",
  "?",
  "e ",
  " b",
  "bu",
  "tter",
];
export const TOY_TEMPLATE =
  "{% for message in messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

const encoder = new TextEncoder();
const pieceBytes = TOY_PIECES.map((p) => encoder.encode(p));
const template = new Template(TOY_TEMPLATE);

function encodePlain(text: string, out: number[]): void {
  const bytes = encoder.encode(text);
  let i = 0;
  while (i < bytes.length) {
    let best = -1;
    let bestLen = 1;
    pieceBytes.forEach((p, k) => {
      if (p.length > bestLen && p.length <= bytes.length - i && p.every((b, j) => bytes[i + j] === b)) {
        best = k;
        bestLen = p.length;
      }
    });
    if (best === -1) {
      out.push(6 + (bytes[i] as number));
      i += 1;
    } else {
      out.push(262 + best);
      i += bestLen;
    }
  }
}

/** Creates the toy tokenizer; `eosTokenId` is 2 (`</s>`) unless given (3 = `<|eot_id|>`). */
export function toyTokenizer(eosTokenId = 2): PreferenceTokenizer {
  const specials = [...TOY_SPECIALS].sort((a, b) => b.length - a.length);
  return {
    bosTokenId: 1,
    eosTokenId,
    padTokenId: 0,
    idToToken: (id: number) => TOY_SPECIALS[id],
    encode(text: string): number[] {
      const out: number[] = [];
      let plain = "";
      let i = 0;
      while (i < text.length) {
        const special = specials.find((s) => text.startsWith(s, i));
        if (special === undefined) {
          plain += text[i];
          i += 1;
        } else {
          encodePlain(plain, out);
          plain = "";
          out.push(TOY_SPECIALS.indexOf(special));
          i += special.length;
        }
      }
      encodePlain(plain, out);
      return out;
    },
    applyChatTemplate(messages: ChatMessage[], options: { addGenerationPrompt?: boolean }): string {
      return template.render({
        messages,
        bos_token: "<s>",
        add_generation_prompt: options.addGenerationPrompt ?? false,
      });
    },
  };
}
