/**
 * Added tokens (tokenizer.json `added_tokens`): matched in the text before any other stage,
 * leftmost-longest, honouring lstrip / rstrip / single_word. Tokens with `normalized: false`
 * are matched in the raw text, the others in the normalized text.
 */
import { asObject, describe } from "./_config.ts";
import { escapeRegex } from "./_regex.ts";

/** One added token. */
export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  normalized: boolean;
  lstrip: boolean;
  rstrip: boolean;
  singleWord: boolean;
}

/** A piece of input: either text for the normal pipeline or an added token's id. */
export type Segment = { text: string; start: number } | { id: number; start: number };

/**
 * Reads `added_tokens` from tokenizer.json.
 *
 * @param list The `added_tokens` array (or undefined).
 * @returns The parsed tokens.
 */
export function parseAddedTokens(list: unknown): AddedToken[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TypeError(`added_tokens: expected an array, got ${describe(list)}.`);
  return list.map((raw, i) => {
    const where = `added_tokens[${i}]`;
    const o = asObject(raw, where);
    if (typeof o.id !== "number" || !Number.isInteger(o.id) || o.id < 0) {
      throw new TypeError(`${where}: "id" must be an integer >= 0, got ${describe(o.id)}.`);
    }
    if (typeof o.content !== "string" || o.content.length === 0) {
      throw new TypeError(`${where}: "content" must be a non-empty string, got ${describe(o.content)}.`);
    }
    return {
      id: o.id,
      content: o.content,
      special: o.special === true,
      normalized: o.normalized === true,
      lstrip: o.lstrip === true,
      rstrip: o.rstrip === true,
      singleWord: o.single_word === true,
    };
  });
}

// The reference's `\w` (Rust regex crate, Unicode): Alphabetic, marks, decimal digits, connector punctuation.
const WORD_AT_END = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u;
const WORD_AT_START = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

/** Finds added tokens in text. */
export class AddedTokenMatcher {
  readonly #re: RegExp | undefined;
  readonly #byContent: Map<string, AddedToken>;

  constructor(tokens: AddedToken[]) {
    this.#byContent = new Map(tokens.map((t) => [t.content, t]));
    const sorted = [...tokens].sort((a, b) => b.content.length - a.content.length);
    if (sorted.length === 0) return;
    const alternatives = sorted.map((t) => {
      const body = `(${escapeRegex(t.content)})`;
      return `${t.lstrip ? "\\p{White_Space}*" : ""}${body}${t.rstrip ? "\\p{White_Space}*" : ""}`;
    });
    this.#re = new RegExp(alternatives.join("|"), "gu");
  }

  /** Whether there is anything to match. */
  get empty(): boolean {
    return this.#re === undefined;
  }

  /**
   * Splits `text` into text segments and added-token ids, pushing them to `out`.
   * `offset` is the position of `text` in the original input.
   */
  split(text: string, offset: number, out: Segment[]): void {
    const re = this.#re;
    if (re === undefined) {
      out.push({ text, start: offset });
      return;
    }
    re.lastIndex = 0;
    let last = 0;
    let m = re.exec(text);
    while (m !== null) {
      const content = m.slice(1).find((g) => g !== undefined)!;
      const token = this.#byContent.get(content)!;
      const coreStart = m.index + m[0].indexOf(content);
      const coreEnd = coreStart + content.length;
      // single_word: a match touching a word character is dropped; the search goes on after it.
      if (
        token.singleWord &&
        (WORD_AT_END.test(text.slice(0, coreStart)) || WORD_AT_START.test(text.slice(coreEnd)))
      ) {
        m = re.exec(text);
        continue;
      }
      if (m.index > last) out.push({ text: text.slice(last, m.index), start: offset + last });
      out.push({ id: token.id, start: offset + m.index });
      last = m.index + m[0].length;
      m = re.exec(text);
    }
    if (last < text.length) out.push({ text: text.slice(last), start: offset + last });
  }
}
