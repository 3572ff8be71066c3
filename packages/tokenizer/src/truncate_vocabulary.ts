/** Options of {@linkcode truncateVocabulary}. */
export interface TruncateVocabularyOptions {
  /** `tokenizer_config.json` to remap alongside (its `added_tokens_decoder` keys are ids). */
  tokenizerConfig?: Record<string, unknown>;
}

/** The derived files. */
export interface TruncatedVocabulary {
  /** The new `tokenizer.json` object. */
  tokenizer: Record<string, unknown>;
  /** The new `tokenizer_config.json` object (when one was given). */
  tokenizerConfig?: Record<string, unknown>;
  /** Old id -> new id of every added (special) token. */
  addedIds: Map<number, number>;
}

type Json = Record<string, unknown>;

function remapSpecialIds(node: unknown, ids: Map<number, number>): unknown {
  if (Array.isArray(node)) return node.map((x) => remapSpecialIds(x, ids));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === "ids" && Array.isArray(v) && v.every((x) => typeof x === "number")) {
      out[k] = v.map((id: number) => ids.get(id) ?? id);
    } else out[k] = remapSpecialIds(v, ids);
  }
  return out;
}

/**
 * Derives a smaller byte-level BPE tokenizer from one whose ids follow merge rank (as
 * Llama 3's tiktoken-born vocabulary does): keeps the regular tokens with id <
 * `vocabSize - added`, only the merges whose two parts and result are all kept, and the
 * added (special) tokens renumbered to fill the last ids. The result is a valid
 * tokenizer of exactly `vocabSize` ids that still encodes any text (all 256 byte tokens
 * are kept) and decodes it back; the post-processor's and the config's special-token ids
 * are remapped too.
 *
 * @param tokenizerJson A `tokenizer.json` object with a BPE model.
 * @param vocabSize The new vocabulary size (regular + added tokens).
 * @param options The matching `tokenizer_config.json`.
 * @returns The new files and the id mapping of the added tokens.
 * @throws {TypeError} for a model that is not BPE or added tokens inside the regular range;
 *   {RangeError} for a size that cannot hold the 256 byte tokens and the added tokens, or exceeds the original.
 *
 * @example
 * ```ts
 * import { Tokenizer, truncateVocabulary } from "@wpo/tokenizer";
 * const tok = { model: { type: "BPE", vocab: { a: 0, b: 1, ab: 2, abab: 3 }, merges: ["a b", "ab ab"] },
 *   added_tokens: [{ id: 4, content: "<s>", special: true }] };
 * const small = truncateVocabulary(tok, 4);
 * console.assert(small.addedIds.get(4) === 3);
 * console.assert((small.tokenizer.model as { merges: string[] }).merges.length === 1);
 * ```
 */
export function truncateVocabulary(
  tokenizerJson: Record<string, unknown>,
  vocabSize: number,
  options: TruncateVocabularyOptions = {},
): TruncatedVocabulary {
  const model = tokenizerJson.model as Json | undefined;
  if (!model || model.type !== "BPE" || !model.vocab || !Array.isArray(model.merges)) {
    throw new TypeError("truncateVocabulary: tokenizer.json must have a BPE model with vocab and merges.");
  }
  const vocab = model.vocab as Record<string, number>;
  const regular = Object.keys(vocab).length;
  const added = ((tokenizerJson.added_tokens ?? []) as Json[])
    .slice()
    .sort((a, b) => Number(a.id) - Number(b.id));
  for (const t of added) {
    if (Number(t.id) < regular) {
      throw new TypeError(
        `truncateVocabulary: added token ${JSON.stringify(t.content)} has id ${t.id}, inside the regular vocabulary (< ${regular}).`,
      );
    }
  }
  const keep = vocabSize - added.length;
  // A byte-level tokenizer must keep its 256 byte tokens (the first ids) to encode any text.
  const byteLevel = JSON.stringify(tokenizerJson.pre_tokenizer ?? null).includes('"ByteLevel"');
  const least = byteLevel ? 256 : 1;
  if (!Number.isInteger(vocabSize) || keep < least || keep > regular) {
    throw new RangeError(
      `truncateVocabulary: vocabSize ${vocabSize} must be an integer in [${least + added.length}, ${regular + added.length}] (${least} regular tokens${byteLevel ? ", the byte tokens," : ""} + ${added.length} added tokens at least).`,
    );
  }
  const kept: Record<string, number> = {};
  for (const [token, id] of Object.entries(vocab)) if (id < keep) kept[token] = id;
  if (Object.keys(kept).length !== keep) {
    throw new RangeError(`truncateVocabulary: the regular ids are not 0..${regular - 1} without gaps.`);
  }
  const merges = (model.merges as (string | [string, string])[]).filter((m) => {
    const [a, b] = typeof m === "string" ? (m.split(" ") as [string, string]) : m;
    return Object.hasOwn(kept, a) && Object.hasOwn(kept, b) && Object.hasOwn(kept, a + b);
  });
  const addedIds = new Map<number, number>(added.map((t, i) => [Number(t.id), keep + i]));
  const tokenizer: Json = {
    ...tokenizerJson,
    added_tokens: added.map((t) => ({ ...t, id: addedIds.get(Number(t.id)) })),
    post_processor: remapSpecialIds(tokenizerJson.post_processor ?? null, addedIds),
    model: { ...model, vocab: kept, merges },
  };
  let tokenizerConfig: Json | undefined;
  if (options.tokenizerConfig) {
    tokenizerConfig = { ...options.tokenizerConfig };
    const decoder = tokenizerConfig.added_tokens_decoder as Record<string, unknown> | undefined;
    if (decoder) {
      tokenizerConfig.added_tokens_decoder = Object.fromEntries(
        Object.entries(decoder).map(([id, v]) => [String(addedIds.get(Number(id)) ?? id), v]),
      );
    }
  }
  return { tokenizer, tokenizerConfig, addedIds };
}
