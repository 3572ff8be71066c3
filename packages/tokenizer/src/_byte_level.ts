/**
 * GPT-2 byte-level alphabet: every byte 0..255 has a printable stand-in character,
 * so byte strings can be stored in a text vocabulary. Printable Latin-1 bytes map to
 * themselves; the rest map to U+0100 onwards, in byte order.
 */

function buildByteToChar(): string[] {
  const table: string[] = new Array<string>(256);
  const keepsItself = (b: number) =>
    (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCharCode(keepsItself(b) ? b : next++);
  }
  return table;
}

/** Byte value to its byte-level character. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** Byte-level character code to byte value (-1 where the code is not in the alphabet). */
export const CHAR_CODE_TO_BYTE: Int16Array = (() => {
  const out = new Int16Array(512).fill(-1);
  BYTE_TO_CHAR.forEach((ch, b) => {
    out[ch.charCodeAt(0)] = b;
  });
  return out;
})();

const encoder = new TextEncoder();

/** Maps text to its byte-level form: UTF-8 bytes, each replaced by its stand-in character. */
export function toByteLevel(text: string): string {
  // ASCII fast path: no encoding needed.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  }
  let out = "";
  if (ascii) {
    for (let i = 0; i < text.length; i++) out += BYTE_TO_CHAR[text.charCodeAt(i)]!;
    return out;
  }
  const bytes = encoder.encode(text);
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_CHAR[bytes[i] as number]!;
  return out;
}

/**
 * Byte-level token text back to bytes, appended to `out`. A token containing a character
 * outside the alphabet contributes its own UTF-8 bytes unchanged (as the reference does).
 */
export function pushByteLevelBytes(token: string, out: number[]): void {
  const start = out.length;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const b = code < 512 ? CHAR_CODE_TO_BYTE[code]! : -1;
    if (b < 0) {
      out.length = start;
      for (const raw of encoder.encode(token)) out.push(raw);
      return;
    }
    out.push(b);
  }
}
