import { existsSync, readFileSync } from "node:fs";
import { CHAT_TEMPLATES } from "@wpo/pipeline";
import type { Tokenizer } from "@wpo/tokenizer";

/**
 * Resolves `--chat_template FILE|NAME|none`: a file (Jinja text, or a tokenizer_config.json whose
 * `chat_template` is used), a name of `CHAT_TEMPLATES` (`@wpo/pipeline`), or `none`. Without a value: the tokenizer's own
 * template when it has one, else none.
 *
 * @param value The option's value.
 * @param tokenizer The tokenizer (for its own template).
 * @returns The Jinja template, or undefined for "no template".
 * @throws {RangeError} for a value that is neither a file nor a known name.
 * @example
 * ```ts
 * import { loadTokenizer, resolveChatTemplate } from "@wpo/cli";
 * import { CHAT_TEMPLATES } from "@wpo/pipeline";
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
