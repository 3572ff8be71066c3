import { assertNoNestedRepeat } from "./_regex_safety.ts";

/**
 * Translates the Oniguruma patterns found in tokenizer.json (the reference compiles them
 * with Oniguruma) into JavaScript `u`-mode regular expressions with the same meaning:
 * `\s` is Unicode White_Space (JavaScript's also includes U+FEFF and misses U+0085),
 * `\d` is \p{Nd}, `\w` is Oniguruma's word set, and inline case-insensitive groups
 * `(?i:...)` (absent from Node 20's JavaScript) become explicit case classes using
 * Unicode simple case folding (so `s` also matches U+017F and `k` U+212A).
 */

const SPACE = "\\p{White_Space}";
const NOT_SPACE = "\\P{White_Space}";
const WORD = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}";

/** Characters whose simple case folding equals that of the ASCII letter `ch`. */
function caseVariants(ch: string): string {
  const lower = ch.toLowerCase();
  let out = lower + lower.toUpperCase();
  if (lower === "s") out += "\u017f";
  if (lower === "k") out += "\u212a";
  return out;
}

const isAsciiLetter = (ch: string) => (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z");

/**
 * Converts an Oniguruma pattern into JavaScript regex source for the `u` flag.
 *
 * @param pattern Oniguruma pattern text.
 * @returns JavaScript pattern source.
 */
export function onigurumaToJs(pattern: string): string {
  let out = "";
  let inClass = 0;
  // Stack of group kinds: true when the group switched on case-insensitivity.
  const groups: boolean[] = [];
  const ignoreCase = () => groups.some((g) => g);
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      const next = pattern[i + 1];
      if (next === undefined)
        throw new SyntaxError(`Pattern ${JSON.stringify(pattern)} ends with a lone backslash.`);
      i++;
      if (next === "s") out += inClass ? SPACE : `[${SPACE}]`;
      else if (next === "S") out += inClass ? NOT_SPACE : `[${NOT_SPACE}]`;
      else if (next === "d") out += inClass ? "\\p{Nd}" : "[\\p{Nd}]";
      else if (next === "D") out += inClass ? "\\P{Nd}" : "[\\P{Nd}]";
      else if (next === "w") {
        if (inClass) out += WORD;
        else out += `[${WORD}]`;
      } else if (next === "W") {
        if (inClass)
          throw new SyntaxError(`Pattern ${JSON.stringify(pattern)}: \\W inside a class is not supported.`);
        out += `[^${WORD}]`;
      } else if (next === "p" || next === "P") {
        const close = pattern.indexOf("}", i);
        out += `\\${next}${pattern.slice(i + 1, close + 1)}`;
        i = close;
      } else if (next === "x" && pattern[i + 1] === "{") {
        const close = pattern.indexOf("}", i);
        out += `\\u{${pattern.slice(i + 2, close)}}`;
        i = close;
      } else if (/[A-Za-z0-9]/.test(next)) out += `\\${next}`;
      else if (next === "-") out += inClass ? "\\-" : "-";
      else if (/[\\^$.*+?()[\]{}|/]/.test(next)) out += `\\${next}`;
      else out += `\\u{${next.codePointAt(0)!.toString(16)}}`;
      continue;
    }
    if (inClass) {
      if (ch === "[") {
        inClass++;
        out += ch;
      } else if (ch === "]") {
        inClass--;
        out += ch;
      } else if (ignoreCase() && isAsciiLetter(ch) && pattern[i + 1] !== "-" && pattern[i - 1] !== "-") {
        out += caseVariants(ch);
      } else out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = 1;
      out += ch;
    } else if (ch === "(") {
      if (pattern.startsWith("(?i:", i)) {
        groups.push(true);
        out += "(?:";
        i += 3;
      } else if (pattern.startsWith("(?i)", i)) {
        throw new SyntaxError(`Pattern ${JSON.stringify(pattern)}: a global (?i) flag is not supported.`);
      } else {
        groups.push(false);
        out += ch;
      }
    } else if (ch === ")") {
      groups.pop();
      out += ch;
    } else if (ignoreCase() && isAsciiLetter(ch)) {
      out += `[${caseVariants(ch)}]`;
    } else out += ch;
  }
  return out;
}

/**
 * Compiles a tokenizer.json pattern (`{ Regex }` or `{ String }`) to a global JavaScript regex.
 *
 * @param pattern The pattern object from tokenizer.json.
 * @param where Where the pattern sits, for error messages.
 * @returns A RegExp with the `g` and `u` flags.
 */
export function compilePattern(pattern: unknown, where: string): RegExp {
  const p = pattern as { Regex?: unknown; String?: unknown } | null;
  if (p && typeof p.Regex === "string") {
    assertNoNestedRepeat(p.Regex, where);
    try {
      return new RegExp(onigurumaToJs(p.Regex), "gu");
    } catch (error) {
      throw new SyntaxError(
        `${where}: cannot compile regex ${JSON.stringify(p.Regex)}: ${(error as Error).message}`,
      );
    }
  }
  if (p && typeof p.String === "string") {
    return new RegExp(escapeRegex(p.String), "gu");
  }
  throw new TypeError(
    `${where}: expected a pattern {"Regex": string} or {"String": string}, got ${JSON.stringify(pattern)}.`,
  );
}

/** Escapes text for literal use inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}
