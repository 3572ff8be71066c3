/** tokenizer.json decoders: token strings back to text, as a chain over the token list. */
import { pushByteLevelBytes } from "./_byte_level.ts";
import { asObject, stageType, stringField, unknownStage } from "./_config.ts";
import { compilePattern } from "./_regex.ts";

/** A decoder stage: token strings in, token strings out (the last stage's output is joined). */
export type Decode = (tokens: string[]) => string[];

const KNOWN = ["Sequence", "ByteLevel", "Metaspace", "Replace", "ByteFallback", "Fuse", "Strip"];

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Builds the decoder described by tokenizer.json.
 *
 * @param config The `decoder` object (null for none).
 * @param where Location for error messages.
 * @returns The decoder, or undefined for none (tokens are then joined with spaces).
 */
export function buildDecoder(config: unknown, where = "decoder"): Decode | undefined {
  if (config === null || config === undefined) return undefined;
  const type = stageType(config, where);
  const obj = asObject(config, where);
  switch (type) {
    case "Sequence": {
      const list = obj.decoders;
      if (!Array.isArray(list)) throw new TypeError(`${where}: Sequence needs an array "decoders".`);
      const stages = list
        .map((d, i) => buildDecoder(d, `${where}.decoders[${i}]`))
        .filter((d) => d !== undefined);
      return (tokens) => stages.reduce((acc, stage) => stage(acc), tokens);
    }
    case "ByteLevel":
      return (tokens) => {
        const bytes: number[] = [];
        for (const t of tokens) pushByteLevelBytes(t, bytes);
        return [utf8.decode(new Uint8Array(bytes))];
      };
    case "Metaspace": {
      const replacement = stringField(obj, "replacement", where);
      const scheme =
        typeof obj.prepend_scheme === "string"
          ? obj.prepend_scheme
          : obj.add_prefix_space === false
            ? "never"
            : "always";
      return (tokens) =>
        tokens.map((t, i) => {
          const s = t.replaceAll(replacement, " ");
          return i === 0 && scheme !== "never" && s.startsWith(" ") ? s.slice(1) : s;
        });
    }
    case "Replace": {
      const re = compilePattern(obj.pattern, `${where}.pattern`);
      const content = stringField(obj, "content", where);
      return (tokens) => tokens.map((t) => t.replace(re, () => content));
    }
    case "ByteFallback":
      return byteFallback;
    case "Fuse":
      return (tokens) => [tokens.join("")];
    case "Strip": {
      const content = stringField(obj, "content", where);
      const start = typeof obj.start === "number" ? obj.start : 0;
      const stop = typeof obj.stop === "number" ? obj.stop : 0;
      return (tokens) => tokens.map((t) => strip(t, content, start, stop));
    }
    default:
      throw unknownStage("decoder", type, KNOWN);
  }
}

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/** Turns runs of `<0xNN>` tokens into text (one U+FFFD per byte when the run is not valid UTF-8). */
export function byteFallback(tokens: string[]): string[] {
  const out: string[] = [];
  let pending: number[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    try {
      out.push(strictUtf8.decode(new Uint8Array(pending)));
    } catch {
      for (let i = 0; i < pending.length; i++) out.push("\ufffd");
    }
    pending = [];
  };
  for (const t of tokens) {
    const m = t.length === 6 ? BYTE_TOKEN.exec(t) : null;
    if (m) pending.push(Number.parseInt(m[1]!, 16));
    else {
      flush();
      out.push(t);
    }
  }
  flush();
  return out;
}

function strip(token: string, content: string, start: number, stop: number): string {
  const chars = Array.from(token);
  let from = 0;
  while (from < start && chars[from] === content) from++;
  let to = chars.length;
  let removed = 0;
  while (removed < stop && to > from && chars[to - 1] === content) {
    to--;
    removed++;
  }
  return chars.slice(from, to).join("");
}
