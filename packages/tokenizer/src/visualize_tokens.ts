import type { Tokenizer } from "./tokenizer.ts";

/** Options of {@link visualizeTokens}. */
export interface VisualizeTokensOptions {
  /** ANSI colours (default true). Plain mode marks scored tokens with brackets instead. */
  color?: boolean;
}

const RESET = "\x1b[0m";
// Alternating shades so token boundaries are visible: green for scored, grey for context.
const SCORED = ["\x1b[42;30m", "\x1b[102;30m"];
const CONTEXT = ["\x1b[100;37m", "\x1b[47;30m"];
const SPECIAL = "\x1b[45;97;1m";

/** Makes whitespace and control characters visible inside one token. */
function visible(text: string): string {
  return text.replace(/[\n\r\t]|[\p{Cc}]/gu, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    if (ch === "\t") return "\\t";
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/**
 * Renders tokens coloured by mask for a terminal, so a doubled BOS, a missing EOS or a wrongly
 * scored turn is visible at a glance. Special tokens are shown by name in magenta; scored
 * tokens (mask 1) have green backgrounds, context tokens grey; a token holding only part of a
 * UTF-8 character is shown in its raw vocabulary form. In plain mode (`color: false`)
 * tokens are separated by `|` and scored runs are wrapped in `[[ ]]`.
 *
 * @param tokenizer The tokenizer that produced the ids.
 * @param ids Token ids.
 * @param mask Optional 0/1 per id (default all 0).
 * @param options `color` (default true).
 * @returns The rendered string.
 *
 * @example
 * ```ts
 * import { Tokenizer, visualizeTokens } from "@wpo/tokenizer";
 * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { a: 0, b: 1 }, merges: [] } });
 * const plain = visualizeTokens(tok, [0, 1], [0, 1], { color: false });
 * if (plain !== "a|[[b]]") throw new Error(plain);
 * ```
 */
export function visualizeTokens(
  tokenizer: Tokenizer,
  ids: ArrayLike<number>,
  mask?: ArrayLike<number>,
  options: VisualizeTokensOptions = {},
): string {
  if (mask !== undefined && mask.length !== ids.length) {
    throw new RangeError(
      `visualizeTokens: mask has ${mask.length} entries but ids has ${ids.length}; they must match.`,
    );
  }
  const color = options.color ?? true;
  let out = "";
  let inScored = false;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const scored = mask !== undefined && mask[i] === 1;
    const special = tokenizer.isSpecialId(id);
    // A token holding part of a UTF-8 character decodes to U+FFFD on its own: show its raw form instead.
    const decoded = special ? (tokenizer.idToToken(id) ?? "?") : tokenizer.decode([id]);
    const text = visible(decoded.includes("\ufffd") ? (tokenizer.idToToken(id) ?? decoded) : decoded);
    if (color) {
      const style = special ? SPECIAL : (scored ? SCORED : CONTEXT)[i % 2]!;
      const underline = special && scored ? "\x1b[4m" : "";
      out += `${style}${underline}${text}${RESET}`;
      if (text.endsWith("\\n")) out += "\n";
      continue;
    }
    if (i > 0) out += inScored && !scored ? "]]|" : "|";
    if (scored && !inScored) out += "[[";
    out += text;
    inScored = scored;
  }
  if (!color && inScored) out += "]]";
  return out;
}
