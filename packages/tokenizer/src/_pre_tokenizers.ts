/** tokenizer.json pre-tokenizers: split a normalized segment into words for the model. */
import { asObject, boolField, stageType, stringField, unknownStage } from "./_config.ts";
import { compilePattern } from "./_regex.ts";
import { SPLIT_BEHAVIORS, type SplitBehavior, splitByRegex } from "./_split.ts";
import { toByteLevel } from "./_byte_level.ts";

/**
 * A pre-tokenizer stage: splits each piece of `pieces` (the first piece of a segment that
 * starts the input has `first` set) and returns the new list.
 */
export type PreTokenize = (pieces: string[], first: boolean) => string[];

/** A built pre-tokenizer plus whether its last step is a byte-level mapping left to the model. */
export interface BuiltPreTokenizer {
  run: PreTokenize | undefined;
  /** True when words still need the byte-level mapping (done by the model, once per distinct word). */
  byteLevelDeferred: boolean;
}

const KNOWN = ["Sequence", "Split", "ByteLevel", "Metaspace", "Digits", "WhitespaceSplit"];

// GPT-2's pattern, used by ByteLevel when use_regex is true.
const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

const eachPiece =
  (fn: (piece: string, first: boolean, out: string[]) => void): PreTokenize =>
  (pieces, first) => {
    const out: string[] = [];
    for (let i = 0; i < pieces.length; i++) fn(pieces[i]!, first && i === 0, out);
    return out;
  };

/**
 * Builds the pre-tokenizer described by tokenizer.json.
 *
 * @param config The `pre_tokenizer` object (null for none).
 * @returns The stage and whether byte-level mapping was deferred to the model.
 */
export function buildPreTokenizer(config: unknown): BuiltPreTokenizer {
  if (config === null || config === undefined) return { run: undefined, byteLevelDeferred: false };
  const type = stageType(config, "pre_tokenizer");
  const obj = asObject(config, "pre_tokenizer");
  // A trailing ByteLevel without its own regex maps bytes only: the model does that lazily.
  const stages = type === "Sequence" ? (obj.pretokenizers as unknown) : [config];
  if (!Array.isArray(stages)) throw new TypeError('pre_tokenizer: Sequence needs an array "pretokenizers".');
  const lastStage = stages[stages.length - 1];
  const defer = lastStage !== undefined && stageType(lastStage, "pre_tokenizer") === "ByteLevel";
  const built = stages.map((s, i) =>
    buildStage(
      s,
      type === "Sequence" ? `pre_tokenizer.pretokenizers[${i}]` : "pre_tokenizer",
      defer && i === stages.length - 1,
    ),
  );
  return {
    run: (pieces, first) => {
      for (const stage of built) pieces = stage(pieces, first);
      return pieces;
    },
    byteLevelDeferred: defer,
  };
}

function buildStage(config: unknown, where: string, deferByteMapping: boolean): PreTokenize {
  const type = stageType(config, where);
  const obj = asObject(config, where);
  switch (type) {
    case "Sequence": {
      const inner = obj.pretokenizers;
      if (!Array.isArray(inner)) throw new TypeError(`${where}: Sequence needs an array "pretokenizers".`);
      const built = inner.map((s, i) => buildStage(s, `${where}.pretokenizers[${i}]`, false));
      return (pieces, first) => {
        for (const stage of built) pieces = stage(pieces, first);
        return pieces;
      };
    }
    case "Split": {
      const re = compilePattern(obj.pattern, `${where}.pattern`);
      const behavior = obj.behavior as SplitBehavior;
      if (!SPLIT_BEHAVIORS.includes(behavior)) {
        throw new TypeError(
          `${where}: unknown split behavior ${JSON.stringify(obj.behavior)}; expected one of ${SPLIT_BEHAVIORS.join(", ")}.`,
        );
      }
      const invert = boolField(obj, "invert", false);
      return eachPiece((piece, _first, out) => splitByRegex(piece, re, behavior, invert, out));
    }
    case "ByteLevel": {
      const addPrefixSpace = boolField(obj, "add_prefix_space", true);
      const useRegex = boolField(obj, "use_regex", true);
      const re = useRegex ? compilePattern({ Regex: GPT2_PATTERN }, where) : undefined;
      return eachPiece((piece, _first, out) => {
        if (addPrefixSpace && !piece.startsWith(" ")) piece = ` ${piece}`;
        const parts: string[] = [];
        if (re) splitByRegex(piece, re, "Isolated", false, parts);
        else parts.push(piece);
        for (const part of parts) out.push(deferByteMapping ? part : toByteLevel(part));
      });
    }
    case "Metaspace": {
      const replacement = stringField(obj, "replacement", where);
      const scheme =
        typeof obj.prepend_scheme === "string"
          ? obj.prepend_scheme
          : boolField(obj, "add_prefix_space", true)
            ? "always"
            : "never";
      const split = boolField(obj, "split", true);
      const splitRe = compilePattern({ String: replacement }, where);
      return eachPiece((piece, first, out) => {
        piece = piece.replaceAll(" ", replacement);
        if (!piece.startsWith(replacement) && (scheme === "always" || (scheme === "first" && first))) {
          piece = replacement + piece;
        }
        if (split) splitByRegex(piece, splitRe, "MergedWithNext", false, out);
        else if (piece.length > 0) out.push(piece);
      });
    }
    case "Digits": {
      const re = boolField(obj, "individual_digits", false) ? /\p{N}/gu : /\p{N}+/gu;
      return eachPiece((piece, _first, out) => splitByRegex(piece, re, "Isolated", false, out));
    }
    case "WhitespaceSplit":
      return eachPiece((piece, _first, out) =>
        splitByRegex(piece, /\p{White_Space}+/gu, "Removed", false, out),
      );
    default:
      throw unknownStage("pre-tokenizer", type, KNOWN);
  }
}
