/** tokenizer.json normalizers: text to text, applied to each segment between added tokens. */
import { asObject, boolField, stageType, stringField, unknownStage } from "./_config.ts";
import { toByteLevel } from "./_byte_level.ts";
import { compilePattern } from "./_regex.ts";

/** A normalizer stage. */
export type Normalize = (text: string) => string;

const KNOWN = [
  "Sequence",
  "Prepend",
  "Replace",
  "NFC",
  "NFD",
  "NFKC",
  "NFKD",
  "Lowercase",
  "Strip",
  "ByteLevel",
];

/**
 * Builds a normalizer from its tokenizer.json description.
 *
 * @param config The `normalizer` object (null for none).
 * @param where Location for error messages.
 * @returns The normalizer, or undefined for none.
 */
export function buildNormalizer(config: unknown, where = "normalizer"): Normalize | undefined {
  if (config === null || config === undefined) return undefined;
  const type = stageType(config, where);
  const obj = asObject(config, where);
  switch (type) {
    case "Sequence": {
      const list = obj.normalizers;
      if (!Array.isArray(list)) throw new TypeError(`${where}: Sequence needs an array "normalizers".`);
      const stages = list
        .map((n, i) => buildNormalizer(n, `${where}.normalizers[${i}]`))
        .filter((n) => n !== undefined);
      return (text) => {
        for (const stage of stages) text = stage(text);
        return text;
      };
    }
    case "Prepend": {
      const prefix = stringField(obj, "prepend", where);
      return (text) => (text.length > 0 ? prefix + text : text);
    }
    case "Replace": {
      const re = compilePattern(obj.pattern, `${where}.pattern`);
      const content = stringField(obj, "content", where);
      return (text) => text.replace(re, () => content);
    }
    case "NFC":
    case "NFD":
    case "NFKC":
    case "NFKD":
      return (text) => text.normalize(type);
    case "Lowercase":
      // Per character, as the reference does: no context rules such as Greek final sigma.
      return (text) =>
        isAscii(text) ? text.toLowerCase() : Array.from(text, (c) => c.toLowerCase()).join("");
    case "ByteLevel":
      return toByteLevel;
    case "Strip": {
      const left = boolField(obj, "strip_left", true);
      const right = boolField(obj, "strip_right", true);
      return (text) => {
        if (left) text = text.replace(/^\p{White_Space}+/u, "");
        if (right) text = text.replace(/\p{White_Space}+$/u, "");
        return text;
      };
    }
    default:
      throw unknownStage("normalizer", type, KNOWN);
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
