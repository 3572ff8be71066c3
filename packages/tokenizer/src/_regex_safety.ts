/**
 * A static check against catastrophic backtracking in tokenizer.json patterns. JavaScript's regex engine
 * backtracks and has no time limit, so `(a+)+$` on 34 a's and "!" runs for hours. The patterns of real
 * tokenizers (GPT-2, Llama 3, Qwen, Mistral) never repeat a group that itself repeats or alternates, so such
 * nesting (star height 2, or a repeated alternation) is refused at load time.
 */

interface Frame {
  /** Holds a repeated atom (`x*`, `x+`, `x{2,}`). */
  repeats: boolean;
  /** Holds a `|`. */
  alternates: boolean;
}

/** Index after a quantifier starting at `i` and whether it repeats (max > 1); undefined when none. */
function quantifier(p: string, i: number): { end: number; repeats: boolean } | undefined {
  const c = p[i];
  if (c === "*" || c === "+") return { end: i + 1, repeats: true };
  if (c === "?") return { end: i + 1, repeats: false };
  if (c === "{") {
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(p.slice(i));
    if (!m) return undefined;
    const max = m[2] ? (m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY) : Number(m[1]);
    return { end: i + m[0].length, repeats: max > 1 };
  }
  return undefined;
}

/** Index after the character class that starts at `i` (`[` ... `]`, nested classes included). */
function skipClass(p: string, i: number): number {
  let depth = 0;
  for (let j = i; j < p.length; j++) {
    if (p[j] === "\\") j++;
    else if (p[j] === "[") depth++;
    else if (p[j] === "]" && j > i + 1 && --depth === 0) return j + 1;
  }
  return p.length;
}

/** Index after the escape that starts at `i` (`\p{L}`, `\x{41}` and one-character escapes). */
function skipEscape(p: string, i: number): number {
  if ("pPx".includes(p[i + 1] ?? "") && p[i + 2] === "{") return p.indexOf("}", i) + 1 || p.length;
  return i + 2;
}

/**
 * Throws when an Oniguruma pattern repeats a group that repeats or alternates inside.
 *
 * @param pattern The pattern text.
 * @param where Where the pattern is (for the message).
 */
export function assertNoNestedRepeat(pattern: string, where: string): void {
  const stack: Frame[] = [{ repeats: false, alternates: false }];
  let last: Frame | undefined; // the group just closed, when the previous atom is a group
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "(") {
      stack.push({ repeats: false, alternates: false });
      last = undefined;
      i++;
      continue;
    }
    if (c === ")" && stack.length > 1) {
      last = stack.pop()!;
      const parent = stack.at(-1)!;
      parent.repeats ||= last.repeats;
      i++;
    } else if (c === "|") {
      stack.at(-1)!.alternates = true;
      last = undefined;
      i++;
      continue;
    } else if (c === "[") {
      i = skipClass(pattern, i);
      last = undefined;
    } else if (c === "\\") {
      i = skipEscape(pattern, i);
      last = undefined;
    } else {
      i++;
      last = undefined;
    }
    const q = quantifier(pattern, i);
    if (!q) continue;
    if (q.repeats && last && (last.repeats || last.alternates)) {
      throw new SyntaxError(
        `${where}: regex ${JSON.stringify(pattern)} repeats a group that ${last.repeats ? "repeats" : "alternates"} inside ` +
          `(at offset ${i}); such patterns can backtrack for hours on some texts, so this tokenizer is refused.`,
      );
    }
    if (q.repeats) stack.at(-1)!.repeats = true;
    i = q.end;
    if ("?+".includes(pattern[i] ?? "") && pattern[i - 1] !== "?") i++; // lazy or possessive suffix
    last = undefined;
  }
}
